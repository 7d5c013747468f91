package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.store.BlobStore;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sparse arrays as the Tiled client writes them ({@code write_sparse}: POST a single-chunk COO structure, then
 * {@code PUT /array/full} with pyarrow's file of a DataFrame {@code dim0.., data} and its index; {@code write_block}
 * with block-local coordinates), read back through the array routes and exports, refused when wrong, deleted.
 */
class SparseWriteHttpTest {

    private static Http http;
    private static BlobStore objects;

    @BeforeAll
    static void start() {
        WriteHttpTest.start();
        http = DemoServer.writableHttp();
        objects = DemoServer.writable().results();
    }

    static String body(String key, String shape, String chunks, String dataType) {
        String structure = "{\"shape\": " + shape + ", \"chunks\": " + chunks + ", \"dims\": null, \"resizable\": false, \"data_type\": " + dataType
                + ", \"coord_data_type\": " + WriteHttpTest.dtype("little", "i", 8, null) + ", \"layout\": \"COO\"}";
        return "{\"id\": \"" + key + "\", \"structure_family\": \"sparse\", \"metadata\": {\"kind\": \"coo\"}, \"specs\": [], \"data_sources\": [{\"id\": null,"
                + " \"structure_family\": \"sparse\", \"structure\": " + structure + ", \"mimetype\": null, \"parameters\": {}, \"properties\": {},"
                + " \"assets\": [], \"management\": \"writable\"}], \"access_blob\": {}}";
    }

    /** pyarrow's file of {@code pandas.DataFrame({"dim0": ..., "dim1": ..., "data": ...})}, RangeIndex as a column. */
    static byte[] coo(long[][] coords, double[] data, boolean int32Data) throws Exception {
        StringBuilder pandas = new StringBuilder("{\"index_columns\": [\"__index_level_0__\"], \"column_indexes\": [], \"columns\": [");
        List<Field> fields = new ArrayList<>();
        for (int d = 0; d < coords.length; d++) {
            fields.add(new Field("dim" + d, FieldType.nullable(new ArrowType.Int(64, true)), null));
            pandas.append("{\"name\": \"dim").append(d).append("\", \"field_name\": \"dim").append(d)
                    .append("\", \"pandas_type\": \"int64\", \"numpy_type\": \"int64\", \"metadata\": null},");
        }
        fields.add(new Field("data", FieldType.nullable(int32Data ? new ArrowType.Int(32, true) : new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), null));
        fields.add(new Field("__index_level_0__", FieldType.nullable(new ArrowType.Int(64, true)), null));
        pandas.append("{\"name\": \"data\", \"field_name\": \"data\", \"pandas_type\": \"float64\", \"numpy_type\": \"float64\", \"metadata\": null},")
                .append("{\"name\": null, \"field_name\": \"__index_level_0__\", \"pandas_type\": \"int64\", \"numpy_type\": \"int64\", \"metadata\": null}],")
                .append(" \"creator\": {\"library\": \"pyarrow\", \"version\": \"14.0.0\"}, \"pandas_version\": \"2.1.0\"}");
        Schema schema = new Schema(fields, Map.of("pandas", pandas.toString()));
        try (BufferAllocator a = new RootAllocator(); VectorSchemaRoot root = VectorSchemaRoot.create(schema, a)) {
            root.allocateNew();
            for (int i = 0; i < data.length; i++) {
                for (int d = 0; d < coords.length; d++) ((BigIntVector) root.getVector("dim" + d)).setSafe(i, coords[d][i]);
                if (int32Data) ((IntVector) root.getVector("data")).setSafe(i, (int) data[i]);
                else ((Float8Vector) root.getVector("data")).setSafe(i, data[i]);
                ((BigIntVector) root.getVector("__index_level_0__")).setSafe(i, i);
            }
            root.setRowCount(data.length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ArrowFileWriter w = new ArrowFileWriter(root, null, Channels.newChannel(out))) {
                w.start();
                w.writeBatch();
                w.end();
            }
            return out.toByteArray();
        }
    }

