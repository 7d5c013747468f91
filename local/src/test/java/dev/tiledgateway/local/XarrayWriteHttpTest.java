package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An xarray dataset written as the client's {@code write_xarray_dataset} writes it (a container with spec
 * {@code xarray_dataset} and metadata {@code {"attrs": ...}}, then one {@code write_array} per data variable and
 * coordinate, with their specs, dims and attrs) reads back as a dataset: inlined contents, and the wide table of
 * {@code /container/full} with the values in the order of its coordinates.
 */
class XarrayWriteHttpTest {

    private static Http http;

    @BeforeAll
    static void start() {
        http = DemoServer.writableHttp();
        WriteHttpTest.start();
    }

    private static String variable(String key, String dtype, String shape, String dims, String spec, String attrs) {
        return WriteHttpTest.arrayBody(key, dtype, shape, "[" + Arrays.stream(shape.substring(1, shape.length() - 1).split(","))
                        .map(n -> "[" + n.trim() + "]").reduce((a, b) -> a + ", " + b).orElse("") + "]", dims)
                .replace("\"specs\": []", "\"specs\": [{\"name\": \"" + spec + "\", \"version\": null}]")
                .replace("\"metadata\": {\"color\": \"red\"}", "\"metadata\": {\"attrs\": " + attrs + "}");
    }

    private static byte[] longs(long... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) b.putLong(x);
        return b.array();
    }

    @Test
    void aDatasetWrittenAsTheClientWritesItReadsBackAsADataset() throws Exception {
        String c = WriteHttpTest.container();
        WriteHttpTest.created(c, "{\"structure_family\": \"container\", \"data_sources\": [], \"id\": \"ds\", \"metadata\": {\"attrs\": {\"title\": \"run\"}},"
                + " \"specs\": [{\"name\": \"xarray_dataset\", \"version\": null}]}");
        String ds = c + "/ds";
        String i8 = WriteHttpTest.dtype("little", "i", 8, null);
        JsonNode temp = WriteHttpTest.created(ds, variable("temp", WriteHttpTest.F8, "[2, 3]", "[\"x\", \"y\"]", "xarray_data_var", "{\"units\": \"K\"}"));
        JsonNode x = WriteHttpTest.created(ds, variable("x", i8, "[2]", "[\"x\"]", "xarray_coord", "{}"));
        JsonNode y = WriteHttpTest.created(ds, variable("y", i8, "[3]", "[\"y\"]", "xarray_coord", "{}"));
        assertEquals(200, WriteHttpTest.put(temp.at("/links/full").asText(), WriteHttpTest.doubles(6, 0.5)).statusCode());
        assertEquals(200, WriteHttpTest.put(x.at("/links/full").asText(), longs(10, 20)).statusCode());
        assertEquals(200, WriteHttpTest.put(y.at("/links/full").asText(), longs(1, 2, 3)).statusCode());

        JsonNode a = http.json("/api/v1/metadata/" + ds).at("/data/attributes");
        assertEquals("{\"attrs\":{\"title\":\"run\"}}", a.get("metadata").toString());
        List<String> keys = new ArrayList<>();
        a.at("/structure/contents").fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("temp", "x", "y"), keys, "inlined, in the order written");
        assertEquals("[\"x\",\"y\"]", a.at("/structure/contents/temp/attributes/structure/dims").toString());
        assertEquals("xarray_data_var", a.at("/structure/contents/temp/attributes/specs/0/name").asText());
        assertEquals("{\"attrs\":{\"units\":\"K\"}}", a.at("/structure/contents/temp/attributes/metadata").toString());

        // The wide table: one row per point of x × y in C order (the text formats leave the (x, y) index out), so temp's
        // values in the order written.
        HttpResponse<byte[]> csv = http.follow("/api/v1/container/full/" + ds + "?format=text/csv");
        assertEquals(200, csv.statusCode(), new String(csv.body(), StandardCharsets.UTF_8));
        List<String> lines = new String(csv.body(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        assertEquals("temp", lines.getFirst());
        List<Double> values = lines.subList(1, lines.size()).stream().map(Double::parseDouble).toList();
        assertEquals(List.of(0.5, 1.0, 1.5, 2.0, 2.5, 3.0), values);
        // The coordinates read back as written.
        assertEquals(Arrays.toString(longs(10, 20)), Arrays.toString(WriteHttpTest.read(ds + "/x")));
        assertEquals(Arrays.toString(longs(1, 2, 3)), Arrays.toString(WriteHttpTest.read(ds + "/y")));
    }
}
