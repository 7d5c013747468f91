package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator sees of a running server, over real sockets: {@code Server-Timing} on every answer,
 * {@code GET /api/v1/metrics} (Prometheus text, {@code metrics} scope) moving with the requests, and with
 * {@code --log-requests} one JSON line per request on standard output.
 */
class ObservabilityHttpTest {

    private static final String KEY = "observability_test_key_0123456789";
    private static final String ORIGIN = "https://notebook.example.org";
    /** A W3C Server-Timing value: comma-separated metrics, each a token with {@code ;dur=} milliseconds. */
    private static final Pattern SERVER_TIMING = Pattern.compile("[A-Za-z0-9_-]+;dur=[0-9]+(\\.[0-9]+)?(, [A-Za-z0-9_-]+;dur=[0-9]+(\\.[0-9]+)?)*");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)");

    @TempDir
    static Path tmp;
    private static final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private static Main.Running running;
    private static Http http;

    @BeforeAll
    static void start() {
        Map<String, String> env = new HashMap<>();
        env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.Result r = Main.execute(new String[] {"serve", "catalog", "--data-dir", tmp.resolve("data").toString(), "--port", "0", "--api-key", KEY,
                        "--log-requests", "--max-inline-bytes", "1000", "--allow-origin", ORIGIN},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
        assertEquals(Main.OK, r.status(), err.toString(StandardCharsets.UTF_8));
        running = r.running();
        http = new Http(running);
    }

    @AfterAll
    static void stop() { running.close(); }

    /** The samples of the exposition text, each line checked for its form: {@code name{labels} value}, HELP or TYPE. */
    private static Map<String, Double> metrics() throws Exception {
        HttpResponse<byte[]> r = http.get("/api/v1/metrics", "Accept-Encoding", "identity");
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        Map<String, Double> samples = new HashMap<>();
        for (String line : new String(r.body(), StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) continue;
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "a malformed sample line: " + line);
            samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        }
        return samples;
    }

    private static double at(Map<String, Double> samples, String key) { return samples.getOrDefault(key, 0.0); }

    private static List<JsonNode> requestLines() throws Exception {
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String l : out.toString(StandardCharsets.UTF_8).lines().toList()) if (l.startsWith("{")) lines.add(Json.parse(l));
        return lines;
    }

    @Test
    void everyAnswerCarriesAWellFormedServerTiming() throws Exception {
        for (HttpResponse<byte[]> r : List.of(http.get("/api/v1/"), http.get("/api/v1/metadata/"), http.get("/api/v1/metadata/no/such/node"),
                http.anonymous().get("/api/v1/metadata/"), http.get("/api/v1/nonsense"))) {
            String timing = r.headers().firstValue("Server-Timing").orElse(null);
            assertTrue(timing != null && SERVER_TIMING.matcher(timing).matches(), r.uri() + " " + r.statusCode() + ": " + timing);
            assertTrue(timing.startsWith("catalog;dur=") && timing.contains(", store;dur=") && timing.contains(", total;dur="), timing);
        }
        HttpResponse<byte[]> cors = http.get("/api/v1/metadata/", "Origin", ORIGIN);
        assertTrue(cors.headers().firstValue("Access-Control-Expose-Headers").orElse("").contains("Server-Timing"),
                "a page of an allowed origin may read it: " + cors.headers().map());
    }

    @Test
    void metricsNeedTheMetricsScope() throws Exception {
        HttpResponse<byte[]> anonymous = http.anonymous().get("/api/v1/metrics");
        assertEquals(401, anonymous.statusCode());
        assertTrue(Json.parse(anonymous.body()).path("detail").asText().contains("Requires scopes ['metrics']"), new String(anonymous.body()));
        // A key of the server's owner without that scope is refused too.
        HttpResponse<byte[]> created = http.send("POST", "/api/v1/auth/apikey",
                "{\"scopes\": [\"read:metadata\", \"read:data\"], \"expires_in\": null, \"note\": null}".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json");
        assertEquals(200, created.statusCode(), new String(created.body()));
        String reader = Json.parse(created.body()).path("secret").asText();
        assertEquals(401, http.get("/api/v1/metrics", "Authorization", "Apikey " + reader).statusCode());
        assertEquals(200, http.get("/api/v1/metrics").statusCode());
    }

    @Test
    void countersMoveWithTheRequests() throws Exception {
        Map<String, Double> before = metrics();
        for (int i = 0; i < 3; i++) assertEquals(200, http.get("/api/v1/metadata/").statusCode());
        assertEquals(404, http.get("/api/v1/metadata/missing").statusCode());
        Map<String, Double> after = metrics();
        String ok = "tiled_gateway_requests_total{route=\"GET metadata\",status=\"2xx\"}";
        assertEquals(at(before, ok) + 3, at(after, ok), "three metadata reads");
        String notFound = "tiled_gateway_errors_total{route=\"GET metadata\",status=\"4xx\"}";
        assertEquals(at(before, notFound) + 1, at(after, notFound));
        String catalog = "tiled_gateway_backend_calls_total{route=\"GET metadata\",backend=\"catalog\"}";
        assertTrue(at(after, catalog) >= at(before, catalog) + 4, "each read asks the catalog: " + at(before, catalog) + " -> " + at(after, catalog));
        String bytes = "tiled_gateway_response_bytes_total{route=\"GET metadata\"}";
        assertTrue(at(after, bytes) > at(before, bytes));
        String count = "tiled_gateway_request_duration_seconds_count{route=\"GET metadata\"}";
        assertEquals(at(before, count) + 4, at(after, count));
        assertEquals(at(after, count), at(after, "tiled_gateway_request_duration_seconds_bucket{route=\"GET metadata\",le=\"+Inf\"}"));
        assertTrue(at(after, "tiled_gateway_requests_total{route=\"GET metrics\",status=\"2xx\"}") >= 1, "the metrics request itself is counted");
        for (String k : after.keySet()) assertFalse(k.contains("missing"), "never a node path as a label: " + k);
    }

    @Test
    void aRedirectToAMaterialisedResultIsCountedAndLogged() throws Exception {
        Writes w = new Writes(http);
        JsonNode doc = w.array("", "big", WriteHttpTest.F8, "[16, 16]", "[[16], [16]]");
        w.block(doc, CatalogServeTest.doubles(256, 0), 0, 0);
        Map<String, Double> before = metrics();
        HttpResponse<byte[]> r = http.get("/api/v1/array/full/big", "Accept", "application/octet-stream");
        assertEquals(307, r.statusCode(), "2,048 bytes over the 1,000-byte ceiling");
        Map<String, Double> after = metrics();
        String redirects = "tiled_gateway_redirects_total{route=\"GET array/full\"}";
        assertEquals(at(before, redirects) + 1, at(after, redirects));
        JsonNode line = requestLines().stream().filter(l -> l.path("Route").asText().equals("GET array/full")).reduce((a, b) -> b).orElseThrow();
        assertEquals(1, line.get("Redirects").asInt());
        assertEquals(307, line.get("status").asInt());
        assertEquals("/big", line.get("path").asText());
        assertTrue(line.at("/backend/store/calls").asInt() >= 1, "the result was written to the store: " + line);
    }

    @Test
    void withLogRequestsEachRequestIsOneJsonLine() throws Exception {
        int before = requestLines().size();
        HttpResponse<byte[]> r = http.get("/api/v1/metadata/");
        int after = requestLines().size();
        assertEquals(before + 1, after);
        JsonNode line = requestLines().getLast();
        assertEquals("GET metadata", line.get("Route").asText());
        assertEquals("/", line.get("path").asText());
        assertEquals(r.headers().firstValue("X-Tiled-Request-ID").orElseThrow(), line.get("tiledRequestId").asText());
        assertTrue(line.get("requestId").asText().matches("[0-9a-f-]{36}"), "the emulated API Gateway's request id: " + line);
        assertEquals("TiledGateway", line.at("/_aws/CloudWatchMetrics/0/Namespace").asText());
        assertFalse(out.toString(StandardCharsets.UTF_8).contains(KEY), "no key is ever logged");
    }

    @Test
    void withoutLogRequestsNothingIsPrintedPerRequest() throws Exception {
        ByteArrayOutputStream quietOut = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.Result r = Main.execute(new String[] {"serve", "catalog", "--data-dir", tmp.resolve("quiet").toString(), "--port", "0", "--api-key", KEY},
                new PrintStream(quietOut, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString()));
        assertEquals(Main.OK, r.status(), err.toString(StandardCharsets.UTF_8));
        try (Main.Running quiet = r.running()) {
            String banner = quietOut.toString(StandardCharsets.UTF_8);
            Http q = new Http(quiet);
            assertEquals(200, q.get("/api/v1/metadata/").statusCode());
            assertEquals(404, q.get("/api/v1/metadata/nothing").statusCode());
            assertEquals(banner, quietOut.toString(StandardCharsets.UTF_8), "only the banner");
            assertTrue(new String(q.get("/api/v1/metrics").body(), StandardCharsets.UTF_8).contains("route=\"GET metadata\",status=\"4xx\"} 1"),
                    "the numbers are kept all the same");
        }
    }
}
