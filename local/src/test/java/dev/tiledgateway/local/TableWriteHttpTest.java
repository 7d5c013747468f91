package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.formats.table.ArrowSchemas;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tables created through the API and written as Arrow IPC files with pandas metadata and an index column, as
 * pyarrow writes a DataFrame: whole or partition by partition, read back with their index; wrong columns are 422.
 */
class TableWriteHttpTest {

    private static Http http;

    @BeforeAll
    static void start() {
        WriteHttpTest.start();
        http = DemoServer.writableHttp();
    }

    private static final String PANDAS = "{\"index_columns\": [\"__index_level_0__\"], \"column_indexes\": [], \"columns\": ["
            + "{\"name\": \"x\", \"field_name\": \"x\", \"pandas_type\": \"int64\", \"numpy_type\": \"int64\", \"metadata\": null},"
            + "{\"name\": \"y\", \"field_name\": \"y\", \"pandas_type\": \"float64\", \"numpy_type\": \"float64\", \"metadata\": null},"
            + "{\"name\": \"name\", \"field_name\": \"name\", \"pandas_type\": \"unicode\", \"numpy_type\": \"object\", \"metadata\": null},"
            + "{\"name\": null, \"field_name\": \"__index_level_0__\", \"pandas_type\": \"int64\", \"numpy_type\": \"int64\", \"metadata\": null}],"
            + " \"creator\": {\"library\": \"pyarrow\", \"version\": \"14.0.0\"}, \"pandas_version\": \"2.1.0\"}";

