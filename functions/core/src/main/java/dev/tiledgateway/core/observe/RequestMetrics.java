package dev.tiledgateway.core.observe;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The numbers of every request this process answered, by route, as the Prometheus text exposition format (0.0.4)
 * shows them at {@code GET /api/v1/metrics}: requests and errors by status class, a latency histogram, response
 * bytes, redirects to materialised results, and calls to the catalog and the object store with their time.
 *
 * <p>Memory is bounded: routes are the router's fixed table (plus {@link RequestTrace#NO_ROUTE}), never a path, and
 * statuses are counted by class. Recording is lock-free ({@link LongAdder}s), so concurrent requests do not queue.
 */
public final class RequestMetrics {

    /** Upper bounds of the latency histogram's buckets, in seconds (the last bucket, {@code +Inf}, is implicit). */
    static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    private static final long[] BUCKET_NANOS = new long[BUCKETS.length];

    static {
        for (int i = 0; i < BUCKETS.length; i++) BUCKET_NANOS[i] = Math.round(BUCKETS[i] * 1e9);
    }

    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    /** One route's counters. */
    private static final class Cell {
        final LongAdder[] byClass = adders(CLASSES.length);
        final LongAdder[] buckets = adders(BUCKETS.length + 1);
        final LongAdder nanos = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final LongAdder redirects = new LongAdder();
        final LongAdder[] calls = adders(RequestTrace.Port.values().length);
        final LongAdder[] callNanos = adders(RequestTrace.Port.values().length);

        private static LongAdder[] adders(int n) {
            LongAdder[] a = new LongAdder[n];
            for (int i = 0; i < n; i++) a[i] = new LongAdder();
            return a;
        }
    }

    private final ConcurrentHashMap<String, Cell> cells = new ConcurrentHashMap<>();

    /** Adds a finished request. Its route must come from the router's table (or be {@link RequestTrace#NO_ROUTE}). */
    public void record(RequestTrace t) {
        Cell c = cells.get(t.route());
        if (c == null) c = cells.computeIfAbsent(t.route(), r -> new Cell());
        int cls = Math.min(5, Math.max(1, t.status() / 100)) - 1;
        c.byClass[cls].increment();
        long d = t.durationNanos();
        int b = 0;
        while (b < BUCKET_NANOS.length && d > BUCKET_NANOS[b]) b++;
        c.buckets[b].increment();
        c.nanos.add(d);
        c.bytes.add(t.bytes());
        if (t.redirect()) c.redirects.increment();
        for (RequestTrace.Port p : RequestTrace.Port.values()) {
            long n = t.calls(p);
            if (n == 0) continue;
            c.calls[p.ordinal()].add(n);
            c.callNanos[p.ordinal()].add(t.nanos(p));
        }
    }

    /** The Prometheus text exposition (version 0.0.4) of everything recorded so far; routes in name order. */
    public String prometheus() {
        Map<String, Cell> byRoute = new TreeMap<>(cells);
        StringBuilder o = new StringBuilder(4096);
        family(o, "tiled_gateway_requests_total", "counter", "Requests answered, by route and status class.");
        byRoute.forEach((route, c) -> {
            for (int i = 0; i < CLASSES.length; i++) {
                long n = c.byClass[i].sum();
                if (n > 0 || i == 1) sample(o, "tiled_gateway_requests_total", route, "status", CLASSES[i], n);
            }
        });
        family(o, "tiled_gateway_errors_total", "counter", "Requests answered with a client (4xx) or server (5xx) error, by route.");
        byRoute.forEach((route, c) -> {
            sample(o, "tiled_gateway_errors_total", route, "status", "4xx", c.byClass[3].sum());
            sample(o, "tiled_gateway_errors_total", route, "status", "5xx", c.byClass[4].sum());
        });
        family(o, "tiled_gateway_request_duration_seconds", "histogram", "Time from the request's arrival at the API function to its answer, by route.");
        byRoute.forEach((route, c) -> {
            long cumulative = 0;
            for (int i = 0; i <= BUCKETS.length; i++) {
                cumulative += c.buckets[i].sum();
                o.append("tiled_gateway_request_duration_seconds_bucket{route=\"").append(escape(route)).append("\",le=\"")
                        .append(i < BUCKETS.length ? Double.toString(BUCKETS[i]) : "+Inf").append("\"} ").append(cumulative).append('\n');
            }
            o.append("tiled_gateway_request_duration_seconds_sum{route=\"").append(escape(route)).append("\"} ").append(seconds(c.nanos.sum())).append('\n');
            o.append("tiled_gateway_request_duration_seconds_count{route=\"").append(escape(route)).append("\"} ").append(cumulative).append('\n');
        });
        family(o, "tiled_gateway_response_bytes_total", "counter", "Bytes of response bodies as sent (after compression), by route.");
        byRoute.forEach((route, c) -> sample(o, "tiled_gateway_response_bytes_total", route, null, null, c.bytes.sum()));
        family(o, "tiled_gateway_redirects_total", "counter", "Answers that redirected to a materialised result, by route.");
        byRoute.forEach((route, c) -> sample(o, "tiled_gateway_redirects_total", route, null, null, c.redirects.sum()));
        family(o, "tiled_gateway_backend_calls_total", "counter", "Calls to the catalog and the object store, by route and backend.");
        byRoute.forEach((route, c) -> {
            for (RequestTrace.Port p : RequestTrace.Port.values())
                sample(o, "tiled_gateway_backend_calls_total", route, "backend", p.label, c.calls[p.ordinal()].sum());
        });
        family(o, "tiled_gateway_backend_call_seconds_total", "counter", "Time spent in calls to the catalog and the object store, by route and backend.");
        byRoute.forEach((route, c) -> {
            for (RequestTrace.Port p : RequestTrace.Port.values()) {
                o.append("tiled_gateway_backend_call_seconds_total{route=\"").append(escape(route)).append("\",backend=\"").append(p.label)
                        .append("\"} ").append(seconds(c.callNanos[p.ordinal()].sum())).append('\n');
            }
        });
        return o.toString();
    }

    private static void family(StringBuilder o, String name, String type, String help) {
        o.append("# HELP ").append(name).append(' ').append(help).append('\n');
        o.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder o, String name, String route, String label, String value, long n) {
        o.append(name).append("{route=\"").append(escape(route)).append('"');
        if (label != null) o.append(',').append(label).append("=\"").append(value).append('"');
        o.append("} ").append(n).append('\n');
    }

    private static String seconds(long nanos) { return Double.toString(nanos / 1e9); }

    /** A label value as the exposition format quotes it: backslash, double quote and line feed escaped. */
    static String escape(String v) {
        if (v.indexOf('\\') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0) return v;
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
