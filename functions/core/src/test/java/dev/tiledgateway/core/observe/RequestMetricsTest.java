package dev.tiledgateway.core.observe;

import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.path.NodePath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The local metrics as Prometheus text (exposition format 0.0.4), parsed back line by line. */
class RequestMetricsTest {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.+)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");

    /** One parsed sample: its name, labels and value. */
    record Sample(String name, Map<String, String> labels, double value) {
        String key() { return name + new TreeMap<>(labels); }
    }

    /**
     * Parses the exposition text strictly: every line a HELP, a TYPE or a sample; each family's HELP and TYPE before
     * its samples, once; each sample of a declared family (a histogram's {@code _bucket}, {@code _sum}, {@code _count});
     * counters named {@code _total}; labels well quoted; values numbers; histograms cumulative and ending at {@code +Inf}
     * with their {@code _count}.
     */
    static Map<String, Sample> parse(String text) {
        assertTrue(text.endsWith("\n"), "the last line ends with a line feed");
        Map<String, String> types = new HashMap<>();
        Map<String, String> helps = new HashMap<>();
        Map<String, Sample> samples = new LinkedHashMap<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) continue;
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                if (helps.put(m.group(1), m.group(2)) != null) fail("HELP twice: " + line);
            } else if ((m = TYPE.matcher(line)).matches()) {
                if (!helps.containsKey(m.group(1))) fail("TYPE before HELP: " + line);
                if (types.put(m.group(1), m.group(2)) != null) fail("TYPE twice: " + line);
                if (m.group(2).equals("counter") && !m.group(1).endsWith("_total")) fail("a counter not named _total: " + line);
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                String family = types.containsKey(name) ? name : name.replaceFirst("_(bucket|sum|count)$", "");
                String type = types.get(family);
                if (type == null) fail("a sample of no declared family: " + line);
                if (!family.equals(name) && !type.equals("histogram")) fail("a suffixed sample of a " + type + ": " + line);
                Map<String, String> labels = new LinkedHashMap<>();
                if (m.group(3) != null) {
                    Matcher l = LABEL.matcher(m.group(3));
                    int at = 0;
                    while (at < m.group(3).length()) {
                        if (!l.find(at) || l.start() != at) fail("malformed labels: " + line);
                        if (labels.put(l.group(1), l.group(2)) != null) fail("a label twice: " + line);
                        at = l.end();
                    }
                }
                double v;
                try {
                    v = switch (m.group(4)) {
                        case "+Inf" -> Double.POSITIVE_INFINITY;
                        case "-Inf" -> Double.NEGATIVE_INFINITY;
                        default -> Double.parseDouble(m.group(4));
                    };
                } catch (NumberFormatException e) {
                    throw new AssertionError("not a number: " + line);
                }
                Sample s = new Sample(name, labels, v);
                if (samples.put(s.key(), s) != null) fail("a sample twice: " + line);
            } else {
                fail("neither HELP, TYPE nor a sample: '" + line + "'");
            }
        }
        // Histograms: cumulative buckets ending at +Inf, which equals _count.
        for (Map.Entry<String, String> t : types.entrySet()) {
            if (!t.getValue().equals("histogram")) continue;
            Map<String, List<Sample>> bySeries = new HashMap<>();
            for (Sample s : samples.values()) {
                if (!s.name().equals(t.getKey() + "_bucket")) continue;
                Map<String, String> series = new TreeMap<>(s.labels());
                series.remove("le");
                bySeries.computeIfAbsent(series.toString(), k -> new ArrayList<>()).add(s);
            }
            for (List<Sample> buckets : bySeries.values()) {
                double prevLe = Double.NEGATIVE_INFINITY, prev = 0;
                for (Sample b : buckets) {
                    double le = b.labels().get("le").equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(b.labels().get("le"));
                    assertTrue(le > prevLe && b.value() >= prev, "buckets in order and cumulative: " + buckets);
                    prevLe = le;
                    prev = b.value();
                }
                assertEquals(Double.POSITIVE_INFINITY, prevLe, "the last bucket is +Inf");
                Map<String, String> labels = new TreeMap<>(buckets.getFirst().labels());
                labels.remove("le");
                Sample count = samples.get(t.getKey() + "_count" + labels);
                assertEquals(prev, count.value(), "+Inf bucket = _count");
            }
        }
        return samples;
    }

    private static RequestTrace trace(String route, int status, long nanosCatalog, int storeCalls, boolean redirect) {
        RequestTrace t = RequestTrace.begin("r");
        try {
            t.routed(route, NodePath.ROOT);
            RequestTrace.charge(t, RequestTrace.Port.CATALOG, nanosCatalog);
            for (int i = 0; i < storeCalls; i++) RequestTrace.charge(t, RequestTrace.Port.STORE, 1000);
            if (redirect) RequestTrace.redirected();
            t.answered(new Response(status, "text/plain", new byte[100]));
        } finally {
            RequestTrace.end();
        }
        t.finish();
        return t;
    }

    private static double value(Map<String, Sample> s, String key) {
        Sample found = s.get(key);
        if (found == null) throw new AssertionError("no sample " + key + " in " + s.keySet());
        return found.value();
    }

    @Test
    void theTextParsesAndCountsWhatWasRecorded() {
        RequestMetrics m = new RequestMetrics();
        m.record(trace("GET metadata", 200, 1_000_000, 0, false));
        m.record(trace("GET metadata", 404, 1_000_000, 0, false));
        m.record(trace("GET array/full", 307, 2_000_000, 3, true));
        m.record(trace(RequestTrace.NO_ROUTE, 503, 0, 0, false));
        Map<String, Sample> s = parse(m.prometheus());
        assertEquals(1, value(s, "tiled_gateway_requests_total{route=GET metadata, status=2xx}"));
        assertEquals(1, value(s, "tiled_gateway_requests_total{route=GET metadata, status=4xx}"));
        assertEquals(1, value(s, "tiled_gateway_errors_total{route=GET metadata, status=4xx}"));
        assertEquals(0, value(s, "tiled_gateway_errors_total{route=GET metadata, status=5xx}"));
        assertEquals(1, value(s, "tiled_gateway_errors_total{route=other, status=5xx}"));
        assertEquals(1, value(s, "tiled_gateway_redirects_total{route=GET array/full}"));
        assertEquals(0, value(s, "tiled_gateway_redirects_total{route=GET metadata}"));
        assertEquals(200, value(s, "tiled_gateway_response_bytes_total{route=GET metadata}"));
        assertEquals(2, value(s, "tiled_gateway_request_duration_seconds_count{route=GET metadata}"));
        assertEquals(2, value(s, "tiled_gateway_backend_calls_total{backend=catalog, route=GET metadata}"));
        assertEquals(3, value(s, "tiled_gateway_backend_calls_total{backend=store, route=GET array/full}"));
        assertEquals(0.002, value(s, "tiled_gateway_backend_call_seconds_total{backend=catalog, route=GET array/full}"), 1e-12);
    }

    @Test
    void countersOnlyIncreaseWhileRequestsAreRecordedConcurrently() throws Exception {
        RequestMetrics m = new RequestMetrics();
        String[] routes = {"GET metadata", "GET search", "GET array/full", "GET array/block"};
        int[] statuses = {200, 200, 404, 307, 500};
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int seed = w;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 5_000; i++)
                        m.record(trace(routes[(seed + i) % routes.length], statuses[i % statuses.length], i * 1000L, i % 3, i % 5 == 3));
                }));
            }
            Map<String, Sample> before = parse(m.prometheus());
            int snapshots = 0;
            while (writers.stream().anyMatch(f -> !f.isDone()) || snapshots < 3) {
                Map<String, Sample> now = parse(m.prometheus());
                for (Sample s : before.values()) {
                    if (s.name().endsWith("_total") || s.name().endsWith("_bucket") || s.name().endsWith("_count")) {
                        Sample later = now.get(s.key());
                        if (later == null) fail("a series vanished: " + s.key());
                        if (later.value() < s.value()) fail("a counter went down: " + s.key() + " " + s.value() + " -> " + later.value());
                    }
                }
                before = now;
                snapshots++;
            }
            for (Future<?> f : writers) f.get();
        } finally {
            pool.shutdownNow();
        }
        Map<String, Sample> done = parse(m.prometheus());
        double total = 0;
        for (Sample s : done.values()) if (s.name().equals("tiled_gateway_requests_total")) total += s.value();
        assertEquals(4 * 5_000, total, "every request counted once");
        long series = done.values().stream().map(s -> s.labels().get("route")).distinct().count();
        assertEquals(routes.length, series, "labels only from the routes recorded: bounded by the route table");
    }

    @Test
    void serverTimingFollowsTheW3cSyntax() {
        RequestTrace t = trace("GET metadata", 200, 1_234_567, 2, false);
        String v = t.serverTiming();
        assertTrue(v.matches("catalog;dur=1\\.234, store;dur=0\\.002, total;dur=[0-9]+\\.[0-9]{3}"), v);
        StringBuilder b = new StringBuilder();
        RequestTrace.millis(b, 5_000);
        assertEquals("0.005", b.toString());
        b.setLength(0);
        RequestTrace.millis(b, 12_345_678_901L);
        assertEquals("12345.678", b.toString());
    }
}
