package dev.tiledgateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.auth.Access;
import dev.tiledgateway.core.auth.Authenticator;
import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.backend.Backend;
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

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inline ceiling at its production value (4,500,000 bytes, what fits API Gateway's 6 MB envelope after base64):
 * a read just below it is answered inline within the envelope, one just above it is redirected to a stored result
 * whose bytes equal the chunks', and a second function instance finds that result in the store (not in its own
 * memory: the chunks are gone by then, so it cannot have computed it again).
 */
class ProductionCeilingTest {

    @TempDir
    static Path dir;
    private static Backend backend;
    /** 4,400,000 and 4,600,000 bytes of int32: rows of 1,100 / 1,150 values, 1,000 rows, chunks of 100 rows. */
    private static final int ROWS = 1000;

    @BeforeAll
    static void data() throws IOException {
        backend = EmbeddedBackendFactory.open(dir, (key, ttl) -> URI.create("https://results.example/" + key));
        array("below", 1100);
        array("above", 1150);
        array("large", 1200);
    }

    private static void array(String name, int cols) throws IOException {
        String prefix = "arrays/" + name + "/";
        ZarrV2Writer w = ZarrV2Writer.create(backend.store(), prefix, DataType.Builtin.parse("<i4"), new long[] {ROWS, cols}, new int[] {100, cols},
                V2Compressor.zstd(1), 0, Map.of());
        for (int c = 0; c < ROWS / 100; c++) w.writeChunk(new long[] {c, 0}, values(c * 100, 100, cols));
        ZarrArray a = ZarrArray.open(backend.store(), prefix);
        backend.catalog().put(new Node(NodePath.of(name), StructureFamily.ARRAY, Json.object(), List.of(), StructureJson.array(a.structure()),
                new DataSource(ZarrArrayReader.MIMETYPE, List.of(new Asset(prefix, true, "data_uri"))), null, 0));
    }

    private static byte[] values(int firstRow, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(rows * cols * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) b.putInt((firstRow + r) * 7919 + c);
        return b.array();
    }

    private static ApiHandler function() {
        assertEquals(4_500_000, GatewayConfig.defaults().maxInlineBytes(), "the production ceiling");
        return new ApiHandler(Gateway.router(backend.catalog(), backend.store(), GatewayConfig.defaults(),
                new Access(new Authenticator.Settings(Scopes.PUBLIC, null), backend.apiKeys())));
    }

    @Test
    void aCeilingConfiguredAboveTheEnvelopeGetsA400ThatFitsInsteadOfAnEnvelopeLambdaWouldRefuse() throws IOException {
        // 4,800,000 bytes inline are 6,400,000 of base64: more than Lambda returns (it would answer 502 instead).
        ApiHandler tooGenerous = new ApiHandler(Gateway.router(backend.catalog(), backend.store(), GatewayConfig.defaults().withMaxInlineBytes(10_000_000),
                new Access(new Authenticator.Settings(Scopes.PUBLIC, null), backend.apiKeys())));
        byte[] out = tooGenerous.handle(event("/api/v1/array/full/large"));
        assertTrue(out.length <= HttpApiEvents.MAX_RESPONSE_ENVELOPE, "envelope of " + out.length + " bytes");
        JsonNode r = Json.parse(out);
        assertEquals(400, r.get("statusCode").asInt());
        String detail = Json.parse(r.get("body").asText()).get("detail").asText();
        assertTrue(detail.contains(String.valueOf(HttpApiEvents.MAX_RESPONSE_ENVELOPE)) && detail.contains("smaller slice"), detail);
        // A slice of it that fits is answered inline, with the chunks' bytes.
        JsonNode slice = Json.parse(tooGenerous.handle(GetEvents.get("/api/v1/array/full/large", "slice=0:10", "application/octet-stream")));
        assertEquals(200, slice.get("statusCode").asInt());
        assertArrayEquals(values(0, 10, 1200), Base64.getDecoder().decode(slice.get("body").asText()));
    }

    private static byte[] event(String rawPath) { return GetEvents.get(rawPath, "", "application/octet-stream"); }

    @Test
    void justBelowTheCeilingIsInlineWithinTheEnvelope() throws IOException {
        byte[] out = function().handle(event("/api/v1/array/full/below"));
        assertTrue(out.length <= HttpApiEvents.MAX_RESPONSE_ENVELOPE, "envelope of " + out.length + " bytes");
        JsonNode r = Json.parse(out);
        assertEquals(200, r.get("statusCode").asInt());
        assertTrue(r.get("isBase64Encoded").asBoolean());
        assertArrayEquals(values(0, ROWS, 1100), Base64.getDecoder().decode(r.get("body").asText()));
    }

    @Test
    void justAboveItIsAStoredResultThatASecondInstanceFindsInTheStore() throws IOException {
        JsonNode first = Json.parse(function().handle(event("/api/v1/array/full/above")));
        assertEquals(307, first.get("statusCode").asInt());
        String location = first.path("headers").path("Location").asText();
        String key = location.substring("https://results.example/".length());
        assertArrayEquals(values(0, ROWS, 1150), backend.store().get(key).orElseThrow(), "the redirected bytes are the chunks'");

        for (String chunk : backend.store().list("arrays/above/")) if (!chunk.endsWith(".zarray")) backend.store().delete(chunk);
        JsonNode second = Json.parse(function().handle(event("/api/v1/array/full/above")));
        assertEquals(307, second.get("statusCode").asInt(), "a new instance, no chunks left: only the stored result can answer");
        assertEquals(location, second.path("headers").path("Location").asText());
        // Had it computed the read again, the missing chunks would have read as fill values and replaced the result.
        assertArrayEquals(values(0, ROWS, 1150), backend.store().get(key).orElseThrow(), "the stored result, not a recomputation");
    }
}
