package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /register/{path}} trusts nothing in the body: the stored structure is the data's (a claimed one
 * must agree with it), data URIs must be well formed, client mistakes are 4xx with a plain {@code detail},
 * and nothing is stored when a request is refused.
 */
class RegisterValidationHttpTest {

    private static final Path TABLE_FIXTURES = Path.of("..", "functions", "formats", "src", "test", "resources", "table");

    @TempDir
    static Path root;

    private static Path data;
    private static Main.Running running;
    private static Http http;
    private static byte[] smallBytes;

    @BeforeAll
    static void serve() throws Exception {
        data = Files.createDirectories(root.resolve("data"));
        // A 4x4 little-endian int32 Zarr v2 array in one uncompressed chunk.
        Path small = Files.createDirectories(data.resolve("arrays").resolve("small.zarr"));
        Files.writeString(small.resolve(".zarray"), "{\"zarr_format\": 2, \"shape\": [4, 4], \"chunks\": [4, 4], \"dtype\": \"<i4\","
                + " \"compressor\": null, \"fill_value\": 0, \"filters\": null, \"order\": \"C\"}");
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 16; i++) b.putInt(i * 3 - 7);
        smallBytes = b.array();
        Files.write(small.resolve("0.0"), smallBytes);
        Files.createDirectories(data.resolve("tables"));
        Files.writeString(data.resolve("tables").resolve("plain.csv"), "a,b\n1,2\n3,4\n");
        Path parts = Files.createDirectories(data.resolve("tables").resolve("parts"));
        try (Stream<Path> s = Files.list(TABLE_FIXTURES.resolve("parts"))) {
            for (Path p : (Iterable<Path>) s::iterator) Files.copy(p, parts.resolve(p.getFileName().toString()));
        }
        running = Main.serveDirectory("127.0.0.1", 0, data, 4_500_000);
        http = new Http(running);
    }

    @AfterAll
    static void stop() { running.server().close(); }

    private static String uri(String relative) { return "file://localhost" + data.resolve(relative).toAbsolutePath().toUri().getRawPath(); }

    private static String body(String id, String family, String mimetype, String dataUri, boolean dir, String structure) {
        return "{\"id\": \"" + id + "\", \"structure_family\": \"" + family + "\", \"metadata\": {}, \"specs\": [], \"ancestors\": [],"
                + " \"data_sources\": [{\"structure_family\": \"" + family + "\", \"structure\": " + structure + ", \"id\": null,"
                + " \"mimetype\": \"" + mimetype + "\", \"parameters\": {}, \"properties\": {}, \"management\": \"external\","
                + " \"assets\": [{\"data_uri\": \"" + dataUri + "\", \"is_directory\": " + dir + ", \"parameter\": \"data_uri\", \"num\": null}]}]}";
    }

    private static HttpResponse<byte[]> post(String body) throws Exception {
        return http.send("POST", "/api/v1/register/", body.getBytes(), "Content-Type", "application/json", "Accept", "application/json");
    }

    private static String arrayStructure(String dtype, String shape, String chunks) {
        return "{\"data_type\": " + dtype + ", \"shape\": " + shape + ", \"chunks\": " + chunks + ", \"dims\": null, \"resizable\": false}";
    }

    private static final String INT32 = "{\"endianness\": \"little\", \"kind\": \"i\", \"itemsize\": 4, \"dt_units\": null}";
    private static final String FLOAT64 = "{\"endianness\": \"little\", \"kind\": \"f\", \"itemsize\": 8, \"dt_units\": null}";

    private static HttpResponse<byte[]> registerSmall(String id, String structure) throws Exception {
        return post(body(id, "array", "application/x-zarr", uri("arrays/small.zarr"), true, structure));
    }

    private static void assertRefused(HttpResponse<byte[]> r, String id, String mentioned) throws Exception {
        assertEquals(422, r.statusCode(), new String(r.body()));
        assertTrue(Http.detailOf(r).asText().contains(mentioned), Http.detailOf(r).asText());
        assertEquals(404, http.get("/api/v1/metadata/" + id).statusCode(), "nothing was stored");
    }

    @Test
    void aClaimedShapeThatIsNotTheDataIsRefused() throws Exception {
        assertRefused(registerSmall("huge", arrayStructure(INT32, "[6000, 6000]", "[[6000], [6000]]")), "huge", "shape");
    }

    @Test
    void aClaimedDataTypeThatIsNotTheDataIsRefused() throws Exception {
        assertRefused(registerSmall("floats", arrayStructure(FLOAT64, "[4, 4]", "[[4], [4]]")), "floats", "data_type");
    }

    @Test
    void claimedChunksThatAreNotTheDataAreRefused() throws Exception {
        assertRefused(registerSmall("rechunked", arrayStructure(INT32, "[4, 4]", "[[2, 2], [4]]")), "rechunked", "chunks");
    }

    @Test
    void aMalformedClaimedStructureIsRefused() throws Exception {
        assertRefused(registerSmall("malformed", "{\"shape\": \"four by four\"}"), "malformed", "structure");
    }

    @Test
    void aClaimedStructureThatAgreesWithTheDataIsAccepted() throws Exception {
        HttpResponse<byte[]> r = registerSmall("agreeing", arrayStructure(INT32, "[4, 4]", "[[4], [4]]"));
        assertEquals(200, r.statusCode(), new String(r.body()));
        assertArrayEquals(smallBytes, http.data("/api/v1/array/full/agreeing"));
    }

    @Test
    void withoutAClaimedStructureTheDataStructureIsStored() throws Exception {
        HttpResponse<byte[]> r = registerSmall("unclaimed", "null");
        assertEquals(200, r.statusCode(), new String(r.body()));
        assertEquals("[4,4]", http.json("/api/v1/metadata/unclaimed").at("/data/attributes/structure/shape").toString());
        assertArrayEquals(smallBytes, http.data("/api/v1/array/full/unclaimed"));
    }

    @Test
    void claimedColumnsThatAreNotTheDataAreRefused() throws Exception {
        String structure = "{\"arrow_schema\": \"\", \"npartitions\": 1, \"columns\": [\"a\", \"c\"], \"resizable\": false}";
        assertRefused(post(body("wrong_columns", "table", "text/csv", uri("tables/plain.csv"), false, structure)), "wrong_columns", "columns");
    }

    @Test
    void aClaimedPartitionCountThatIsNotTheDataIsRefused() throws Exception {
        JsonNode real = http.json("/api/v1/metadata/tables/parts").at("/data/attributes/structure");
        assertEquals(3, real.get("npartitions").asInt(), "the fixture has three parts");
        String structure = "{\"arrow_schema\": \"\", \"npartitions\": 1, \"columns\": " + real.get("columns") + ", \"resizable\": false}";
        assertRefused(post(body("one_part", "table", "application/x-parquet", uri("tables/parts"), true, structure)), "one_part", "npartitions");
    }

    @Test
    void aTableRegisteredWithoutAStructureGetsTheDataStructure() throws Exception {
        HttpResponse<byte[]> r = post(body("csv_unclaimed", "table", "text/csv", uri("tables/plain.csv"), false, "null"));
        assertEquals(200, r.statusCode(), new String(r.body()));
        JsonNode s = http.json("/api/v1/metadata/csv_unclaimed").at("/data/attributes/structure");
        assertEquals("[\"a\",\"b\"]", s.get("columns").toString());
        assertEquals(1, s.get("npartitions").asInt());
        assertTrue(s.get("arrow_schema").asText().startsWith("data:"), s.toString());
    }

    @Test
    void fileUrisWithoutAnAuthorityAreClientErrors() throws Exception {
        for (String bad : new String[] {"file:/etc/passwd", "file:relative", "file:" + data.resolve("tables/plain.csv").toAbsolutePath()}) {
            HttpResponse<byte[]> r = post(body("no_authority", "table", "text/csv", bad, false, "null"));
            assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, bad + " -> " + r.statusCode() + " " + new String(r.body()));
            assertTrue(Http.detailOf(r).asText().contains("file://"), Http.detailOf(r).asText());
        }
        assertEquals(404, http.get("/api/v1/metadata/no_authority").statusCode(), "nothing was stored");
    }

    @Test
    void anArrayAssetThatIsAPlainFileIsAClientError() throws Exception {
        for (boolean dir : new boolean[] {true, false}) {
            HttpResponse<byte[]> r = post(body("file_as_zarr", "array", "application/x-zarr", uri("tables/plain.csv"), dir, "null"));
            assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, "is_directory " + dir + " -> " + r.statusCode() + " " + new String(r.body()));
            assertTrue(r.headers().firstValue("Retry-After").isEmpty(), "nothing to retry");
            assertFalse(Http.detailOf(r).asText().isBlank());
        }
        assertEquals(404, http.get("/api/v1/metadata/file_as_zarr").statusCode(), "nothing was stored");
    }

    @Test
    void anAssetForAParameterNoReaderTakesIsAClientError() throws Exception {
        String b = body("odd_parameter", "array", "application/x-zarr", uri("arrays/small.zarr"), true, "null").replace("\"parameter\": \"data_uri\"", "\"parameter\": \"data_uris\"");
        HttpResponse<byte[]> r = post(b);
        assertEquals(422, r.statusCode(), new String(r.body()));
        assertEquals(404, http.get("/api/v1/metadata/odd_parameter").statusCode(), "nothing was stored");
    }

    @Test
    void aDataSourcesFieldThatIsNotAListIsAClientError() throws Exception {
        String b = "{\"id\": \"not_a_list\", \"structure_family\": \"array\", \"data_sources\": {\"0\": {}}}";
        HttpResponse<byte[]> r = post(b);
        assertEquals(422, r.statusCode(), new String(r.body()));
    }

    @Test
    void metadataOverTheBoundIsRefusedWith413AndTheListingStaysWhole() throws Exception {
        String huge = "{\"notes\": \"" + "x".repeat(3 * 1024 * 1024) + "\"}"; // over the metadata bound, under the body limit
        String b = body("huge_metadata", "table", "text/csv", uri("tables/plain.csv"), false, "null").replace("\"metadata\": {}", "\"metadata\": " + huge);
        HttpResponse<byte[]> r = post(b);
        assertEquals(413, r.statusCode(), new String(r.body()));
        assertTrue(Http.detailOf(r).asText().contains("at most"), Http.detailOf(r).asText());
        assertEquals(404, http.get("/api/v1/metadata/huge_metadata").statusCode(), "nothing was stored");
        assertEquals(200, http.get("/api/v1/search/").statusCode(), "the root listing still answers");
    }

    /** The refusal names what the route needs, and its advice for a node without data (a container) works. */
    @Test
    void aDataSourceWithoutAssetsIsToldWhatToSend() throws Exception {
        String b = body("no_assets", "array", "application/x-zarr", uri("arrays/small.zarr"), true, "null")
                .replaceAll("\"assets\": \\[.*\\]}]}$", "\"assets\": []}]}");
        assertTrue(b.contains("\"assets\": []"), b);
        HttpResponse<byte[]> r = post(b);
        assertEquals(422, r.statusCode(), new String(r.body()));
        String detail = Http.detailOf(r).asText();
        assertTrue(detail.contains("data_uri") && detail.contains("\"container\""), detail);
        assertFalse(detail.contains("/metadata"), "this gateway creates no node by POST /metadata: " + detail);
        assertEquals(404, http.get("/api/v1/metadata/no_assets").statusCode(), "nothing was stored");
        HttpResponse<byte[]> box = post("{\"id\": \"no_assets_box\", \"structure_family\": \"container\", \"metadata\": {}}");
        assertEquals(200, box.statusCode(), new String(box.body()));
        assertEquals("container", http.json("/api/v1/metadata/no_assets_box").at("/data/attributes/structure_family").asText());
    }

    @Test
    void aTakenPathIsNamedInTheConflict() throws Exception {
        assertEquals(200, post("{\"id\": \"shelf\", \"structure_family\": \"container\"}").statusCode());
        String inner = body("small", "array", "application/x-zarr", uri("arrays/small.zarr"), true, "null");
        HttpResponse<byte[]> first = http.send("POST", "/api/v1/register/shelf", inner.getBytes(), "Content-Type", "application/json");
        assertEquals(200, first.statusCode(), new String(first.body()));
        HttpResponse<byte[]> again = http.send("POST", "/api/v1/register/shelf", inner.getBytes(), "Content-Type", "application/json");
        assertEquals(409, again.statusCode(), new String(again.body()));
        String detail = Http.detailOf(again).asText();
        assertTrue(detail.contains("/shelf/small") && detail.contains("array"), detail);
        assertArrayEquals(smallBytes, http.data("/api/v1/array/full/shelf/small"), "the node there is untouched");
    }

    @Test
    void invalidJsonIsDescribedInPlainWords() throws Exception {
        HttpResponse<byte[]> r = http.send("POST", "/api/v1/register/", "{\"id\": \"x\",\n \"metadata\": {oops}}".getBytes(),
                "Content-Type", "application/json");
        assertEquals(422, r.statusCode(), new String(r.body()));
        String detail = Http.detailOf(r).asText();
        assertTrue(detail.matches("Body is not valid JSON \\(line 2, column \\d+\\)"), detail);
    }

    @Test
    void aBodyNotDeclaredAsJsonIsRefusedWith415() throws Exception {
        String b = body("as_text", "table", "text/csv", uri("tables/plain.csv"), false, "null");
        HttpResponse<byte[]> r = http.send("POST", "/api/v1/register/", b.getBytes(), "Content-Type", "text/plain");
        assertEquals(415, r.statusCode(), new String(r.body()));
        assertTrue(Http.detailOf(r).asText().contains("application/json"), Http.detailOf(r).asText());
        assertEquals(404, http.get("/api/v1/metadata/as_text").statusCode(), "nothing was stored");
    }

    @Test
    void aBodyWithoutContentTypeIsRefusedWith415() throws Exception {
        String b = body("untyped", "table", "text/csv", uri("tables/plain.csv"), false, "null");
        assertEquals(415, http.send("POST", "/api/v1/register/", b.getBytes()).statusCode());
        assertEquals(404, http.get("/api/v1/metadata/untyped").statusCode(), "nothing was stored");
    }

    @Test
    void jsonWithACharsetParameterIsAccepted() throws Exception {
        String b = body("with_charset", "table", "text/csv", uri("tables/plain.csv"), false, "null");
        HttpResponse<byte[]> r = http.send("POST", "/api/v1/register/", b.getBytes(), "Content-Type", "Application/JSON; charset=utf-8");
        assertEquals(200, r.statusCode(), new String(r.body()));
        assertEquals(200, http.get("/api/v1/metadata/with_charset").statusCode());
    }
}
