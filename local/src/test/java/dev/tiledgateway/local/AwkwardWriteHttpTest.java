package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.store.BlobStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Awkward and ragged arrays as the Tiled client writes them: {@code write_awkward} (POST the form and length, then
 * {@code PUT /awkward/full} with the zipped buffers, spec §6.3) and {@code write_ragged} (POST with mimetype
 * {@code application/x-ragged+sql}, then {@code PUT /ragged/full} or {@code /ragged/block?block=i} with buffers plus
 * {@code length} and {@code form} entries, spec §6.4, and {@code patch(..., extend=True)} appending rows).
 */
class AwkwardWriteHttpTest {

    private static Http http;
    private static BlobStore objects;

    @BeforeAll
    static void start() {
        WriteHttpTest.start();
        http = DemoServer.writableHttp();
        objects = DemoServer.writable().results();
    }

    static final String FORM = "{\"class\": \"ListOffsetArray\", \"offsets\": \"i64\", \"parameters\": {}, \"form_key\": \"node0\","
            + " \"content\": {\"class\": \"RecordArray\", \"fields\": [\"x\", \"y\"], \"parameters\": {}, \"form_key\": \"node1\", \"contents\": ["
            + "{\"class\": \"NumpyArray\", \"primitive\": \"float64\", \"inner_shape\": [], \"parameters\": {}, \"form_key\": \"node2\"},"
            + "{\"class\": \"ListOffsetArray\", \"offsets\": \"i64\", \"parameters\": {}, \"form_key\": \"node3\","
            + " \"content\": {\"class\": \"NumpyArray\", \"primitive\": \"int64\", \"inner_shape\": [], \"parameters\": {}, \"form_key\": \"node4\"}}]}}";