    static Schema schema(boolean withName) {
        List<Field> fields = new ArrayList<>(List.of(
                new Field("x", FieldType.nullable(new ArrowType.Int(64, true)), null),
                new Field("y", FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), null)));
        if (withName) fields.add(new Field("name", FieldType.nullable(ArrowType.Utf8.INSTANCE), null));
        fields.add(new Field("__index_level_0__", FieldType.nullable(new ArrowType.Int(64, true)), null));
        return new Schema(fields, Map.of("pandas", PANDAS));
    }

    /** An Arrow file of rows {@code from..from+n}, index {@code from + i}, as pyarrow writes a DataFrame. */
    static byte[] arrow(Schema schema, int from, int n) throws Exception {
        try (BufferAllocator a = new RootAllocator(); VectorSchemaRoot root = VectorSchemaRoot.create(schema, a)) {
            root.allocateNew();
            for (int i = 0; i < n; i++) {
                ((BigIntVector) root.getVector("x")).setSafe(i, (from + i) * 10L);
                ((Float8Vector) root.getVector("y")).setSafe(i, (from + i) / 4.0);
                if (root.getVector("name") != null) ((VarCharVector) root.getVector("name")).setSafe(i, ("row" + (from + i)).getBytes(StandardCharsets.UTF_8));
                if (root.getVector("__index_level_0__") != null) ((BigIntVector) root.getVector("__index_level_0__")).setSafe(i, 100L + from + i);
            }
            root.setRowCount(n);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ArrowFileWriter w = new ArrowFileWriter(root, null, Channels.newChannel(out))) {
                w.start();
                w.writeBatch();
                w.end();
            }
            return out.toByteArray();
        }
    }

    static String tableBody(String key, Schema schema, int npartitions) {
        return "{\"id\": \"" + key + "\", \"structure_family\": \"table\", \"metadata\": {}, \"specs\": [], \"data_sources\": [{\"id\": null,"
                + " \"structure_family\": \"table\", \"structure\": {\"arrow_schema\": \"" + ArrowSchemas.arrowSchemaDataUri(schema) + "\","
                + " \"npartitions\": " + npartitions + ", \"columns\": [\"x\", \"y\", \"name\"], \"resizable\": false}, \"mimetype\": null,"
                + " \"parameters\": {}, \"properties\": {}, \"assets\": [], \"management\": \"writable\"}], \"access_blob\": {}}";
    }

    /** Rows read back: x, y, name, index, per row. */
    static List<String> rows(byte[] arrowFile) throws Exception {
        List<String> rows = new ArrayList<>();
        try (BufferAllocator a = new RootAllocator(); ArrowFileReader r = new ArrowFileReader(new ByteArrayReadableSeekableByteChannel(arrowFile), a)) {
            VectorSchemaRoot root = r.getVectorSchemaRoot();
            assertTrue(root.getSchema().getCustomMetadata().get("pandas").contains("__index_level_0__"), "pandas metadata kept");
            while (r.loadNextBatch()) {
                for (int i = 0; i < root.getRowCount(); i++) {
                    rows.add(root.getVector("x").getObject(i) + "," + root.getVector("y").getObject(i) + "," + root.getVector("name").getObject(i)
                            + "," + root.getVector("__index_level_0__").getObject(i));
                }
            }
        }
        return rows;
    }

    static List<String> expected(int from, int n) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) out.add(i * 10L + "," + (i / 4.0) + ",row" + i + "," + (100L + i));
        return out;
    }

    static byte[] arrowOf(String path) throws Exception {
        HttpResponse<byte[]> r = http.follow(path, "Accept", "application/vnd.apache.arrow.file");
        assertEquals(200, r.statusCode(), new String(r.body()));
        return r.body();
    }

    static HttpResponse<byte[]> send(String method, String path, byte[] body, String type) throws Exception {
        return http.send(method, path, body, "Content-Type", type, "Accept", "application/json");
    }

    @Test
    void aTableWrittenWholeReadsBackWithItsIndexAndItsEmptyPartitionBeforeItIsWritten() throws Exception {
        String c = WriteHttpTest.container();
        Schema s = schema(true);
        JsonNode doc = Json.parse(send("POST", "/api/v1/metadata/" + c, tableBody("t", s, 1).getBytes(), "application/json").body());
        assertTrue(doc.at("/links/partition").asText().endsWith("/api/v1/table/partition/" + c + "/t?partition={index}"), doc.toString());
        assertEquals("writable", doc.at("/data_sources/0/management").asText());
        assertEquals("application/x-parquet", doc.at("/data_sources/0/mimetype").asText());
        assertEquals(List.of(), rows(arrowOf("/api/v1/table/partition/" + c + "/t?partition=0")));
        HttpResponse<byte[]> w = send("PUT", "/api/v1/table/full/" + c + "/t", arrow(s, 0, 5), "application/vnd.apache.arrow.file");
        assertEquals(200, w.statusCode(), new String(w.body()));
        assertEquals(expected(0, 5), rows(arrowOf("/api/v1/table/partition/" + c + "/t?partition=0")));
        String csv = new String(http.get("/api/v1/table/full/" + c + "/t?format=text/csv").body());
        assertTrue(csv.contains("row3"), csv);
    }

    @Test
    void aTableWrittenPartitionByPartitionReadsBackInOrder() throws Exception {
        String c = WriteHttpTest.container();
        Schema s = schema(true);
        assertEquals(200, send("POST", "/api/v1/metadata/" + c, tableBody("t", s, 3).getBytes(), "application/json").statusCode());
        for (int p = 2; p >= 0; p--) {
            HttpResponse<byte[]> w = send("PUT", "/api/v1/table/partition/" + c + "/t?partition=" + p, arrow(s, p * 4, 4), "application/vnd.apache.arrow.file");
            assertEquals(200, w.statusCode(), new String(w.body()));
        }
        assertEquals(expected(4, 4), rows(arrowOf("/api/v1/table/partition/" + c + "/t?partition=1")));
        assertEquals(expected(0, 12), rows(arrowOf("/api/v1/table/full/" + c + "/t")));
        assertEquals(422, send("PUT", "/api/v1/table/full/" + c + "/t", arrow(s, 0, 1), "application/vnd.apache.arrow.file").statusCode());
        assertEquals(400, send("PUT", "/api/v1/table/partition/" + c + "/t?partition=3", arrow(s, 0, 1), "application/vnd.apache.arrow.file").statusCode());
    }

    @Test
    void aPartitionWithOtherColumnsOrNotArrowIs422AndChangesNothing() throws Exception {
        String c = WriteHttpTest.container();
        Schema s = schema(true);
        assertEquals(200, send("POST", "/api/v1/metadata/" + c, tableBody("t", s, 1).getBytes(), "application/json").statusCode());
        assertEquals(200, send("PUT", "/api/v1/table/full/" + c + "/t", arrow(s, 0, 2), "application/vnd.apache.arrow.file").statusCode());
        HttpResponse<byte[]> wrong = send("PUT", "/api/v1/table/full/" + c + "/t", arrow(schema(false), 0, 2), "application/vnd.apache.arrow.file");
        assertEquals(422, wrong.statusCode());
        assertTrue(Http.detailOf(wrong).asText().contains("columns"), Http.detailOf(wrong).asText());
        assertEquals(422, send("PUT", "/api/v1/table/full/" + c + "/t", "not arrow".getBytes(), "application/vnd.apache.arrow.file").statusCode());
        assertEquals(expected(0, 2), rows(arrowOf("/api/v1/table/partition/" + c + "/t?partition=0")));
    }
}