    /** The elements of a sparse read, "d0,d1=value", sorted. */
    static TreeSet<String> elements(String pathAndQuery) throws Exception {
        HttpResponse<byte[]> r = http.follow(pathAndQuery, "Accept", "application/vnd.apache.arrow.file");
        assertEquals(200, r.statusCode(), new String(r.body()));
        TreeSet<String> out = new TreeSet<>();
        try (BufferAllocator a = new RootAllocator(); ArrowFileReader f = new ArrowFileReader(new ByteArrayReadableSeekableByteChannel(r.body()), a)) {
            VectorSchemaRoot root = f.getVectorSchemaRoot();
            int ndim = root.getSchema().getFields().size() - 1;
            while (f.loadNextBatch()) {
                for (int i = 0; i < root.getRowCount(); i++) {
                    StringBuilder sb = new StringBuilder();
                    for (int d = 0; d < ndim; d++) sb.append(d == 0 ? "" : ",").append(root.getVector("dim" + d).getObject(i));
                    out.add(sb.append('=').append(root.getVector("data").getObject(i)).toString());
                }
            }
        }
        return out;
    }

    static HttpResponse<byte[]> put(String path, byte[] body) throws Exception {
        return http.send("PUT", path, body, "Content-Type", "application/vnd.apache.arrow.file", "Accept", "application/json");
    }

    static TreeSet<String> set(String... s) { return new TreeSet<>(List.of(s)); }

    @Test
    void aSparseArrayWrittenWholeReadsBackThroughTheArrayRoutesAndExports() throws Exception {
        String c = WriteHttpTest.container();
        JsonNode doc = WriteHttpTest.created(c, body("s", "[10, 8]", "[[10], [8]]", WriteHttpTest.F8));
        assertTrue(doc.at("/links/block").asText().endsWith("/api/v1/array/block/" + c + "/s?block={0},{1}"), doc.toString());
        assertEquals("writable", doc.at("/data_sources/0/management").asText());
        assertEquals(set(), elements("/api/v1/array/full/" + c + "/s"));
        HttpResponse<byte[]> w = put(WriteHttpTest.local(doc.at("/links/full").asText()), coo(new long[][] {{2, 5, 9}, {0, 7, 3}}, new double[] {1.5, -2.0, 7.25}, false));
        assertEquals(200, w.statusCode(), new String(w.body()));
        assertEquals("null", new String(w.body()));
        assertEquals(set("2,0=1.5", "5,7=-2.0", "9,3=7.25"), elements("/api/v1/array/full/" + c + "/s"));
        assertEquals(set("0,0=1.5", "3,7=-2.0"), elements("/api/v1/array/full/" + c + "/s?slice=2:6,0:8"));
        assertEquals(set("2,0=1.5", "5,7=-2.0", "9,3=7.25"), elements("/api/v1/array/block/" + c + "/s?block=0,0"));
        JsonNode json = Json.parse(http.get("/api/v1/array/full/" + c + "/s?format=application/json").body());
        assertEquals(3, json.get("data").size(), json.toString());
        String csv = new String(http.get("/api/v1/array/full/" + c + "/s?format=text/csv").body());
        assertTrue(csv.startsWith("dim0,dim1,data") && csv.contains("9,3,7.25"), csv);
        JsonNode meta = http.json("/api/v1/metadata/" + c + "/s");
        assertEquals("sparse", meta.at("/data/attributes/structure_family").asText());
        assertEquals("[10,8]", meta.at("/data/attributes/structure/shape").toString());
        assertEquals("coo", meta.at("/data/attributes/metadata/kind").asText());
        // a second whole write replaces every element
        assertEquals(200, put("/api/v1/array/full/" + c + "/s", coo(new long[][] {{1}, {1}}, new double[] {4.0}, false)).statusCode());
        assertEquals(set("1,1=4.0"), elements("/api/v1/array/full/" + c + "/s"));
    }

    @Test
    void blocksAreWrittenInBlockCoordinatesAndAReWrittenBlockReplacesOnlyItsElements() throws Exception {
        String c = WriteHttpTest.container();
        WriteHttpTest.created(c, body("s", "[10, 8]", "[[5, 5], [4, 4]]", WriteHttpTest.F8));
        assertEquals(200, put("/api/v1/array/block/" + c + "/s?block=1,1", coo(new long[][] {{0, 4}, {3, 0}}, new double[] {1, 2}, false)).statusCode());
        assertEquals(200, put("/api/v1/array/block/" + c + "/s?block=0,0", coo(new long[][] {{1}, {2}}, new double[] {3}, false)).statusCode());
        assertEquals(set("1,2=3.0", "5,7=1.0", "9,4=2.0"), elements("/api/v1/array/full/" + c + "/s"));
        assertEquals(set("0,3=1.0", "4,0=2.0"), elements("/api/v1/array/block/" + c + "/s?block=1,1"));
        assertEquals(200, put("/api/v1/array/block/" + c + "/s?block=1,1", coo(new long[][] {{2}, {2}}, new double[] {9}, false)).statusCode());
        assertEquals(set("1,2=3.0", "7,6=9.0"), elements("/api/v1/array/full/" + c + "/s"));
    }

