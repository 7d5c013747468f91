package dev.tiledgateway.core.observe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request line as a CloudWatch embedded metric format document, checked against the specification's rules. */
class RequestLogTest {

    /** The units the specification allows for a metric definition. */
    private static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes",
            "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second",
            "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second",
            "Gigabits/Second", "Terabits/Second", "Count/Second", "None");

    /**
     * The specification's structural rules: a root object with {@code _aws} holding a {@code Timestamp} (milliseconds
     * since the epoch) and {@code CloudWatchMetrics} directives, each with a namespace of 1-255 characters, dimension
     * sets of at most 30 names each referring to a string member of the root, and at most 100 metric definitions,
     * each naming a number (or list of numbers) of the root, with a known unit. Returns the violations.
     */
    static List<String> emfViolations(JsonNode doc) {
        List<String> bad = new ArrayList<>();
        if (!doc.isObject()) return List.of("the root is not an object");
        JsonNode aws = doc.get("_aws");
        if (aws == null || !aws.isObject()) return List.of("no _aws object");
        if (!aws.path("Timestamp").isIntegralNumber()) bad.add("_aws.Timestamp is not an integer number of milliseconds");
        JsonNode directives = aws.get("CloudWatchMetrics");
        if (directives == null || !directives.isArray()) return List.of("_aws.CloudWatchMetrics is not an array");
        for (JsonNode d : directives) {
            String ns = d.path("Namespace").asText("");
            if (!d.path("Namespace").isTextual() || ns.isEmpty() || ns.length() > 255) bad.add("Namespace: " + d.path("Namespace"));
            JsonNode dims = d.get("Dimensions");
            if (dims == null || !dims.isArray()) bad.add("Dimensions is not an array");
            else for (JsonNode set : dims) {
                if (!set.isArray() || set.size() > 30) bad.add("dimension set " + set);
                else for (JsonNode name : set) {
                    if (!name.isTextual() || !doc.path(name.asText()).isTextual()) bad.add("dimension " + name + " is not a string member of the root");
                }
            }
            JsonNode metrics = d.get("Metrics");
            if (metrics == null || !metrics.isArray() || metrics.size() > 100) {
                bad.add("Metrics: " + metrics);
                continue;
            }
            Set<String> names = new HashSet<>();
            for (JsonNode m : metrics) {
                String name = m.path("Name").asText("");
                if (name.isEmpty() || name.length() > 255 || !names.add(name)) bad.add("metric name " + m.path("Name"));
                if (m.has("Unit") && !UNITS.contains(m.get("Unit").asText())) bad.add("unit " + m.get("Unit"));
                JsonNode value = doc.get(name);
                boolean numeric = value != null && (value.isNumber() || (value.isArray() && value.size() <= 100 && allNumbers(value)));
                if (!numeric) bad.add("metric " + name + " has no numeric member in the root: " + value);
            }
        }
        return bad;
    }

    private static boolean allNumbers(JsonNode a) {
        for (JsonNode v : a) if (!v.isNumber()) return false;
        return true;
    }

    private static RequestTrace trace(int status, long bodyBytes, boolean redirect) {
        RequestTrace t = RequestTrace.begin("Bq1xZj2AoAMEV-g=");
        try {
            t.routed("GET array/full", NodePath.of("nested/images/big_image"));
            RequestTrace.charge(t, RequestTrace.Port.CATALOG, 1_500_000);
            RequestTrace.charge(t, RequestTrace.Port.STORE, 2_000_000);
            RequestTrace.charge(t, RequestTrace.Port.STORE, 3_000_000);
            if (redirect) RequestTrace.redirected(); // what the result store does on the request's thread
            Response r = new Response(status, "application/octet-stream", new byte[(int) bodyBytes]);
            r.header("X-Tiled-Request-ID", "0123456789abcdef");
            t.answered(r);
        } finally {
            RequestTrace.end();
        }
        t.finish();
        return t;
    }

    @Test
    void theLineIsAValidEmbeddedMetricDocument() throws Exception {
        RequestTrace t = trace(200, 1234, false);
        String line = new RequestLog("TiledGateway", s -> {}).line(t);
        assertFalse(line.contains("\n"), "one line");
        JsonNode doc = Json.parse(line);
        assertEquals(List.of(), emfViolations(doc), line);
        assertEquals(t.startEpochMillis(), doc.at("/_aws/Timestamp").asLong());
        assertEquals("TiledGateway", doc.at("/_aws/CloudWatchMetrics/0/Namespace").asText());
        assertEquals("[[\"Route\"]]", doc.at("/_aws/CloudWatchMetrics/0/Dimensions").toString(), "the route is the only dimension");
        Map<String, String> units = new java.util.LinkedHashMap<>();
        for (JsonNode m : doc.at("/_aws/CloudWatchMetrics/0/Metrics")) units.put(m.get("Name").asText(), m.get("Unit").asText());
        assertEquals(Map.of("Latency", "Milliseconds", "Errors4xx", "Count", "Errors5xx", "Count", "Bytes", "Bytes", "Redirects", "Count"), units);
    }

    @Test
    void theLineCarriesWhatTheRequestDid() throws Exception {
        RequestTrace t = trace(200, 1234, false);
        JsonNode doc = Json.parse(new RequestLog("TiledGateway", s -> {}).line(t));
        assertEquals("GET array/full", doc.get("Route").asText());
        assertEquals(t.durationNanos() / 1e6, doc.get("Latency").asDouble(), 1e-9);
        assertEquals(1234, doc.get("Bytes").asLong());
        assertEquals(0, doc.get("Errors4xx").asInt());
        assertEquals(0, doc.get("Errors5xx").asInt());
        assertEquals(0, doc.get("Redirects").asInt());
        assertEquals("Bq1xZj2AoAMEV-g=", doc.get("requestId").asText());
        assertEquals("0123456789abcdef", doc.get("tiledRequestId").asText());
        assertEquals("/nested/images/big_image", doc.get("path").asText());
        assertEquals(200, doc.get("status").asInt());
        assertEquals(1, doc.at("/backend/catalog/calls").asInt());
        assertEquals(1.5, doc.at("/backend/catalog/ms").asDouble(), 1e-9);
        assertEquals(2, doc.at("/backend/store/calls").asInt());
        assertEquals(5.0, doc.at("/backend/store/ms").asDouble(), 1e-9);
    }

    @Test
    void errorsAreCountedByTheirClass() throws Exception {
        RequestLog log = new RequestLog("TiledGateway", s -> {});
        JsonNode notFound = Json.parse(log.line(trace(404, 30, false)));
        assertEquals(1, notFound.get("Errors4xx").asInt());
        assertEquals(0, notFound.get("Errors5xx").asInt());
        JsonNode unavailable = Json.parse(log.line(trace(503, 30, false)));
        assertEquals(0, unavailable.get("Errors4xx").asInt());
        assertEquals(1, unavailable.get("Errors5xx").asInt());
    }

    @Test
    void aRedirectIsCountedOnlyWhereTheRequestMadeOne() throws Exception {
        RequestLog log = new RequestLog("TiledGateway", s -> {});
        assertEquals(1, Json.parse(log.line(trace(307, 0, true))).get("Redirects").asInt());
        RequestTrace.redirected(); // outside of any request: nobody's
        assertEquals(0, Json.parse(log.line(trace(200, 10, false))).get("Redirects").asInt());
        assertEquals(null, RequestTrace.current(), "a trace ends with its request");
    }

    @Test
    void theNamespaceComesFromTheEnvironmentWithADefault() {
        List<String> lines = new ArrayList<>();
        assertEquals(RequestLog.DEFAULT_NAMESPACE, RequestLog.to(System.out, Map.of()).namespace());
        assertEquals("Science/Gateway", RequestLog.to(System.out, Map.of(RequestLog.NAMESPACE, " Science/Gateway ")).namespace());
        assertThrows(IllegalArgumentException.class, () -> new RequestLog("x".repeat(256), lines::add));
        new RequestLog("N", lines::add).write(trace(200, 1, false));
        assertEquals(1, lines.size());
    }
}
