package dev.tiledgateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.auth.Access;
import dev.tiledgateway.core.auth.Authenticator;
import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.backend.Backend;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.observe.RequestLog;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.route.Gateway;
import dev.tiledgateway.core.route.GatewayConfig;
import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.core.structure.StructureJson;
import dev.tiledgateway.embedded.EmbeddedBackendFactory;
import dev.tiledgateway.formats.ZarrArrayReader;
import dev.tiledgateway.formats.zarr.V2Compressor;
import dev.tiledgateway.formats.zarr.ZarrArray;
import dev.tiledgateway.formats.zarr.ZarrV2Writer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the API function writes to CloudWatch Logs: driven with recorded API Gateway v2.0 events through its stream
 * entry point, over the embedded catalog and store (the real adapters, counted by the gateway's wrappers), with its
 * standard output captured. One JSON line per request, an EMF document whose numbers are the request's own.
 */
class RequestLinesTest {

    /** W3C Server-Timing: metrics separated by commas, each a token with optional {@code ;dur=} and other parameters. */
    static final Pattern SERVER_TIMING = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+(;\\s*[a-z]+=[0-9.]+)*(,\\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+(;\\s*[a-z]+=[0-9.]+)*)*");

    @TempDir
    static Path dir;
    private static Backend backend;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private PrintStream realStdout;
    private ApiHandler handler;

    @BeforeAll
    static void backend() throws IOException {
        backend = EmbeddedBackendFactory.open(dir, null);
        ZarrV2Writer w = ZarrV2Writer.create(backend.store(), "arrays/grid/", DataType.Builtin.parse("<i4"), new long[] {4, 6}, new int[] {2, 4},
                V2Compressor.zstd(3), 0, Map.of("units", "counts"));
        for (int ci = 0; ci < 2; ci++) for (int cj = 0; cj < 2; cj++) w.writeChunk(new long[] {ci, cj}, new byte[2 * 4 * 4]);
        ZarrArray a = ZarrArray.open(backend.store(), "arrays/grid/");
        backend.catalog().put(new Node(NodePath.of("grid"), StructureFamily.ARRAY, (ObjectNode) a.attributes(), List.of(), StructureJson.array(a.structure()),
                new DataSource(ZarrArrayReader.MIMETYPE, List.of(new Asset("arrays/grid/", true, "data_uri"))), null, 0));
    }

    /** A handler as Lambda builds it: request lines to what is standard output when it is built, namespace from the environment. */
    @BeforeEach
    void captureStdout() {
        realStdout = System.out;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        handler = new ApiHandler(Gateway.router(backend.catalog(), backend.store(), GatewayConfig.defaults(),
                new Access(new Authenticator.Settings(Scopes.PUBLIC, null), backend.apiKeys())), Set.of(),
                RequestLog.to(System.out, Map.of(RequestLog.NAMESPACE, "TiledGatewayTest")));
    }

    @AfterEach
    void restoreStdout() { System.setOut(realStdout); }

    private static byte[] event(String name) throws IOException {
        try (InputStream s = RequestLinesTest.class.getResourceAsStream("/events/http-api-v2/" + name + ".json")) {
            return s.readAllBytes();
        }
    }

    /** The recorded event with another API Gateway request id (to tell concurrent requests apart). */
    private static byte[] event(String name, String requestId) throws IOException {
        ObjectNode e = (ObjectNode) Json.parse(event(name));
        ((ObjectNode) e.get("requestContext")).put("requestId", requestId);
        return Json.bytes(e);
    }

    private JsonNode invoke(byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        return Json.parse(out.toByteArray());
    }

    private List<String> lines() { return stdout.toString(StandardCharsets.UTF_8).lines().toList(); }

    private static long bodyBytes(JsonNode response) {
        String b = response.path("body").asText("");
        return response.path("isBase64Encoded").asBoolean() ? Base64.getDecoder().decode(b).length : b.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void aMetadataReadWritesOneLineWithItsEmbeddedMetrics() throws Exception {
        JsonNode response = invoke(event("metadata-forwarded"));
        assertEquals(200, response.get("statusCode").asInt());
        List<String> lines = lines();
        assertEquals(1, lines.size(), "one line per request: " + lines);
        JsonNode line = Json.parse(lines.getFirst());
        // The EMF structure (the full rules are checked in core's RequestLogTest): a timestamp of this request, the
        // route as the dimension, and every metric a number at the top level.
        long ts = line.at("/_aws/Timestamp").asLong();
        assertTrue(line.at("/_aws/Timestamp").isIntegralNumber() && Math.abs(System.currentTimeMillis() - ts) < 600_000, line.toString());
        assertEquals("[[\"Route\"]]", line.at("/_aws/CloudWatchMetrics/0/Dimensions").toString());
        for (JsonNode m : line.at("/_aws/CloudWatchMetrics/0/Metrics"))
            assertTrue(line.path(m.get("Name").asText()).isNumber() && m.get("Unit").isTextual(), m.toString());
        assertEquals(5, line.at("/_aws/CloudWatchMetrics/0/Metrics").size());
        assertEquals("TiledGatewayTest", line.at("/_aws/CloudWatchMetrics/0/Namespace").asText());
        assertEquals("GET metadata", line.get("Route").asText());
        assertEquals("Bq1xZj2AoAMEV-g=", line.get("requestId").asText(), "API Gateway's request id");
        assertEquals(response.at("/headers/X-Tiled-Request-ID").asText(), line.get("tiledRequestId").asText());
        assertEquals("/grid", line.get("path").asText());
        assertEquals(200, line.get("status").asInt());
        assertEquals(bodyBytes(response), line.get("Bytes").asLong(), "the bytes of the body as sent");
        assertEquals(0, line.get("Errors4xx").asInt() + line.get("Errors5xx").asInt() + line.get("Redirects").asInt());
        assertTrue(line.get("Latency").asDouble() > 0);
        // A metadata read is one GetItem-like read of the node; nothing of the store.
        assertEquals(1, line.at("/backend/catalog/calls").asInt(), lines.getFirst());
        assertEquals(0, line.at("/backend/store/calls").asInt(), lines.getFirst());
        String timing = response.at("/headers/Server-Timing").asText();
        assertTrue(SERVER_TIMING.matcher(timing).matches(), timing);
        assertTrue(timing.startsWith("catalog;dur=") && timing.contains(", store;dur=0.000, total;dur="), timing);
    }

    @Test
    void aMissingNodeIsAClientErrorOfItsRoute() throws Exception {
        JsonNode response = invoke(event("metadata-missing"));
        assertEquals(404, response.get("statusCode").asInt());
        List<String> lines = lines();
        assertEquals(1, lines.size(), lines.toString());
        JsonNode line = Json.parse(lines.getFirst());
        assertEquals("GET metadata", line.get("Route").asText());
        assertEquals("/grid/nope", line.get("path").asText());
        assertEquals(404, line.get("status").asInt());
        assertEquals(1, line.get("Errors4xx").asInt());
        assertEquals(0, line.get("Errors5xx").asInt());
        assertTrue(response.at("/headers/Server-Timing").isTextual(), "errors are timed too");
    }

    @Test
    void aBlockReadCountsTheStoreReadsItMade() throws Exception {
        assertEquals(200, invoke(event("array-block")).get("statusCode").asInt());
        JsonNode first = Json.parse(lines().getFirst());
        stdout.reset();
        assertEquals(200, invoke(event("array-block")).get("statusCode").asInt());
        JsonNode again = Json.parse(lines().getFirst());
        assertEquals("GET array/block", again.get("Route").asText());
        assertEquals(1, again.at("/backend/catalog/calls").asInt(), again.toString());
        // Block (1, 0) of the 4x6 array in 2x4 chunks is one chunk: one GET once the array's metadata is known
        // (read from the store by the first request that opened it).
        assertEquals(1, again.at("/backend/store/calls").asInt(), again.toString());
        assertTrue(first.at("/backend/store/calls").asInt() >= again.at("/backend/store/calls").asInt(), first.toString());
        assertTrue(again.at("/backend/store/ms").asDouble() > 0, again.toString());
    }

    @Test
    void aMalformedEventIsStillOneLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream("not json".getBytes(StandardCharsets.UTF_8)), out, null);
        assertEquals(400, Json.parse(out.toByteArray()).get("statusCode").asInt());
        JsonNode line = Json.parse(lines().getFirst());
        assertEquals("other", line.get("Route").asText());
        assertEquals(1, line.get("Errors4xx").asInt());
        assertEquals(1, lines().size());
    }

    @Test
    void concurrentRequestsAreCountedEachOnItsOwn() throws Exception {
        // What each kind of request does alone, then many of them at once: every line must show its own calls.
        Map<String, JsonNode> alone = new java.util.HashMap<>();
        for (String e : List.of("metadata-forwarded", "array-block", "array-full-slice")) invoke(event(e)); // arrays opened once
        for (String e : List.of("metadata-forwarded", "array-block", "array-full-slice")) {
            stdout.reset();
            invoke(event(e, "alone-" + e));
            alone.put(e, Json.parse(lines().getFirst()).get("backend"));
        }
        stdout.reset();
        List<String> kinds = List.of("metadata-forwarded", "array-block", "array-full-slice");
        List<String> sent = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                String kind = kinds.get(i % kinds.size());
                String id = "req-" + i;
                all.add(pool.submit(() -> {
                    assertEquals(200, invoke(event(kind, id)).get("statusCode").asInt());
                    sent.add(id);
                    return null;
                }));
            }
            for (Future<?> f : all) f.get();
        } finally {
            pool.shutdownNow();
        }
        List<String> lines = lines();
        assertEquals(120, lines.size());
        for (String l : lines) {
            JsonNode line = Json.parse(l);
            int i = Integer.parseInt(line.get("requestId").asText().substring(4));
            JsonNode expected = alone.get(kinds.get(i % kinds.size()));
            for (String port : List.of("catalog", "store"))
                assertEquals(expected.path(port).path("calls").asInt(), line.at("/backend/" + port + "/calls").asInt(), port + " calls of " + l);
        }
    }
}
