package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's Parquet tables through {@code /table/partition}, {@code /table/full} and columns as arrays (spec §3.7). */
class TableHttpTest {

    private final Http http = DemoServer.http();

    /** Column name -> values of an Arrow IPC file (all record batches). */
    static java.util.Map<String, List<Object>> arrow(byte[] file) throws Exception {
        assertEquals("ARROW1", new String(file, 0, 6, StandardCharsets.US_ASCII), "the IPC file format, not the stream");
        java.util.Map<String, List<Object>> out = new java.util.LinkedHashMap<>();
        try (RootAllocator alloc = new RootAllocator();
             ArrowFileReader r = new ArrowFileReader(new ByteArrayReadableSeekableByteChannel(file), alloc)) {
            VectorSchemaRoot root = r.getVectorSchemaRoot();
            while (r.loadNextBatch()) {
                for (FieldVector v : root.getFieldVectors()) {
                    List<Object> col = out.computeIfAbsent(v.getName(), k -> new ArrayList<>());
                    for (int i = 0; i < v.getValueCount(); i++) col.add(v.getObject(i));
                }
            }
        }
        return out;
    }

    @Test
    void tableStructureCarriesTheArrowSchema() throws Exception {
        JsonNode d = http.json("/api/v1/metadata/tables/long_table").get("data");
        JsonNode s = d.at("/attributes/structure");
        assertEquals("table", d.at("/attributes/structure_family").asText());
        assertEquals(5, s.get("npartitions").asInt());
        assertEquals("[\"A\",\"B\",\"C\"]", s.get("columns").toString());
        assertTrue(s.get("arrow_schema").asText().startsWith("data:application/vnd.apache.arrow.file;base64,"));
        assertEquals("dataframe", d.at("/attributes/specs/0/name").asText());
        assertEquals("{\"animal\":\"dog\",\"color\":\"green\"}", d.at("/attributes/metadata").toString());
        assertEquals(http.origin() + "/api/v1/table/partition/tables/long_table?partition={index}", d.at("/links/partition").asText());
    }

    @Test
    void partitionsArriveOneByOneAsArrowFiles() throws Exception {
        HttpResponse<byte[]> r = http.follow("/api/v1/table/partition/tables/long_table?partition=2", "Accept", "application/vnd.apache.arrow.file");
        assertEquals(200, r.statusCode(), new String(r.body()));
        var t = arrow(r.body());
        assertEquals(20_000, t.get("A").size());
        for (int i = 0; i < 20_000; i += 997) assertEquals(2 * (Double) t.get("A").get(i), (Double) t.get("B").get(i), 1e-12);
        assertEquals(40_000L, ((Number) t.get("index").get(0)).longValue(), "the pandas index travels as a column");
    }

    @Test
    void columnSelectionByQueryAndByPost() throws Exception {
        var t = arrow(http.get("/api/v1/table/partition/tables/wide_table?partition=0&column=A&column=Z", "Accept", "application/vnd.apache.arrow.file").body());
        assertTrue(t.containsKey("A") && t.containsKey("Z") && !t.containsKey("B"));
        for (int i = 0; i < 10; i++) assertEquals(26 * (Double) t.get("A").get(i), (Double) t.get("Z").get(i), 1e-12);
        var posted = arrow(http.send("POST", "/api/v1/table/partition/tables/wide_table?partition=0", "[\"C\"]".getBytes(),
                "Accept", "application/vnd.apache.arrow.file", "Content-Type", "application/json").body());
        assertTrue(posted.containsKey("C") && !posted.containsKey("A"));
    }

    @Test
    void aColumnIsAnArrayChild() throws Exception {
        JsonNode d = http.json("/api/v1/metadata/tables/short_table/B").get("data");
        assertEquals("array", d.at("/attributes/structure_family").asText());
        assertEquals("[100]", d.at("/attributes/structure/shape").toString());
        byte[] b = http.data("/api/v1/array/full/tables/short_table/B?slice=:10&expected_shape=10");
        var t = arrow(http.get("/api/v1/table/partition/tables/short_table?partition=0", "Accept", "application/vnd.apache.arrow.file").body());
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 10; i++) assertEquals((Double) t.get("B").get(i), bb.getDouble(i * 8));
        assertEquals(404, http.get("/api/v1/metadata/tables/short_table/nope").statusCode());
    }

    @Test
    void exportsAsCsvAndJson() throws Exception {
        String csv = new String(http.get("/api/v1/table/full/tables/wide_table?format=csv&column=A&column=B").body(), StandardCharsets.UTF_8);
        assertTrue(csv.startsWith("A,B\n") || csv.startsWith("index,A,B\n"), csv);
        assertEquals(11, csv.strip().split("\n").length);
        JsonNode json = Json.parse(http.follow("/api/v1/table/full/tables/long_table?format=json&column=C").body());
        assertEquals(100_000, json.get("C").size());
    }

    @Test
    void mistakes() throws Exception {
        HttpResponse<byte[]> past = http.get("/api/v1/table/partition/tables/long_table?partition=5");
        assertEquals(400, past.statusCode());
        assertEquals("Partition out of range: 5 (the table has 5 partitions, 0 to 4)", Http.detailOf(past).asText());
        assertEquals(400, http.get("/api/v1/table/partition/tables/long_table?partition=99999999999999999999").statusCode());
        assertEquals(400, http.get("/api/v1/table/partition/tables/long_table?partition=-1").statusCode());
        assertEquals(400, http.get("/api/v1/table/partition/tables/long_table?partition=0&column=Q").statusCode());
        assertEquals(400, http.get("/api/v1/table/partition/tables/long_table?partition=0&column=A&field=B").statusCode());
        assertEquals(422, http.get("/api/v1/table/partition/tables/long_table?partition=x").statusCode());
        assertEquals(422, http.get("/api/v1/table/partition/tables/long_table").statusCode());
        assertEquals(406, http.get("/api/v1/table/partition/tables/long_table?partition=0&format=image/png").statusCode());
        assertEquals(404, http.get("/api/v1/table/partition/flat_array?partition=0").statusCode());
        assertEquals(422, http.send("POST", "/api/v1/table/partition/tables/long_table?partition=0", "{\"x\":1}".getBytes()).statusCode());
    }
}