    static byte[] longs(long... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) b.putLong(x);
        return b.array();
    }

    static byte[] doubles(double... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) b.putDouble(x);
        return b.array();
    }

    /** A zip of STORED entries, as Python's zipfile writes them by default. */
    static byte[] zip(Map<String, byte[]> entries) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.setMethod(ZipOutputStream.STORED);
            for (var e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(e.getValue());
                entry.setSize(e.getValue().length);
                entry.setCompressedSize(e.getValue().length);
                entry.setCrc(crc.getValue());
                z.putNextEntry(entry);
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    static Map<String, byte[]> buffers() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("node0-offsets", longs(0, 2, 2, 3));
        m.put("node2-data", doubles(1.1, 2.2, 3.3));
        m.put("node3-offsets", longs(0, 1, 3, 6));
        m.put("node4-data", longs(1, 1, 2, 1, 2, 3));
        return m;
    }

    static String awkwardBody(String key, int length) {
        return "{\"id\": \"" + key + "\", \"structure_family\": \"awkward\", \"metadata\": {}, \"specs\": [], \"data_sources\": [{\"id\": null,"
                + " \"structure_family\": \"awkward\", \"structure\": {\"length\": " + length + ", \"form\": " + FORM + "}, \"mimetype\": null,"
                + " \"parameters\": {}, \"properties\": {}, \"assets\": [], \"management\": \"writable\"}], \"access_blob\": {}}";
    }

    static HttpResponse<byte[]> send(String method, String path, byte[] body) throws Exception {
        return http.send(method, path, body, "Content-Type", "application/zip", "Accept", "application/json");
    }

    static String json(String path) throws Exception {
        HttpResponse<byte[]> r = http.follow(path, "Accept", "application/json");
        assertEquals(200, r.statusCode(), new String(r.body()));
        return Json.parse(r.body()).toString();
    }

    static final String WRITTEN = "[[{\"x\":1.1,\"y\":[1]},{\"x\":2.2,\"y\":[1,2]}],[],[{\"x\":3.3,\"y\":[1,2,3]}]]";

    @Test
    void anAwkwardArrayWrittenWholeReadsBackThroughEveryAwkwardRoute() throws Exception {
        String c = WriteHttpTest.container();
        JsonNode doc = WriteHttpTest.created(c, awkwardBody("a", 3));
        assertTrue(doc.at("/links/buffers").asText().endsWith("/api/v1/awkward/buffers/" + c + "/a"), doc.toString());
        assertEquals("[[],[],[]]", json("/api/v1/awkward/full/" + c + "/a"));
        HttpResponse<byte[]> w = send("PUT", WriteHttpTest.local(doc.at("/links/full").asText()), zip(buffers()));
        assertEquals(200, w.statusCode(), new String(w.body()));
        assertEquals("null", new String(w.body()));
        assertEquals(WRITTEN, json("/api/v1/awkward/full/" + c + "/a"));
        HttpResponse<byte[]> some = http.send("POST", "/api/v1/awkward/buffers/" + c + "/a", "[\"node2\"]".getBytes(),
                "Content-Type", "application/json", "Accept", "application/zip");
        assertEquals(200, some.statusCode());
        Map<String, byte[]> got = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(some.body()))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) got.put(e.getName(), z.readAllBytes());
        }
        assertEquals(List.of("node2-data"), List.copyOf(got.keySet()));
        assertEquals(List.of(1.1, 2.2, 3.3), List.of(ByteBuffer.wrap(got.get("node2-data")).order(ByteOrder.LITTLE_ENDIAN).getDouble(0),
                ByteBuffer.wrap(got.get("node2-data")).order(ByteOrder.LITTLE_ENDIAN).getDouble(8), ByteBuffer.wrap(got.get("node2-data")).order(ByteOrder.LITTLE_ENDIAN).getDouble(16)));
        // the export of every buffer (the formats the awkward read path offers: zip and JSON)
        HttpResponse<byte[]> all = http.follow("/api/v1/awkward/full/" + c + "/a?format=application/zip");
        assertEquals(200, all.statusCode());
        Map<String, byte[]> every = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(all.body()))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) every.put(e.getName(), z.readAllBytes());
        }
        assertEquals(buffers().keySet(), every.keySet());
        for (var e : buffers().entrySet()) assertTrue(java.util.Arrays.equals(e.getValue(), every.get(e.getKey())), e.getKey());
    }

    @Test
    void awkwardBuffersMissingOrTooShortForTheFormAre422AndChangeNothing() throws Exception {
        String c = WriteHttpTest.container();
        WriteHttpTest.created(c, awkwardBody("a", 3));
        String full = "/api/v1/awkward/full/" + c + "/a";
        assertEquals(200, send("PUT", full, zip(buffers())).statusCode());
        Map<String, byte[]> missing = buffers();
        missing.remove("node4-data");
        HttpResponse<byte[]> r = send("PUT", full, zip(missing));
        assertEquals(422, r.statusCode());
        assertTrue(Http.detailOf(r).asText().contains("node4-data"), Http.detailOf(r).asText());
        Map<String, byte[]> shortData = buffers();
        shortData.put("node4-data", longs(1, 1, 2));
        assertEquals(422, send("PUT", full, zip(shortData)).statusCode());
        Map<String, byte[]> decreasing = buffers();
        decreasing.put("node0-offsets", longs(0, 2, 1, 3));
        assertEquals(422, send("PUT", full, zip(decreasing)).statusCode());
        assertEquals(422, send("PUT", full, "not a zip".getBytes()).statusCode());
        assertEquals(413, send("PUT", full, new byte[dev.tiledgateway.core.write.WriteLimits.MAX_BODY_BYTES + 1]).statusCode());
        assertEquals(405, send("PUT", "/api/v1/awkward/full/nested/awkward_array", zip(buffers())).statusCode());
        assertEquals(WRITTEN, json(full));
        HttpResponse<byte[]> badForm = WriteHttpTest.post(c, awkwardBody("b", 1).replace("ListOffsetArray\", \"offsets\": \"i64\", \"parameters\": {}, \"form_key\": \"node0\"",
                "IndexedOptionArray\", \"index\": \"i64\", \"parameters\": {}, \"form_key\": \"node0\""));
        assertEquals(422, badForm.statusCode(), new String(badForm.body()));
    }

    // ---- ragged ----

    static final String RAGGED_FORM = "{\"class\": \"ListOffsetArray\", \"offsets\": \"i64\", \"content\": {\"class\": \"ListOffsetArray\", \"offsets\": \"i64\","
            + " \"content\": {\"class\": \"NumpyArray\", \"primitive\": \"float64\", \"form_key\": \"node2\"}, \"form_key\": \"node1\"}, \"form_key\": \"node0\"}";

    static String raggedBody(String key, String chunks0, int rows) {
        String structure = "{\"data_type\": " + WriteHttpTest.F8 + ", \"shape\": [" + rows + ", null, null], \"size\": 9, \"chunks\": [" + chunks0
                + ", null, null], \"dims\": null, \"resizable\": false}";
        return "{\"id\": \"" + key + "\", \"structure_family\": \"ragged\", \"metadata\": {}, \"specs\": [], \"data_sources\": [{\"id\": null,"
                + " \"structure_family\": \"ragged\", \"structure\": " + structure + ", \"mimetype\": \"application/x-ragged+sql\","
                + " \"parameters\": {}, \"properties\": {}, \"assets\": [], \"management\": \"writable\"}], \"access_blob\": {}}";
    }

    /** What the client's to_zipped_buffers sends: the buffers, the length (8 bytes big-endian) and the form as a JSON string. */
    static byte[] raggedZip(long length, String form, long[] outer, long[] inner, double[] data) throws Exception {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("node0-offsets", longs(outer));
        m.put("node1-offsets", longs(inner));
        m.put("node2-data", doubles(data));
        m.put("length", ByteBuffer.allocate(8).putLong(length).array());
        m.put("form", Json.bytes(Json.mapper().getNodeFactory().textNode(form)));
        return zip(m);
    }

    @Test
    void aRaggedArrayWrittenByBlocksThenAppendedToReadsBackWithItsNewStructure() throws Exception {
        String c = WriteHttpTest.container();
        JsonNode doc = WriteHttpTest.created(c, raggedBody("r", "[2, 2]", 4));
        assertTrue(doc.at("/links/block").asText().endsWith("/api/v1/ragged/block/" + c + "/r?block={0}"), doc.toString());
        // rows [[1.1,2.2,3.3],[]], [[4.4]]; then [], [[5.5,6.6,7.7,8.8],[9.9]]; the second block's offsets as a slice sends them (not from 0)
        HttpResponse<byte[]> b0 = send("PUT", "/api/v1/ragged/block/" + c + "/r?block=0",
                raggedZip(2, RAGGED_FORM, new long[] {0, 2, 3}, new long[] {0, 3, 3, 4}, new double[] {1.1, 2.2, 3.3, 4.4}));
        assertEquals(200, b0.statusCode(), new String(b0.body()));
        assertEquals("[[[1.1,2.2,3.3],[]],[[4.4]],[],[]]", json("/api/v1/ragged/full/" + c + "/r"));
        HttpResponse<byte[]> b1 = send("PUT", "/api/v1/ragged/block/" + c + "/r?block=1",
                raggedZip(2, RAGGED_FORM, new long[] {3, 3, 5}, new long[] {0, 3, 3, 4, 8, 9}, new double[] {1.1, 2.2, 3.3, 4.4, 5.5, 6.6, 7.7, 8.8, 9.9}));
        assertEquals(200, b1.statusCode(), new String(b1.body()));
        assertEquals("[[[1.1,2.2,3.3],[]],[[4.4]],[],[[5.5,6.6,7.7,8.8],[9.9]]]", json("/api/v1/ragged/full/" + c + "/r"));
        assertEquals("[[[5.5,6.6,7.7,8.8],[9.9]]]", json("/api/v1/ragged/full/" + c + "/r?slice=3:4"));
        assertEquals("[[],[[5.5,6.6,7.7,8.8],[9.9]]]", json("/api/v1/ragged/block/" + c + "/r?block=1"));
        assertEquals(9, http.json("/api/v1/metadata/" + c + "/r").at("/data/attributes/structure/size").asInt());
        HttpResponse<byte[]> p = http.send("PATCH", "/api/v1/ragged/full/" + c + "/r?shape=1&offset=4&extend=true",
                raggedZip(1, RAGGED_FORM, new long[] {0, 1}, new long[] {0, 2}, new double[] {10.5, 11.5}), "Content-Type", "application/zip", "Accept", "application/json");
        assertEquals(200, p.statusCode(), new String(p.body()));
        JsonNode s = Json.parse(p.body());
        assertEquals("[5,null,null]", s.get("shape").toString());
        assertEquals("[2,2,1]", s.get("chunks").get(0).toString());
        assertEquals(11, s.get("size").asInt());
        assertEquals("[[[10.5,11.5]]]", json("/api/v1/ragged/block/" + c + "/r?block=2"));
        HttpResponse<byte[]> zip = http.follow("/api/v1/ragged/full/" + c + "/r", "Accept", "application/zip");
        assertEquals(200, zip.statusCode());
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            Map<String, byte[]> got = new LinkedHashMap<>();
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) got.put(e.getName(), z.readAllBytes());
            assertEquals(5, ByteBuffer.wrap(got.get("length")).getLong());
        }
    }

    @Test
    void raggedWritesOfTheWrongRowsFormOrOffsetAre4xxAndChangeNothing() throws Exception {
        String c = WriteHttpTest.container();
        WriteHttpTest.created(c, raggedBody("r", "[2]", 2));
        String full = "/api/v1/ragged/full/" + c + "/r";
        byte[] two = raggedZip(2, RAGGED_FORM, new long[] {0, 1, 2}, new long[] {0, 1, 2}, new double[] {1, 2});
        assertEquals(200, send("PUT", full, two).statusCode());
        HttpResponse<byte[]> rows = send("PUT", full, raggedZip(1, RAGGED_FORM, new long[] {0, 1}, new long[] {0, 1}, new double[] {1}));
        assertEquals(422, rows.statusCode());
        HttpResponse<byte[]> form = send("PUT", full, raggedZip(2, RAGGED_FORM.replace("float64", "int64"), new long[] {0, 1, 2}, new long[] {0, 1, 2}, new double[] {1, 2}));
        assertEquals(422, form.statusCode());
        assertTrue(Http.detailOf(form).asText().contains("form"), Http.detailOf(form).asText());
        HttpResponse<byte[]> past = send("PUT", full, raggedZip(2, RAGGED_FORM, new long[] {0, 1, 2}, new long[] {0, 1, 5}, new double[] {1, 2}));
        assertEquals(422, past.statusCode());
        byte[] one = raggedZip(1, RAGGED_FORM, new long[] {0, 1}, new long[] {0, 1}, new double[] {3});
        HttpResponse<byte[]> noExtend = send("PATCH", full + "?shape=1&offset=2", one);
        assertEquals(409, noExtend.statusCode());
        assertTrue(Http.detailOf(noExtend).asText().contains("Use ?extend=true"), Http.detailOf(noExtend).asText());
        assertEquals(422, send("PATCH", full + "?shape=1&offset=1&extend=true", one).statusCode());
        assertEquals(422, send("PATCH", full + "?shape=2&offset=2&extend=true", one).statusCode());
        assertTrue(send("PUT", "/api/v1/ragged/block/" + c + "/r?block=1", one).statusCode() / 100 == 4);
        assertEquals(405, send("PUT", "/api/v1/ragged/full/nested/ragged_array", two).statusCode());
        assertEquals("[[[1.0]],[[2.0]]]", json(full));
        assertEquals("[2,null,null]", http.json("/api/v1/metadata/" + c + "/r").at("/data/attributes/structure/shape").toString());
    }

    @Test
    void deletingWrittenAwkwardAndRaggedNodesRemovesTheirObjects() throws Exception {
        String c = WriteHttpTest.container();
        JsonNode a = WriteHttpTest.created(c, awkwardBody("a", 3));
        JsonNode r = WriteHttpTest.created(c, raggedBody("r", "[2]", 2));
        assertEquals(200, send("PUT", "/api/v1/awkward/full/" + c + "/a", zip(buffers())).statusCode());
        assertEquals(200, send("PUT", "/api/v1/ragged/full/" + c + "/r",
                raggedZip(2, RAGGED_FORM, new long[] {0, 1, 2}, new long[] {0, 1, 2}, new double[] {1, 2})).statusCode());
        String areaA = WriteHttpTest.managedArea(a.at("/data_sources/0/assets/0/data_uri").asText());
        String areaR = WriteHttpTest.managedArea(r.at("/data_sources/0/assets/0/data_uri").asText());
        assertFalse(objects.list(areaA).isEmpty());
        assertFalse(objects.list(areaR).isEmpty());
        assertEquals(200, http.send("DELETE", "/api/v1/metadata/" + c + "?recursive=true&external_only=false", null).statusCode());
        assertEquals(List.of(), objects.list(areaA));
        assertEquals(List.of(), objects.list(areaR));
    }
}