    @Test
    void coordinatesOutsideTheShapeWrongTypesAndMissingColumnsAre4xxAndChangeNothing() throws Exception {
        String c = WriteHttpTest.container();
        WriteHttpTest.created(c, body("s", "[10, 8]", "[[5, 5], [8]]", WriteHttpTest.F8));
        String full = "/api/v1/array/full/" + c + "/s";
        assertEquals(200, put(full, coo(new long[][] {{2}, {3}}, new double[] {1}, false)).statusCode());
        HttpResponse<byte[]> outside = put(full, coo(new long[][] {{10}, {0}}, new double[] {1}, false));
        assertEquals(422, outside.statusCode());
        assertTrue(Http.detailOf(outside).asText().contains("outside"), Http.detailOf(outside).asText());
        HttpResponse<byte[]> blockOutside = put("/api/v1/array/block/" + c + "/s?block=0,0", coo(new long[][] {{5}, {0}}, new double[] {1}, false));
        assertEquals(422, blockOutside.statusCode());
        HttpResponse<byte[]> type = put(full, coo(new long[][] {{1}, {1}}, new double[] {1}, true));
        assertEquals(422, type.statusCode());
        assertTrue(Http.detailOf(type).asText().contains("data column"), Http.detailOf(type).asText());
        HttpResponse<byte[]> missing = put(full, coo(new long[][] {{1}}, new double[] {1}, false));
        assertEquals(422, missing.statusCode());
        assertTrue(Http.detailOf(missing).asText().contains("dim1"), Http.detailOf(missing).asText());
        assertEquals(422, put(full, "not arrow".getBytes()).statusCode());
        assertTrue(put("/api/v1/array/block/" + c + "/s?block=2,0", coo(new long[][] {{0}, {0}}, new double[] {1}, false)).statusCode() / 100 == 4);
        assertEquals(413, put(full, new byte[dev.tiledgateway.core.write.WriteLimits.MAX_BODY_BYTES + 1]).statusCode());
        assertEquals(405, http.send("PATCH", full + "?offset=0&shape=1,1", new byte[8], "Content-Type", "application/octet-stream").statusCode());
        assertEquals(set("2,3=1.0"), elements(full));
        HttpResponse<byte[]> badShape = WriteHttpTest.post(c, body("t", "[10, 8]", "[[5, 4], [8]]", WriteHttpTest.F8));
        assertEquals(422, badShape.statusCode());
        HttpResponse<byte[]> otherFormat = WriteHttpTest.post(c, body("u", "[4]", "[[4]]", WriteHttpTest.F8).replace("\"mimetype\": null", "\"mimetype\": \"text/csv\""));
        assertEquals(415, otherFormat.statusCode());
    }

    @Test
    void externalSparseDataIsNotWritableAndDeletingAWrittenOneRemovesItsObjects() throws Exception {
        assertEquals(405, put("/api/v1/array/full/nested/sparse_image", coo(new long[][] {{1}, {1}}, new double[] {1}, false)).statusCode());
        String c = WriteHttpTest.container();
        JsonNode doc = WriteHttpTest.created(c, body("s", "[4]", "[[4]]", WriteHttpTest.F8));
        String area = WriteHttpTest.managedArea(doc.at("/data_sources/0/assets/0/data_uri").asText());
        assertEquals(200, put("/api/v1/array/full/" + c + "/s", coo(new long[][] {{3}}, new double[] {1}, false)).statusCode());
        assertEquals(200, put("/api/v1/array/full/" + c + "/s", coo(new long[][] {{2}}, new double[] {1}, false)).statusCode());
        assertEquals(200, put("/api/v1/array/full/" + c + "/s", coo(new long[][] {{1}}, new double[] {1}, false)).statusCode());
        assertFalse(objects.list(area).isEmpty());
        assertEquals(200, http.send("DELETE", "/api/v1/metadata/" + c + "/s?external_only=false", null).statusCode());
        assertEquals(List.of(), objects.list(area));
    }
}
