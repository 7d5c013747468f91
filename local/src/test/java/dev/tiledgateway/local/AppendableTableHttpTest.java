package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.formats.table.ArrowSchemas;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Appendable tables as the Tiled client makes them: {@code create_appendable_table(schema, npartitions)} (mimetype
 * {@code application/x-tiled-sql-table}, a pyarrow schema without index), then {@code append_partition(i, df)}, an
 * Arrow file with pandas metadata and the index column, as {@code PATCH /table/partition?partition=i}.
 */
class AppendableTableHttpTest {

    private static Http http;
    private static BlobStore objects;

    @BeforeAll
    static void start() {
        TableWriteHttpTest.start();
        http = DemoServer.writableHttp();
        objects = DemoServer.writable().results();
    }

    /** The schema a user hands create_appendable_table: the columns, no pandas index. */
    static Schema declared() {
        return new Schema(List.of(
                new Field("x", FieldType.nullable(new ArrowType.Int(64, true)), null),
                new Field("y", FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), null),
                new Field("name", FieldType.nullable(ArrowType.Utf8.INSTANCE), null)), Map.of());
    }

    static String body(String key, int npartitions) {
        return "{\"id\": \"" + key + "\", \"structure_family\": \"table\", \"metadata\": {}, \"specs\": [], \"data_sources\": [{\"id\": null,"
                + " \"structure_family\": \"table\", \"structure\": {\"arrow_schema\": \"" + ArrowSchemas.arrowSchemaDataUri(declared()) + "\","
                + " \"npartitions\": " + npartitions + ", \"columns\": [\"x\", \"y\", \"name\"], \"resizable\": false},"
                + " \"mimetype\": \"application/x-tiled-sql-table\", \"parameters\": {\"table_name\": \"runs\"}, \"properties\": {},"
                + " \"assets\": [], \"management\": \"writable\"}], \"access_blob\": {}}";
    }

    static HttpResponse<byte[]> append(String path, int partition, byte[] arrow) throws Exception {
        return TableWriteHttpTest.send("PATCH", "/api/v1/table/partition/" + path + "?partition=" + partition, arrow, "application/vnd.apache.arrow.file");
    }

    static byte[] rows(int from, int n) throws Exception { return TableWriteHttpTest.arrow(TableWriteHttpTest.schema(true), from, n); }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static List<String> partition(String path, int i) throws Exception {
        return TableWriteHttpTest.rows(TableWriteHttpTest.arrowOf("/api/v1/table/partition/" + path + "?partition=" + i));
    }

    @Test
    void rowsAppendedToPartitionsReadBackInAppendOrderWithTheirIndex() throws Exception {
        String c = WriteHttpTest.container();
        JsonNode doc = WriteHttpTest.created(c, body("t", 2));
        assertEquals("application/x-tiled-sql-table", doc.at("/data_sources/0/mimetype").asText());
        assertEquals("writable", doc.at("/data_sources/0/management").asText());
        assertTrue(doc.at("/links/partition").asText().endsWith("/api/v1/table/partition/" + c + "/t?partition={index}"), doc.toString());
        // before any append: empty partitions of the declared columns
        try (BufferAllocator a = new RootAllocator(); ArrowFileReader r = new ArrowFileReader(
                new ByteArrayReadableSeekableByteChannel(TableWriteHttpTest.arrowOf("/api/v1/table/partition/" + c + "/t?partition=1")), a)) {
            assertEquals(List.of("x", "y", "name"), r.getVectorSchemaRoot().getSchema().getFields().stream().map(Field::getName).toList());
            int n = 0;
            while (r.loadNextBatch()) n += r.getVectorSchemaRoot().getRowCount();
            assertEquals(0, n);
        }
        String etag0 = http.get("/api/v1/table/full/" + c + "/t", "Accept", "application/vnd.apache.arrow.file").headers().firstValue("ETag").orElse("");
        HttpResponse<byte[]> w = append(c + "/t", 0, rows(0, 3));
        assertEquals(200, w.statusCode(), new String(w.body()));
        assertEquals("null", new String(w.body()));
        assertEquals(200, append(c + "/t", 1, rows(3, 2)).statusCode());
        assertEquals(200, append(c + "/t", 0, rows(5, 4)).statusCode());
        assertEquals(concat(TableWriteHttpTest.expected(0, 3), TableWriteHttpTest.expected(5, 4)), partition(c + "/t", 0));
        assertEquals(TableWriteHttpTest.expected(3, 2), partition(c + "/t", 1));
        List<String> all = TableWriteHttpTest.rows(TableWriteHttpTest.arrowOf("/api/v1/table/full/" + c + "/t"));
        assertEquals(concat(concat(TableWriteHttpTest.expected(0, 3), TableWriteHttpTest.expected(5, 4)), TableWriteHttpTest.expected(3, 2)), all);
        String etag1 = http.get("/api/v1/table/full/" + c + "/t", "Accept", "application/vnd.apache.arrow.file").headers().firstValue("ETag").orElse("");
        assertNotEquals(etag0, etag1, "the table's data has a new identity after appends");
        // every export and the column-as-array route see the appended rows
        String csv = new String(http.get("/api/v1/table/full/" + c + "/t?format=text/csv").body());
        assertTrue(csv.contains("row8") && csv.contains("row4"), csv);
        String json = new String(http.get("/api/v1/table/partition/" + c + "/t?partition=0&format=application/json").body());
        assertTrue(json.contains("row8") && json.contains("row0") && !json.contains("row4"), json);
        HttpResponse<byte[]> parquet = http.follow("/api/v1/table/full/" + c + "/t?format=application/x-parquet");
        assertEquals(200, parquet.statusCode());
        assertEquals("PAR1", new String(parquet.body(), 0, 4));
        JsonNode meta = http.json("/api/v1/metadata/" + c + "/t");
        assertEquals(List.of("x", "y", "name"), Json.mapper().convertValue(meta.at("/data/attributes/structure/columns"), List.class));
        assertEquals(2, meta.at("/data/attributes/structure/npartitions").asInt());
    }

    /** Bodies are kept by ETag: a repeated read gets the first read's bytes, and a write is seen by the very next read. */
    @Test
    void aKeptPartitionIsTheSameBytesAndIsNeverServedAfterAWrite() throws Exception {
        String c = WriteHttpTest.container();
        WriteHttpTest.created(c, body("t", 1));
        assertEquals(200, append(c + "/t", 0, rows(0, 3)).statusCode());
        String arrow = "/api/v1/table/partition/" + c + "/t?partition=0";
        String csv = "/api/v1/table/partition/" + c + "/t?partition=0&format=text/csv";
        String full = "/api/v1/table/full/" + c + "/t?format=text/csv&column=name&column=x";
        byte[] cold = TableWriteHttpTest.arrowOf(arrow);
        assertArrayEquals(cold, TableWriteHttpTest.arrowOf(arrow), "a warm read has the cold read's bytes");
        String csv0 = new String(http.get(csv).body());
        assertEquals(csv0, new String(http.get(csv).body()));
        String full0 = new String(http.get(full).body());
        assertTrue(full0.startsWith("name,x\n"), "only the asked columns, in the asked order: " + full0);
        assertEquals(full0, new String(http.get(full).body()));
        assertEquals(200, append(c + "/t", 0, rows(3, 2)).statusCode());
        assertEquals(TableWriteHttpTest.expected(0, 5), TableWriteHttpTest.rows(TableWriteHttpTest.arrowOf(arrow)), "the append is read at once");
        String csv1 = new String(http.get(csv).body());
        assertTrue(csv1.contains("row4") && !csv0.contains("row4"), csv1);
        assertTrue(new String(http.get(full).body()).contains("row4"));
        HttpResponse<byte[]> put = TableWriteHttpTest.send("PUT", "/api/v1/table/full/" + c + "/t", rows(10, 2), "application/vnd.apache.arrow.file");
        assertEquals(200, put.statusCode(), new String(put.body()));
        assertEquals(TableWriteHttpTest.expected(10, 2), TableWriteHttpTest.rows(TableWriteHttpTest.arrowOf(arrow)), "the replacement is read at once");
        String csv2 = new String(http.get(csv).body());
        assertTrue(csv2.contains("row10") && !csv2.contains("row4"), csv2);
        // a written (not appendable) table: its partition rewritten in place under the same object key
        Schema s = TableWriteHttpTest.schema(true);
        WriteHttpTest.created(c, TableWriteHttpTest.tableBody("plain", s, 1));
        String plain = "/api/v1/table/partition/" + c + "/plain?partition=0";
        assertEquals(200, TableWriteHttpTest.send("PUT", plain, rows(0, 2), "application/vnd.apache.arrow.file").statusCode());
        assertEquals(TableWriteHttpTest.expected(0, 2), TableWriteHttpTest.rows(TableWriteHttpTest.arrowOf(plain)));
        assertEquals(TableWriteHttpTest.expected(0, 2), TableWriteHttpTest.rows(TableWriteHttpTest.arrowOf(plain)));
        assertEquals(200, TableWriteHttpTest.send("PUT", plain, rows(7, 3), "application/vnd.apache.arrow.file").statusCode());
        assertEquals(TableWriteHttpTest.expected(7, 3), TableWriteHttpTest.rows(TableWriteHttpTest.arrowOf(plain)));
    }

    @Test
    void aPutReplacesAnAppendablePartitionAndLaterAppendsFollowIt() throws Exception {
        String c = WriteHttpTest.container();
        WriteHttpTest.created(c, body("t", 1));
        assertEquals(200, append(c + "/t", 0, rows(0, 3)).statusCode());
        HttpResponse<byte[]> put = TableWriteHttpTest.send("PUT", "/api/v1/table/full/" + c + "/t", rows(10, 2), "application/vnd.apache.arrow.file");
        assertEquals(200, put.statusCode(), new String(put.body()));
        assertEquals(200, append(c + "/t", 0, rows(20, 1)).statusCode());
        assertEquals(concat(TableWriteHttpTest.expected(10, 2), TableWriteHttpTest.expected(20, 1)), partition(c + "/t", 0));
    }

    @Test
    void badAppendsAre4xxAndChangeNothing() throws Exception {
        String c = WriteHttpTest.container();
        JsonNode doc = WriteHttpTest.created(c, body("t", 2));
        String area = WriteHttpTest.managedArea(doc.at("/data_sources/0/assets/0/data_uri").asText());
        assertEquals(200, append(c + "/t", 0, rows(0, 2)).statusCode());
        int stored = objects.list(area).size();
        HttpResponse<byte[]> columns = append(c + "/t", 0, TableWriteHttpTest.arrow(TableWriteHttpTest.schema(false), 0, 2));
        assertEquals(422, columns.statusCode());
        assertTrue(Http.detailOf(columns).asText().contains("columns"), Http.detailOf(columns).asText());
        assertEquals(422, append(c + "/t", 0, "not arrow".getBytes()).statusCode());
        HttpResponse<byte[]> range = append(c + "/t", 2, rows(0, 1));
        assertEquals(400, range.statusCode());
        assertTrue(Http.detailOf(range).asText().contains("Partition out of range"), Http.detailOf(range).asText());
        assertEquals(422, TableWriteHttpTest.send("PATCH", "/api/v1/table/partition/" + c + "/t", rows(0, 1), "application/vnd.apache.arrow.file").statusCode());
        // rows without the index column the first append had cannot follow it in one read
        HttpResponse<byte[]> noIndex = append(c + "/t", 1, TableWriteHttpTest.arrow(declared(), 0, 2));
        assertEquals(422, noIndex.statusCode(), new String(noIndex.body()));
        assertTrue(Http.detailOf(noIndex).asText().contains("index"), Http.detailOf(noIndex).asText());
        HttpResponse<byte[]> big = append(c + "/t", 0, new byte[dev.tiledgateway.core.write.WriteLimits.MAX_BODY_BYTES + 1]);
        assertEquals(413, big.statusCode());
        assertEquals(TableWriteHttpTest.expected(0, 2), partition(c + "/t", 0));
        assertEquals(List.of(), partition(c + "/t", 1));
        assertEquals(stored, objects.list(area).size(), "a refused append leaves no object behind");
    }

    @Test
    void rowsAreAppendedOnlyToAppendableTablesAndNeverToExternalOnes() throws Exception {
        String c = WriteHttpTest.container();
        Schema s = TableWriteHttpTest.schema(true);
        WriteHttpTest.created(c, TableWriteHttpTest.tableBody("plain", s, 1));
        HttpResponse<byte[]> plain = append(c + "/plain", 0, rows(0, 1));
        assertEquals(405, plain.statusCode());
        assertTrue(Http.detailOf(plain).asText().contains("create_appendable_table"), Http.detailOf(plain).asText());
        assertEquals(405, append("tables/short_table", 0, rows(0, 1)).statusCode());
    }

    @Test
    void deletingAnAppendableTableRemovesEveryAppendedObject() throws Exception {
        String c = WriteHttpTest.container();
        JsonNode doc = WriteHttpTest.created(c, body("t", 3));
        String area = WriteHttpTest.managedArea(doc.at("/data_sources/0/assets/0/data_uri").asText());
        for (int p = 0; p < 3; p++) assertEquals(200, append(c + "/t", p, rows(p, 1)).statusCode());
        assertEquals(6, objects.list(area).size());
        assertEquals(409, http.send("DELETE", "/api/v1/metadata/" + c + "/t", null).statusCode());
        assertEquals(200, http.send("DELETE", "/api/v1/metadata/" + c + "/t?external_only=false", null).statusCode());
        assertEquals(List.of(), objects.list(area));
        assertEquals(404, http.get("/api/v1/metadata/" + c + "/t").statusCode());
        assertFalse(objects.list("_managed/").stream().anyMatch(k -> k.startsWith(area)));
    }
}
