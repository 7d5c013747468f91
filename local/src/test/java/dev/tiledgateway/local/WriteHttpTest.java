package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.store.BlobStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Creating nodes and writing their data as the Tiled client does ({@code POST /metadata}, then {@code PUT} the array
 * whole or block by block, {@code PATCH} it), reading it back through the read routes, and deleting it; over real
 * sockets against the demo server (on the embedded stores, or on S3 and DynamoDB with {@code -Dtiled.test.backend=aws}).
 */
class WriteHttpTest {

    private static Http http;
    private static BlobStore objects;

    @BeforeAll
    static void start() {
        http = DemoServer.writableHttp();
        objects = DemoServer.writable().results();
    }

    static String dtype(String endianness, String kind, int itemsize, String units) {
        return "{\"endianness\": \"" + endianness + "\", \"kind\": \"" + kind + "\", \"itemsize\": " + itemsize + ", \"dt_units\": "
                + (units == null ? "null" : "\"" + units + "\"") + "}";
    }

    static final String F8 = dtype("little", "f", 8, null);
    static final String I4 = dtype("little", "i", 4, null);

    /** The body the client's write_array sends (mimetype null, management writable, no assets). */
    static String arrayBody(String key, String dataType, String shape, String chunks, String dims) {
        String structure = "{\"data_type\": " + dataType + ", \"chunks\": " + chunks + ", \"shape\": " + shape + ", \"dims\": " + dims
                + ", \"resizable\": false}";
        return "{\"metadata\": {\"color\": \"red\"}, \"structure_family\": \"array\", \"specs\": [], \"data_sources\": [{\"id\": null,"
                + " \"structure_family\": \"array\", \"structure\": " + structure + ", \"mimetype\": null, \"parameters\": {}, \"properties\": {},"
                + " \"assets\": [], \"management\": \"writable\"}], \"access_blob\": {}, \"ancestors\": [\"x\"]"
                + (key == null ? "" : ", \"id\": \"" + key + "\"") + "}";
    }

    static HttpResponse<byte[]> post(String parent, String body) throws Exception {
        return http.send("POST", "/api/v1/metadata/" + parent, body.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json", "Accept", "application/json");
    }

    static JsonNode created(String parent, String body) throws Exception {
        HttpResponse<byte[]> r = post(parent, body);
        assertEquals(200, r.statusCode(), new String(r.body()));
        return Json.parse(r.body());
    }

    /** A fresh container at the root for one test. */
    static String container() throws Exception {
        String key = "w-" + UUID.randomUUID().toString().substring(0, 8);
        created("", "{\"structure_family\": \"container\", \"metadata\": {}, \"specs\": [], \"data_sources\": [], \"id\": \"" + key + "\"}");
        return key;
    }

    /** A link of the server's as the path the client's key is sent with. */
    static String local(String link) { return link.startsWith(http.origin()) ? link.substring(http.origin().length()) : link; }

    static HttpResponse<byte[]> put(String url, byte[] body) throws Exception {
        return http.send("PUT", local(url), body, "Content-Type", "application/octet-stream", "Accept", "application/json");
    }

    static byte[] read(String path) throws Exception { return http.data("/api/v1/array/full/" + path); }

    static byte[] doubles(int n, double base) {
        ByteBuffer b = ByteBuffer.allocate(n * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) b.putDouble(base + i * 0.5);
        return b.array();
    }

    static byte[] ints(int n, int base) {
        ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) b.putInt(base + i);
        return b.array();
    }

    @Test
    void aContainerIsCreatedOnceAndASecondOfTheSameKeyIs409NamingThePath() throws Exception {
        String c = container();
        JsonNode doc = created(c, "{\"structure_family\": \"container\", \"metadata\": {\"a\": 1}, \"specs\": [{\"name\": \"s\", \"version\": null}],"
                + " \"data_sources\": [], \"id\": \"sub\", \"ancestors\": []}");
        assertEquals("sub", doc.get("id").asText());
        assertTrue(doc.at("/links/self").asText().endsWith("/api/v1/metadata/" + c + "/sub"), doc.toString());
        assertEquals(0, doc.get("data_sources").size());
        JsonNode meta = http.json("/api/v1/metadata/" + c + "/sub");
        assertEquals(1, meta.at("/data/attributes/metadata/a").asInt());
        assertEquals("container", meta.at("/data/attributes/structure_family").asText());
        HttpResponse<byte[]> again = post(c, "{\"structure_family\": \"container\", \"data_sources\": [], \"id\": \"sub\"}");
        assertEquals(409, again.statusCode());
        assertTrue(Http.detailOf(again).asText().contains("/" + c + "/sub"), Http.detailOf(again).asText());
    }

