package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Awkward and ragged nodes of the demo (spec §3.9, §3.10, §6.3, §6.4), as the client reads them. */
class AwkwardHttpTest {

    private final Http http = DemoServer.http();

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                assertEquals(ZipEntry.STORED, e.getMethod(), "entries are stored, not deflated");
                out.put(e.getName(), z.readAllBytes());
            }
        }
        return out;
    }

    private static long[] longs(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[b.length / 8];
        for (int i = 0; i < out.length; i++) out[i] = bb.getLong(i * 8);
        return out;
    }

    @Test
    void theAwkwardStructureIsTheFormAndLength() throws Exception {
        JsonNode d = http.json("/api/v1/metadata/nested/awkward_array").get("data");
        assertEquals("awkward", d.at("/attributes/structure_family").asText());
        assertEquals(3, d.at("/attributes/structure/length").asInt());
        assertEquals("node0", d.at("/attributes/structure/form/form_key").asText());
        assertEquals(http.origin() + "/api/v1/awkward/buffers/nested/awkward_array", d.at("/links/buffers").asText());
    }

    @Test
    void buffersArePrefixSelectedByFormKey() throws Exception {
        HttpResponse<byte[]> r = http.send("POST", "/api/v1/awkward/buffers/nested/awkward_array",
                "[\"node0\",\"node2\",\"node3\",\"node4\"]".getBytes(), "Accept", "application/zip", "Content-Type", "application/json");
        assertEquals(200, r.statusCode());
        Map<String, byte[]> z = unzip(r.body());
        assertEquals(java.util.Set.of("node0-offsets", "node2-data", "node3-offsets", "node4-data"), z.keySet());
        assertArrayEquals(new long[] {0, 2, 2, 3}, longs(z.get("node0-offsets")));
        assertArrayEquals(new long[] {1, 1, 2, 1, 2, 3}, longs(z.get("node4-data")));
        assertEquals(java.util.Set.of("node3-offsets"), unzip(http.send("POST", "/api/v1/awkward/buffers/nested/awkward_array",
                "[\"node3\"]".getBytes(), "Accept", "application/zip").body()).keySet());
    }

    @Test
    void awkwardExportsAsJson() throws Exception {
        HttpResponse<byte[]> r = http.get("/api/v1/awkward/full/nested/awkward_array?format=json");
        assertEquals("[[{\"x\":1.1,\"y\":[1]},{\"x\":2.2,\"y\":[1,2]}],[],[{\"x\":3.3,\"y\":[1,2,3]}]]", new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void raggedZipCarriesLengthAndADoubleEncodedForm() throws Exception {
        HttpResponse<byte[]> r = http.get("/api/v1/ragged/full/nested/ragged_array", "Accept", "application/zip");
        Map<String, byte[]> z = unzip(r.body());
        assertEquals(4L, ByteBuffer.wrap(z.get("length")).order(ByteOrder.BIG_ENDIAN).getLong());
        JsonNode formString = Json.parse(z.get("form"));
        assertTrue(formString.isTextual());
        assertEquals("ListOffsetArray", Json.parse(formString.asText()).get("class").asText());
        assertArrayEquals(new long[] {0, 2, 3, 3, 5}, longs(z.get("node0-offsets")));
    }

    @Test
    void raggedSlicesAndElements() throws Exception {
        assertEquals("[[[1.1,2.2,3.3],[]],[[4.4]],[],[[5.5,6.6,7.7,8.8],[9.9]]]",
                new String(http.get("/api/v1/ragged/full/nested/ragged_array").body(), StandardCharsets.UTF_8));
        assertEquals("[[4.4]]", new String(http.get("/api/v1/ragged/full/nested/ragged_array?slice=1", "Accept", "application/json").body(), StandardCharsets.UTF_8));
        Map<String, byte[]> one = unzip(http.get("/api/v1/ragged/full/nested/ragged_array?slice=1", "Accept", "application/zip").body());
        assertEquals(1L, ByteBuffer.wrap(one.get("length")).getLong(), "a[1] drops the outer dimension");
        Map<String, byte[]> rows = unzip(http.get("/api/v1/ragged/full/nested/ragged_array?slice=1:3", "Accept", "application/zip").body());
        assertEquals(2L, ByteBuffer.wrap(rows.get("length")).getLong());
        assertArrayEquals(new long[] {0, 1, 1}, longs(rows.get("node0-offsets")));
        assertArrayEquals(new long[] {0, 1}, longs(rows.get("node1-offsets")));
        assertEquals(8, rows.get("node2-data").length);
    }

    /** The node's {@code links.block}, filled in as its template says, is served: the rows of that block. */
    @Test
    void theRaggedBlockLinkIsServed() throws Exception {
        String template = http.json("/api/v1/metadata/nested/ragged_array").at("/data/links/block").asText();
        assertEquals(http.origin() + "/api/v1/ragged/block/nested/ragged_array?block={0}", template);
        String full = new String(http.get("/api/v1/ragged/full/nested/ragged_array").body(), StandardCharsets.UTF_8);
        HttpResponse<byte[]> block = http.get(template.replace("{0}", "0"), "Accept", "application/json");
        assertEquals(200, block.statusCode(), new String(block.body(), StandardCharsets.UTF_8));
        assertEquals(full, new String(block.body(), StandardCharsets.UTF_8), "the demo's ragged array is one block");
        assertEquals(full, new String(http.get("/api/v1/ragged/block/nested/ragged_array?block=0,0,0").body(), StandardCharsets.UTF_8));
        assertEquals("[[[4.4]],[]]",
                new String(http.get("/api/v1/ragged/block/nested/ragged_array?block=0&slice=1:3").body(), StandardCharsets.UTF_8));
        Map<String, byte[]> z = unzip(http.get("/api/v1/ragged/block/nested/ragged_array?block=0", "Accept", "application/zip").body());
        assertEquals(4L, ByteBuffer.wrap(z.get("length")).getLong());
    }

    @Test
    void raggedBlockMistakes() throws Exception {
        HttpResponse<byte[]> past = http.get("/api/v1/ragged/block/nested/ragged_array?block=1");
        assertEquals(400, past.statusCode());
        assertTrue(Http.detailOf(past).asText().startsWith("Block index out of range"), Http.detailOf(past).asText());
        assertEquals(400, http.get("/api/v1/ragged/block/nested/ragged_array?block=0,1,0").statusCode());
        assertEquals(422, http.get("/api/v1/ragged/block/nested/ragged_array?block=x").statusCode());
        assertEquals(422, http.get("/api/v1/ragged/block/nested/ragged_array?block=0,0").statusCode());
        assertEquals(422, http.get("/api/v1/ragged/block/nested/ragged_array").statusCode());
        assertEquals(404, http.get("/api/v1/ragged/block/nested/awkward_array?block=0").statusCode());
    }

    @Test
    void mistakes() throws Exception {
        assertEquals(422, http.send("POST", "/api/v1/awkward/buffers/nested/awkward_array", "{\"a\":1}".getBytes()).statusCode());
        assertEquals(422, http.send("POST", "/api/v1/awkward/buffers/nested/awkward_array", "not json".getBytes()).statusCode());
        assertEquals(404, http.get("/api/v1/awkward/full/flat_array").statusCode());
        assertEquals(422, http.get("/api/v1/ragged/full/nested/ragged_array?slice=0,1").statusCode());
        assertEquals(400, http.get("/api/v1/ragged/full/nested/ragged_array?slice=9").statusCode());
        assertEquals(406, http.get("/api/v1/ragged/full/nested/ragged_array?format=image/png").statusCode());
    }
}
