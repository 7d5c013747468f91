package dev.tiledgateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.backend.Backend;
import dev.tiledgateway.core.backend.BackendFactory;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.json.Json;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Lambda handler driven with API Gateway HTTP API payload v2.0 events (testkit's events/http-api-v2, in the
 * documented v2.0 shape), through its stream entry point, over the embedded backend with a real Zarr array.
 */
class ApiHandlerEventsTest {

    @TempDir
    static Path dir;

    private static ApiHandler handler;

    @BeforeAll
    static void backend() throws IOException {
        Backend b = EmbeddedBackendFactory.open(dir, null);
        ZarrV2Writer w = ZarrV2Writer.create(b.store(), "arrays/grid/", DataType.Builtin.parse("<i4"), new long[] {4, 6}, new int[] {2, 4},
                V2Compressor.zstd(3), 0, Map.of("units", "counts"));
        for (int ci = 0; ci < 2; ci++) for (int cj = 0; cj < 2; cj++) {
            ByteBuffer chunk = ByteBuffer.allocate(2 * 4 * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 2; i++) for (int j = 0; j < 4; j++) {
                int r = ci * 2 + i, c = cj * 4 + j;
                chunk.putInt(c < 6 ? r * 6 + c : 0);
            }
            w.writeChunk(new long[] {ci, cj}, chunk.array());
        }
        ZarrArray a = ZarrArray.open(b.store(), "arrays/grid/");
        b.catalog().put(new Node(NodePath.of("grid"), StructureFamily.ARRAY, (com.fasterxml.jackson.databind.node.ObjectNode) a.attributes(),
                List.of(), StructureJson.array(a.structure()),
                new DataSource(ZarrArrayReader.MIMETYPE, List.of(new Asset("arrays/grid/", true, "data_uri"))), null, 0));
        handler = new ApiHandler(Gateway.router(b.catalog(), b.store(), GatewayConfig.defaults(),
                new dev.tiledgateway.core.auth.Access(new dev.tiledgateway.core.auth.Authenticator.Settings(dev.tiledgateway.core.auth.Scopes.PUBLIC, null), b.apiKeys())));
    }

    private static JsonNode invoke(String event) throws IOException { return invoke(handler, event); }

    private static JsonNode invoke(ApiHandler handler, String event) throws IOException {
        byte[] in;
        try (InputStream s = ApiHandlerEventsTest.class.getResourceAsStream("/events/http-api-v2/" + event + ".json")) {
            in = s.readAllBytes();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(in), out, null);
        return Json.parse(out.toByteArray());
    }

    private static byte[] body(JsonNode r) {
        String b = r.get("body").asText();
        return r.get("isBase64Encoded").asBoolean() ? Base64.getDecoder().decode(b) : b.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The response document, decoded as its Content-Type says (the recorded events ask for MessagePack, as the client does). */
    private static JsonNode doc(JsonNode r) throws IOException {
        byte[] b = body(r);
        switch (r.at("/headers/Content-Encoding").asText()) {
            case "zstd" -> b = com.github.luben.zstd.Zstd.decompress(b, (int) com.github.luben.zstd.Zstd.getFrameContentSize(b));
            case "gzip" -> b = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(b)).readAllBytes();
            default -> { }
        }
        if ("application/x-msgpack".equals(r.at("/headers/Content-Type").asText())) {
            try (var u = org.msgpack.core.MessagePack.newDefaultUnpacker(b)) {
                return Json.parse(u.unpackValue().toJson());
            }
        }
        return Json.parse(b);
    }

    private static int[] ints(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[b.length / 4];
        for (int i = 0; i < out.length; i++) out[i] = bb.getInt(i * 4);
        return out;
    }

    @Test
    void aboutBuildsLinksFromTheForwardedHostAndProto() throws IOException {
        JsonNode r = invoke("about");
        assertEquals(200, r.get("statusCode").asInt());
        assertEquals("application/x-msgpack", r.at("/headers/Content-Type").asText(), "the client asks for MessagePack first");
        assertTrue(r.get("isBase64Encoded").asBoolean(), "binary bodies are base64 in the v2.0 response");
        JsonNode about = doc(r);
        assertEquals("https://abc123.execute-api.us-east-1.amazonaws.com/api/v1", about.at("/links/self").asText());
        assertTrue(r.at("/headers/X-Tiled-Request-ID").asText().matches("[0-9a-f]{16}"));
        assertTrue(r.at("/cookies/0").asText().startsWith("tiled_csrf="), "cookies go in the v2.0 cookies list");
    }

    @Test
    void aNamedStageIsServedAndKeptInEveryLink() throws IOException {
        // API Gateway's own domain puts a named stage first in rawPath (events/http-api-v2/metadata-stage.json: "prod").
        JsonNode r = invoke("metadata-stage");
        assertEquals(200, r.get("statusCode").asInt(), () -> r.toString());
        JsonNode node = doc(r).get("data");
        assertEquals("grid", node.get("id").asText());
        String base = "https://abc123.execute-api.us-east-1.amazonaws.com/prod/api/v1";
        assertEquals(base + "/metadata/grid", node.at("/links/self").asText());
        assertEquals(base + "/array/full/grid", node.at("/links/full").asText());
        assertEquals(base + "/array/block/grid?block={0},{1}", node.at("/links/block").asText());
    }