    @Test
    void aKeyIsGeneratedWhenNoneIsSent() throws Exception {
        String c = container();
        JsonNode doc = created(c, "{\"structure_family\": \"container\", \"data_sources\": []}");
        assertEquals(36, doc.get("id").asText().length(), doc.toString());
        assertEquals(200, http.get("/api/v1/metadata/" + c + "/" + doc.get("id").asText()).statusCode());
    }

    @Test
    void anArrayWrittenWholeReadsBackWithItsMetadataAndAWritableDataSource() throws Exception {
        String c = container();
        JsonNode doc = created(c, arrayBody("a", F8, "[3, 5]", "[[3], [5]]", "[\"y\", \"x\"]"));
        assertTrue(doc.at("/links/full").asText().endsWith("/api/v1/array/full/" + c + "/a"), doc.toString());
        assertTrue(doc.at("/links/block").asText().endsWith("/api/v1/array/block/" + c + "/a?block={0},{1}"), doc.toString());
        JsonNode ds = doc.at("/data_sources/0");
        assertEquals("writable", ds.get("management").asText());
        assertEquals("application/x-zarr", ds.get("mimetype").asText());
        assertTrue(ds.at("/assets/0/is_directory").asBoolean());
        byte[] data = doubles(15, 1);
        HttpResponse<byte[]> w = put(doc.at("/links/full").asText(), data);
        assertEquals(200, w.statusCode(), new String(w.body()));
        assertEquals("null", new String(w.body()));
        assertArrayEquals(data, read(c + "/a"));
        JsonNode meta = http.json("/api/v1/metadata/" + c + "/a");
        assertEquals("red", meta.at("/data/attributes/metadata/color").asText());
        assertEquals("[\"y\",\"x\"]", meta.at("/data/attributes/structure/dims").toString());
        // the chunk's slice through the read routes, and an export by a serializer
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 5 * 8, 10 * 8), http.data("/api/v1/array/full/" + c + "/a?slice=1"));
        String csv = new String(http.get("/api/v1/array/full/" + c + "/a?format=text/csv").body());
        assertTrue(csv.startsWith("1.0,1.5,2.0,2.5,3.0"), csv);
    }

    @Test
    void anArrayWrittenBlockByBlockReadsBackWholeAndByBlock() throws Exception {
        String c = container();
        JsonNode doc = created(c, arrayBody("b", I4, "[10, 7]", "[[4, 4, 2], [3, 3, 1]]", "null"));
        int[] rows = {4, 4, 2}, cols = {3, 3, 1};
        byte[] whole = new byte[10 * 7 * 4];
        ByteBuffer wb = ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN);
        for (int bi = 0; bi < 3; bi++) for (int bj = 0; bj < 3; bj++) {
            ByteBuffer blk = ByteBuffer.allocate(rows[bi] * cols[bj] * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < rows[bi]; i++) for (int j = 0; j < cols[bj]; j++) {
                int v = (bi * 4 + i) * 100 + bj * 3 + j;
                blk.putInt(v);
                wb.putInt(((bi * 4 + i) * 7 + bj * 3 + j) * 4, v);
            }
            String url = doc.at("/links/block").asText().replace("{0}", "" + bi).replace("{1}", "" + bj);
            HttpResponse<byte[]> r = put(url, blk.array());
            assertEquals(200, r.statusCode(), new String(r.body()));
        }
        assertArrayEquals(whole, read(c + "/b"));
        byte[] block = http.data("/api/v1/array/block/" + c + "/b?block=2,1");
        ByteBuffer expect = ByteBuffer.allocate(2 * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) expect.putInt((8 + i) * 100 + 3 + j);
        assertArrayEquals(expect.array(), block);
    }

    @Test
    void everyDataTypeTheReadPathServesRoundTrips() throws Exception {
        String c = container();
        String structured = "{\"itemsize\": 12, \"fields\": [{\"name\": \"a\", \"dtype\": " + I4 + ", \"shape\": null},"
                + " {\"name\": \"b\", \"dtype\": " + F8 + ", \"shape\": null}]}";
        String[][] types = {
                {"c16", dtype("little", "c", 16, null)}, {"b1", dtype("not_applicable", "b", 1, null)},
                {"u3", dtype("little", "U", 12, null)}, {"s4", dtype("not_applicable", "S", 4, null)},
                {"m8", dtype("little", "M", 8, "[ns]")}, {"td", dtype("little", "m", 8, "[s]")},
                {"u2be", dtype("big", "u", 2, null)}, {"f4", dtype("little", "f", 4, null)}, {"rec", structured}};
        java.util.Random random = new java.util.Random(7);
        for (String[] t : types) {
            JsonNode doc = created(c, arrayBody(t[0], t[1], "[6]", "[[4, 2]]", "null"));
            int itemsize = Json.parse(t[1].getBytes()).get("itemsize").asInt();
            byte[] data = new byte[6 * itemsize];
            random.nextBytes(data);
            if (t[0].equals("b1")) for (int i = 0; i < data.length; i++) data[i] = (byte) (data[i] & 1);
            if (t[0].equals("u3")) for (int i = 0; i < data.length; i++) data[i] = (byte) (i % 4 == 0 ? 'a' + (data[i] & 15) : 0);
            HttpResponse<byte[]> w = put(doc.at("/links/full").asText(), data);
            assertEquals(200, w.statusCode(), t[0] + ": " + new String(w.body()));
            assertArrayEquals(data, read(c + "/" + t[0]), t[0]);
        }
    }

    @Test
    void aBodyOfTheWrongLengthIs422AndChangesNothing() throws Exception {
        String c = container();
        JsonNode doc = created(c, arrayBody("a", F8, "[4]", "[[2, 2]]", "null"));
        byte[] data = doubles(4, 3);
        assertEquals(200, put(doc.at("/links/full").asText(), data).statusCode());
        HttpResponse<byte[]> r = put(doc.at("/links/full").asText(), new byte[31]);
        assertEquals(422, r.statusCode());
        assertTrue(Http.detailOf(r).asText().contains("32"), Http.detailOf(r).asText());
        HttpResponse<byte[]> b = put(doc.at("/links/block").asText().replace("{0}", "1"), new byte[8]);
        assertEquals(422, b.statusCode());
        assertEquals(400, put(doc.at("/links/block").asText().replace("{0}", "2"), new byte[16]).statusCode());
        assertArrayEquals(data, read(c + "/a"));
    }

    @Test
    void aPatchInsideWritesItsRegionOutsideIs409AndWithExtendGrowsTheArray() throws Exception {
        String c = container();
        JsonNode doc = created(c, arrayBody("p", I4, "[3, 4]", "[[2, 1], [2, 2]]", "null"));
        assertEquals(200, put(doc.at("/links/full").asText(), ints(12, 0)).statusCode());
        String full = local(doc.at("/links/full").asText());
        HttpResponse<byte[]> in = http.send("PATCH", full + "?offset=1,1&shape=2,2&extend=false", ints(4, 100),
                "Content-Type", "application/octet-stream", "Accept", "application/json");
        assertEquals(200, in.statusCode(), new String(in.body()));
        assertEquals("[3,4]", Json.parse(in.body()).get("shape").toString());
        ByteBuffer expect = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        int[] e = {0, 1, 2, 3, 4, 100, 101, 7, 8, 102, 103, 11};
        for (int v : e) expect.putInt(v);
        assertArrayEquals(expect.array(), read(c + "/p"));

        HttpResponse<byte[]> out = http.send("PATCH", full + "?offset=3&shape=1,4&extend=false", ints(4, 200),
                "Content-Type", "application/octet-stream", "Accept", "application/json");
        assertEquals(409, out.statusCode());
        assertTrue(Http.detailOf(out).asText().contains("Use ?extend=true"), Http.detailOf(out).asText());
        assertArrayEquals(expect.array(), read(c + "/p"));

        HttpResponse<byte[]> grown = http.send("PATCH", full + "?offset=3&shape=1,4&extend=true", ints(4, 200),
                "Content-Type", "application/octet-stream", "Accept", "application/json");
        assertEquals(200, grown.statusCode(), new String(grown.body()));
        JsonNode s = Json.parse(grown.body());
        assertEquals("[4,4]", s.get("shape").toString());
        assertEquals("[[2,2],[2,2]]", s.get("chunks").toString());
        assertEquals("[4,4]", http.json("/api/v1/metadata/" + c + "/p").at("/data/attributes/structure/shape").toString());
        ByteBuffer after = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : e) after.putInt(v);
        for (int v = 200; v < 204; v++) after.putInt(v);
        assertArrayEquals(after.array(), read(c + "/p"));
    }

    @Test
    void unwritableStructuresAndFamiliesAreRefusedBeforeAnythingIsStored() throws Exception {
        String c = container();
        int before = objects.list("_managed/").size();
        // irregular chunks, inconsistent chunks, chunks larger than a request, absurd counts, a bad dtype
        assertEquals(422, post(c, arrayBody("x", F8, "[10]", "[[3, 4, 3]]", "null")).statusCode());
        assertEquals(422, post(c, arrayBody("x", F8, "[10]", "[[4, 4]]", "null")).statusCode());
        assertEquals(422, post(c, arrayBody("x", F8, "[1000, 1000]", "[[1000], [1000]]", "null")).statusCode());
        assertEquals(422, post(c, arrayBody("x", dtype("little", "O", 8, null), "[2]", "[[2]]", "null")).statusCode());
        StringBuilder ones = new StringBuilder("[");
        for (int i = 0; i < 1100; i++) ones.append(i == 0 ? "" : ",").append(1);
        ones.append("]");
        HttpResponse<byte[]> many = post(c, arrayBody("x", F8, "[1100, 1100]", "[" + ones + "," + ones + "]", "null"));
        assertEquals(422, many.statusCode(), new String(many.body()));
        assertTrue(Http.detailOf(many).asText().contains("chunks"), Http.detailOf(many).asText());
        // mimetypes the gateway cannot write, and structures of the other families it cannot store
        assertEquals(415, post(c, "{\"structure_family\": \"sparse\", \"id\": \"s\", \"data_sources\": [{\"structure_family\": \"sparse\","
                + " \"structure\": {}, \"mimetype\": \"application/x-hdf5\", \"assets\": []}]}").statusCode());
        assertEquals(415, post(c, "{\"structure_family\": \"table\", \"id\": \"t\", \"data_sources\": [{\"structure_family\": \"table\","
                + " \"structure\": {}, \"mimetype\": \"application/x-hdf5\", \"assets\": []}]}").statusCode());
        assertEquals(422, post(c, "{\"structure_family\": \"sparse\", \"id\": \"s\", \"data_sources\": [{\"structure_family\": \"sparse\","
                + " \"structure\": {}, \"mimetype\": null, \"assets\": []}]}").statusCode());
        assertEquals(422, post(c, "{\"structure_family\": \"table\", \"id\": \"t\", \"data_sources\": [{\"structure_family\": \"table\","
                + " \"structure\": {}, \"mimetype\": \"application/x-tiled-sql-table\", \"assets\": []}]}").statusCode());
        assertEquals(422, post(c, "{\"structure_family\": \"ragged\", \"id\": \"r\", \"data_sources\": [{\"structure_family\": \"ragged\","
                + " \"structure\": {\"shape\": [null]}, \"mimetype\": \"application/x-ragged+sql\", \"assets\": []}]}").statusCode());
        // assets are for /register
        HttpResponse<byte[]> assets = post(c, arrayBody("x", F8, "[2]", "[[2]]", "null").replace("\"assets\": []",
                "\"assets\": [{\"data_uri\": \"file:///etc/passwd\", \"is_directory\": false, \"parameter\": \"data_uri\"}]"));
        assertEquals(422, assets.statusCode());
        assertTrue(Http.detailOf(assets).asText().contains("/register"), Http.detailOf(assets).asText());
        assertEquals(before, objects.list("_managed/").size());
        assertEquals(0, http.json("/api/v1/metadata/" + c).at("/data/attributes/structure/count").asInt());
    }

    @Test
    void dataCannotBeWrittenUnderANonContainerNorIntoExternalData() throws Exception {
        HttpResponse<byte[]> under = post("nested/images/tiny_image", arrayBody("x", F8, "[2]", "[[2]]", "null"));
        assertEquals(405, under.statusCode());
        HttpResponse<byte[]> external = put("/api/v1/array/full/nested/images/tiny_image", new byte[8]);
        assertEquals(405, external.statusCode());
        assertTrue(Http.detailOf(external).asText().contains("external"), Http.detailOf(external).asText());
    }

    @Test
    void theCompositeSpecKeepsOneFlatNamespaceOfChildrenAndColumns() throws Exception {
        String c = container();
        String composite = "[{\"name\": \"composite\", \"version\": null}]";
        HttpResponse<byte[]> onArray = post(c, arrayBody("a", F8, "[4]", "[[4]]", "null").replace("\"specs\": []", "\"specs\": " + composite));
        assertEquals(400, onArray.statusCode());
        assertTrue(Http.detailOf(onArray).asText().startsWith("failed validation for the composite spec"), Http.detailOf(onArray).asText());
        assertTrue(Http.detailOf(onArray).asText().contains("only to containers"), Http.detailOf(onArray).asText());

        created(c, "{\"structure_family\": \"container\", \"data_sources\": [], \"id\": \"comp\", \"specs\": " + composite + "}");
        String comp = c + "/comp";
        HttpResponse<byte[]> nested = post(comp, "{\"structure_family\": \"container\", \"data_sources\": [], \"id\": \"inner\"}");
        assertEquals(400, nested.statusCode());
        assertTrue(Http.detailOf(nested).asText().contains("Nested containers"), Http.detailOf(nested).asText());
        created(comp, TableWriteHttpTest.tableBody("t", TableWriteHttpTest.schema(true), 1));
        HttpResponse<byte[]> clash = post(comp, arrayBody("x", F8, "[4]", "[[4]]", "null"));
        assertEquals(400, clash.statusCode(), "an array named like the table's column x");
        assertTrue(Http.detailOf(clash).asText().contains("[x]"), Http.detailOf(clash).asText());
        created(comp, arrayBody("z", F8, "[4]", "[[4]]", "null"));
        assertEquals(List.of("t", "z"), keysOf(comp));

        // Giving the spec to a container that already breaks the rule is refused, and nothing changes.
        created(c, "{\"structure_family\": \"container\", \"data_sources\": [], \"id\": \"plain\"}");
        created(c + "/plain", "{\"structure_family\": \"container\", \"data_sources\": [], \"id\": \"sub\"}");
        HttpResponse<byte[]> update = http.send("PUT", "/api/v1/metadata/" + c + "/plain", ("{\"metadata\": null, \"specs\": " + composite
                + ", \"access_blob\": null}").getBytes(java.nio.charset.StandardCharsets.UTF_8), "Content-Type", "application/json", "Accept", "application/json");
        assertEquals(400, update.statusCode(), new String(update.body()));
        assertEquals("[]", http.json("/api/v1/metadata/" + c + "/plain").at("/data/attributes/specs").toString());
    }

    private static List<String> keysOf(String container) throws Exception {
        List<String> keys = new java.util.ArrayList<>();
        http.json("/api/v1/search/" + container + "?fields=").get("data").forEach(d -> keys.add(d.get("id").asText()));
        return keys;
    }

    @Test
    void aBodyOverTheRequestLimitIs413AndSaysToWriteByBlocks() throws Exception {
        String c = container();
        JsonNode doc = created(c, arrayBody("a", F8, "[4]", "[[4]]", "null"));
        HttpResponse<byte[]> r = put(doc.at("/links/full").asText(), new byte[dev.tiledgateway.core.write.WriteLimits.MAX_BODY_BYTES + 1]);
        assertEquals(413, r.statusCode());
        assertTrue(Http.detailOf(r).asText().contains("block by block"), Http.detailOf(r).asText());
    }

    @Test
    void aBlockOfExactlyTheRequestLimitIsWritten() throws Exception {
        // 562,500 float64 values are 4,500,000 bytes: the largest body one Lambda invocation takes after base64.
        int n = dev.tiledgateway.core.write.WriteLimits.MAX_BODY_BYTES / 8;
        String c = container();
        JsonNode doc = created(c, arrayBody("a", F8, "[" + n + "]", "[[" + n + "]]", "null"));
        byte[] body = doubles(n, 1);
        assertEquals(dev.tiledgateway.core.write.WriteLimits.MAX_BODY_BYTES, body.length);
        assertEquals(200, put(doc.at("/links/full").asText(), body).statusCode());
    }

    @Test
    void deletingFollowsRecursiveAndExternalOnlyAndRemovesWrittenObjects() throws Exception {
        String c = container();
        JsonNode doc = created(c, arrayBody("a", F8, "[4]", "[[2, 2]]", "null"));
        assertEquals(200, put(doc.at("/links/full").asText(), doubles(4, 0)).statusCode());
        String asset = doc.at("/data_sources/0/assets/0/data_uri").asText();
        String area = managedArea(asset);
        assertFalse(objects.list(area).isEmpty());
        // an external node beside it, over the demo's own objects
        JsonNode tiny = http.json("/api/v1/metadata/nested/images/tiny_image?include_data_sources=true");
        String tinyUri = tiny.at("/data/attributes/data_sources/0/assets/0/data_uri").asText();
        String register = "{\"id\": \"ext\", \"structure_family\": \"array\", \"metadata\": {}, \"specs\": [], \"data_sources\": [{\"structure_family\": \"array\","
                + " \"structure\": null, \"mimetype\": \"application/x-zarr\", \"management\": \"external\", \"assets\": [{\"data_uri\": \"" + tinyUri
                + "\", \"is_directory\": true, \"parameter\": \"data_uri\", \"num\": null}]}]}";
        HttpResponse<byte[]> reg = http.send("POST", "/api/v1/register/" + c, register.getBytes(), "Content-Type", "application/json");
        assertEquals(200, reg.statusCode(), new String(reg.body()));
        byte[] tinyBefore = read("nested/images/tiny_image");

        HttpResponse<byte[]> nonEmpty = http.send("DELETE", "/api/v1/metadata/" + c + "?recursive=false&external_only=true", null);
        assertEquals(409, nonEmpty.statusCode());
        assertTrue(Http.detailOf(nonEmpty).asText().startsWith("Cannot delete a node that is not empty"));
        HttpResponse<byte[]> managed = http.send("DELETE", "/api/v1/metadata/" + c + "?recursive=true&external_only=true", null);
        assertEquals(409, managed.statusCode());
        assertTrue(Http.detailOf(managed).asText().startsWith("Some items in this tree are internally managed"));
        assertEquals(200, http.get("/api/v1/metadata/" + c + "/a").statusCode());

        // the external node alone goes with external_only=true, and its objects stay
        assertEquals(200, http.send("DELETE", "/api/v1/metadata/" + c + "/ext?recursive=false&external_only=true", null).statusCode());
        assertEquals(404, http.get("/api/v1/metadata/" + c + "/ext").statusCode());
        assertArrayEquals(tinyBefore, read("nested/images/tiny_image"));

        HttpResponse<byte[]> all = http.send("DELETE", "/api/v1/metadata/" + c + "?recursive=true&external_only=false", null);
        assertEquals(200, all.statusCode(), new String(all.body()));
        assertEquals("null", new String(all.body()));
        assertEquals(404, http.get("/api/v1/metadata/" + c).statusCode());
        assertEquals(List.of(), objects.list(area));
    }

    @Test
    void aKeyDeletedAndCreatedAgainNeverSeesItsPredecessorsData() throws Exception {
        String c = container();
        JsonNode first = created(c, arrayBody("a", F8, "[300, 200]", "[[100, 100, 100], [200]]", "null"));
        byte[] one = doubles(60_000, 1);
        assertEquals(200, put(first.at("/links/full").asText(), one).statusCode());
        assertArrayEquals(one, read(c + "/a")); // above the inline ceiling: a materialised result
        assertEquals(200, http.send("DELETE", "/api/v1/metadata/" + c + "/a?recursive=false&external_only=false", null).statusCode());
        JsonNode second = created(c, arrayBody("a", F8, "[300, 200]", "[[100, 100, 100], [200]]", "null"));
        assertNotEquals(first.at("/data_sources/0/assets/0/data_uri").asText(), second.at("/data_sources/0/assets/0/data_uri").asText());
        assertArrayEquals(new byte[one.length], read(c + "/a"));
    }

    @Test
    void aLargeReadAfterAWriteIsNeverAStaleResultOrETag() throws Exception {
        String c = container();
        JsonNode doc = created(c, arrayBody("a", F8, "[300, 200]", "[[100, 100, 100], [200]]", "null"));
        byte[] one = doubles(60_000, 1), two = doubles(60_000, 2);
        assertEquals(200, put(doc.at("/links/full").asText(), one).statusCode());
        HttpResponse<byte[]> redirected = http.get("/api/v1/array/full/" + c + "/a", "Accept", "application/octet-stream");
        assertEquals(307, redirected.statusCode(), "above the inline ceiling the data is redirected");
        assertArrayEquals(one, read(c + "/a"));
        String etag = http.get("/api/v1/array/full/" + c + "/a?slice=0", "Accept", "application/octet-stream").headers().firstValue("ETag").orElseThrow();
        assertEquals(200, put(doc.at("/links/full").asText(), two).statusCode());
        assertArrayEquals(two, read(c + "/a"));
        HttpResponse<byte[]> conditional = http.get("/api/v1/array/full/" + c + "/a?slice=0", "Accept", "application/octet-stream", "If-None-Match", etag);
        assertEquals(200, conditional.statusCode());
        // a block write moves it on too
        byte[] block = doubles(20_000, 9);
        assertEquals(200, put(doc.at("/links/block").asText().replace("{0}", "1").replace("{1}", "0"), block).statusCode());
        byte[] expect = two.clone();
        System.arraycopy(block, 0, expect, 100 * 200 * 8, block.length);
        assertArrayEquals(expect, read(c + "/a"));
    }

    @Test
    void twoClientsWritingDifferentBlocksAtOnceBothLand() throws Exception {
        String c = container();
        JsonNode doc = created(c, arrayBody("a", I4, "[8, 64]", "[[1, 1, 1, 1, 1, 1, 1, 1], [64]]", "null"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> writes = new ArrayList<>();
            for (int b = 0; b < 8; b++) {
                int block = b;
                writes.add(pool.submit(() -> {
                    go.await();
                    return put(doc.at("/links/block").asText().replace("{0}", "" + block).replace("{1}", "0"), ints(64, block * 1000)).statusCode();
                }));
            }
            go.countDown();
            for (Future<Integer> f : writes) assertEquals(200, f.get());
        } finally {
            pool.shutdownNow();
        }
        ByteBuffer expect = ByteBuffer.allocate(8 * 64 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int b = 0; b < 8; b++) for (int i = 0; i < 64; i++) expect.putInt(b * 1000 + i);
        assertArrayEquals(expect.array(), read(c + "/a"));
    }

    @Test
    void aReaderOfABlockBeingRewrittenSeesTheOldBytesOrTheNewNeverAMix() throws Exception {
        String c = container();
        JsonNode doc = created(c, arrayBody("a", I4, "[4096]", "[[4096]]", "null"));
        byte[] old = ints(4096, 0), fresh = ints(4096, 1_000_000);
        String block = doc.at("/links/block").asText().replace("{0}", "0");
        assertEquals(200, put(block, old).statusCode());
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> writer = pool.submit(() -> {
                int failures = 0;
                for (int i = 0; i < 20; i++) if (put(block, i % 2 == 0 ? fresh : old).statusCode() != 200) failures++;
                writing.set(false);
                return failures;
            });
            int reads = 0;
            while (writing.get() || reads < 5) {
                byte[] seen = http.data("/api/v1/array/block/" + c + "/a?block=0");
                assertTrue(java.util.Arrays.equals(seen, old) || java.util.Arrays.equals(seen, fresh), "a read mixed two writes");
                reads++;
            }
            assertEquals(0, writer.get());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The store prefix of a written node's area, from the data URI its data source shows. */
    static String managedArea(String dataUri) {
        int at = dataUri.indexOf("_managed/");
        assertTrue(at >= 0, dataUri);
        String key = dataUri.substring(at);
        int slash = key.indexOf('/', "_managed/".length());
        return key.substring(0, slash + 1);
    }
}