    @Test
    void aStageNameIsStrippedOnlyAsTheFirstWholeSegment() throws IOException {
        JsonNode event = Json.parse(ApiHandlerEventsTest.class.getResourceAsStream("/events/http-api-v2/metadata-stage.json").readAllBytes());
        // A custom domain's API mapping leaves the stage out of the path: nothing is stripped, links carry no stage.
        ((com.fasterxml.jackson.databind.node.ObjectNode) event).put("rawPath", "/api/v1/metadata/grid");
        JsonNode r = Json.parse(handler.handle(Json.bytes(event)));
        assertEquals(200, r.get("statusCode").asInt(), () -> r.toString());
        assertEquals("https://abc123.execute-api.us-east-1.amazonaws.com/api/v1/metadata/grid", doc(r).at("/data/links/self").asText());
        // "/production/..." is not under the stage "prod".
        ((com.fasterxml.jackson.databind.node.ObjectNode) event).put("rawPath", "/production/api/v1/metadata/grid");
        assertEquals(404, Json.parse(handler.handle(Json.bytes(event))).get("statusCode").asInt());
        assertEquals("", HttpApiEvents.stagePrefix("$default", "/prod/api/v1/"));
        assertEquals("/prod", HttpApiEvents.stagePrefix("prod", "/prod"));
    }

    @Test
    void cookiesFromTheEventSuppressANewCsrfCookie() throws IOException {
        JsonNode r = invoke("metadata-root");
        assertEquals(200, r.get("statusCode").asInt());
        assertTrue(r.path("cookies").isMissingNode() || r.get("cookies").isEmpty());
        assertEquals(1, doc(r).at("/data/attributes/structure/count").asInt());
    }

    @Test
    void repeatedParametersComeFromTheRawQueryString() throws IOException {
        JsonNode page = doc(invoke("search-repeated-params"));
        JsonNode a = page.at("/data/0/attributes");
        assertEquals("array", a.get("structure_family").asText(), "fields=structure_family was not lost to comma joining");
        assertEquals("counts", a.at("/metadata/units").asText());
        assertTrue(a.get("structure").isNull());
    }

    @Test
    void binarySlicesAreBase64Encoded() throws IOException {
        JsonNode r = invoke("array-full-slice");
        assertEquals(200, r.get("statusCode").asInt());
        assertTrue(r.get("isBase64Encoded").asBoolean());
        assertEquals("application/octet-stream", r.at("/headers/Content-Type").asText());
        assertEquals(List.of(11, 9, 7, 17, 15, 13), java.util.Arrays.stream(ints(body(r))).boxed().toList());
    }

    @Test
    void blocksAreTheChunkGrid() throws IOException {
        JsonNode r = invoke("array-block");
        assertEquals(List.of(12, 13, 14, 15, 18, 19, 20, 21), java.util.Arrays.stream(ints(body(r))).boxed().toList());
    }

    @Test
    void clientMistakesAreJson4xx() throws IOException {
        JsonNode bad = invoke("array-bad-slice");
        assertEquals(422, bad.get("statusCode").asInt());
        assertTrue(Json.parse(body(bad)).get("detail").asText().startsWith("Malformed slice"));
        JsonNode missing = invoke("metadata-missing");
        assertEquals(404, missing.get("statusCode").asInt());
        assertEquals("No such entry: ['grid', 'nope']", doc(missing).get("detail").asText());
    }

    @Test
    void aForwardedHostIsIgnoredUnlessItIsAConfiguredOne() throws IOException {
        assertEquals("https://abc123.execute-api.us-east-1.amazonaws.com/api/v1/metadata/grid",
                doc(invoke("metadata-forwarded")).at("/data/links/self").asText(), "any client can send X-Forwarded-Host");
        ApiHandler behindCdn = new ApiHandler(handler.router(), ApiHandler.forwardedHosts("cdn.example.org, Data.Example.org"));
        assertEquals("https://data.example.org/api/v1/metadata/grid",
                doc(invoke(behindCdn, "metadata-forwarded")).at("/data/links/self").asText());
    }

    @Test
    void aMalformedEventIs400NotACrash() {
        JsonNode r = Json.mapper().valueToTree(Map.of());
        byte[] out = handler.handle("{\"version\": \"1.0\"}".getBytes());
        assertEquals(400, assertDoesNotThrow(out).get("statusCode").asInt());
        assertEquals(400, assertDoesNotThrow(handler.handle("not json".getBytes())).get("statusCode").asInt());
        assertTrue(r.isObject());
    }

    private static JsonNode assertDoesNotThrow(byte[] b) {
        try {
            return Json.parse(b);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theNoArgumentConstructorFindsItsBackendInTheEnvironment() {
        assertTrue(BackendFactory.fromEnvironment(Map.of(EmbeddedBackendFactory.DATA_DIR, dir.toString())).catalog().get(NodePath.of("grid")).isPresent());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BackendFactory.fromEnvironment(Map.of()));
        assertTrue(e.getMessage().contains("EmbeddedBackendFactory"));
    }
}
