package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The xarray dataset of the demo (inlined contents, specs, dims) and {@code /container/full} (spec §3.8, §4). */
class ContainerHttpTest {

    private final Http http = DemoServer.http();

    @Test
    void anXarrayDatasetInlinesItsChildren() throws Exception {
        JsonNode a = http.json("/api/v1/metadata/structured_data/xarray_dataset").at("/data/attributes");
        assertEquals("xarray_dataset", a.at("/specs/0/name").asText());
        assertEquals("[{\"key\":\"_\",\"direction\":1}]", a.get("sorting").toString());
        assertEquals("{\"attrs\":{}}", a.get("metadata").toString());
        JsonNode contents = a.at("/structure/contents");
        assertEquals(5, a.at("/structure/count").asInt());
        java.util.List<String> keys = new java.util.ArrayList<>();
        contents.fieldNames().forEachRemaining(keys::add);
        assertEquals(java.util.List.of("temperature", "precipitation", "lon", "lat", "time"), keys);
        assertEquals("xarray_data_var", contents.at("/temperature/attributes/specs/0/name").asText());
    }

    @Test
    void variablesCarrySpecsDimsAndAttrs() throws Exception {
        JsonNode t = http.json("/api/v1/metadata/structured_data/xarray_dataset/temperature").at("/data/attributes");
        assertEquals("xarray_data_var", t.at("/specs/0/name").asText());
        assertEquals("[\"x\",\"y\",\"time\"]", t.at("/structure/dims").toString());
        assertEquals("{\"attrs\":{}}", t.get("metadata").toString());
        JsonNode time = http.json("/api/v1/metadata/structured_data/xarray_dataset/time").at("/data/attributes");
        assertEquals("xarray_coord", time.at("/specs/0/name").asText());
        assertEquals("{\"endianness\":\"little\",\"kind\":\"M\",\"itemsize\":8,\"dt_units\":\"[ns]\"}", time.at("/structure/data_type").toString());
    }

    @Test
    void maxDepthZeroLeavesContentsOut() throws Exception {
        assertTrue(http.json("/api/v1/metadata/structured_data/xarray_dataset?max_depth=0").at("/data/attributes/structure/contents").isNull());
    }

    @Test
    void aContainerExportsItsSkeletonAsJson() throws Exception {
        JsonNode s = Json.parse(http.get("/api/v1/container/full/nested/cubes?format=json").body());
        assertEquals("{\"animal\":\"dog\",\"color\":\"red\"}", s.get("metadata").toString());
        assertTrue(s.at("/contents/tiny_cube/metadata").isObject());
        JsonNode one = Json.parse(http.get("/api/v1/container/full/nested?format=json&field=cubes").body());
        assertEquals(1, one.get("contents").size());
    }

    @Test
    void mistakes() throws Exception {
        HttpResponse<byte[]> unknown = http.get("/api/v1/container/full/nested?format=json&field=nope");
        assertEquals(400, unknown.statusCode());
        assertEquals(404, http.get("/api/v1/container/full/flat_array?format=json").statusCode());
        HttpResponse<byte[]> hdf5 = http.get("/api/v1/container/full/nested", "Accept", "application/x-hdf5");
        assertEquals(406, hdf5.statusCode(), "HDF5, Tiled's default for containers, is not offered");
        assertTrue(Http.detailOf(hdf5).asText().contains("application/json"), "the refusal says what is offered");
    }

    private static final String DATASET = "/api/v1/container/full/structured_data/xarray_dataset";

    /** The routes' own reads of the dataset's variables, to compare the table with. */
    private ByteBuffer variable(String name) throws Exception {
        return ByteBuffer.wrap(http.data("/api/v1/array/full/structured_data/xarray_dataset/" + name)).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void anyTypeOrNoAcceptGetsWhatTheNodeOffers() throws Exception {
        for (String[] accept : new String[][] {{"Accept", "*/*"}, {}, {"Accept", "application/*"}}) {
            HttpResponse<byte[]> r = http.get("/api/v1/container/full/structured_data", accept);
            assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
            assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
            assertEquals("{\"animal\":\"cat\",\"color\":\"green\"}", Json.parse(r.body()).get("metadata").toString());
        }
        HttpResponse<byte[]> any = http.get(DATASET, "Accept", "*/*");
        assertEquals(200, any.statusCode(), new String(any.body(), StandardCharsets.UTF_8));
        assertEquals("application/vnd.apache.arrow.file", any.headers().firstValue("content-type").orElseThrow(),
                "a dataset's first format, as the default (HDF5) is not offered");
        HttpResponse<byte[]> text = http.get(DATASET, "Accept", "text/*;q=0.9, application/json;q=0.5");
        assertEquals(200, text.statusCode());
        assertTrue(text.headers().firstValue("content-type").orElseThrow().startsWith("text/csv"), text.headers().toString());
    }

    @Test
    void theDatasetIsServedInEveryFormatTheAboutDocumentLists() throws Exception {
        JsonNode formats = http.json("/api/v1/", "Accept", "application/json").at("/formats/xarray_dataset");
        assertTrue(formats.size() >= 6, formats.toString());
        for (JsonNode f : formats) {
            HttpResponse<byte[]> r = http.follow(DATASET + "?format=" + java.net.URLEncoder.encode(f.asText(), StandardCharsets.UTF_8));
            assertEquals(200, r.statusCode(), f.asText() + ": " + new String(r.body(), StandardCharsets.UTF_8));
            assertTrue(r.body().length > 0, f.asText());
        }
        for (String alias : new String[] {"csv", "json", "arrow", "parquet", "xlsx", "html"})
            assertEquals(200, http.follow(DATASET + "?format=" + alias).statusCode(), alias);
    }

    /** As xarray's {@code to_dataframe()}: one row per (x, y, time), lon/lat repeated over time, the dimensions as the index. */
    @Test
    void theDatasetsArrowTableHasARowPerPointOfItsDimensions() throws Exception {
        Map<String, List<Object>> t = TableHttpTest.arrow(http.follow(DATASET + "?format=arrow").body());
        assertEquals(List.of("temperature", "precipitation", "lon", "lat", "x", "y", "time"), List.copyOf(t.keySet()));
        ByteBuffer temperature = variable("temperature"), precipitation = variable("precipitation"), lon = variable("lon"),
                lat = variable("lat"), time = variable("time");
        for (int r = 0; r < 12; r++) {
            int x = r / 6, y = r / 3 % 2, k = r % 3;
            assertEquals(temperature.getDouble(r * 8), t.get("temperature").get(r));
            assertEquals(precipitation.getDouble(r * 8), t.get("precipitation").get(r));
            assertEquals(lon.getDouble((x * 2 + y) * 8), t.get("lon").get(r));
            assertEquals(lat.getDouble((x * 2 + y) * 8), t.get("lat").get(r));
            assertEquals((long) x, t.get("x").get(r));
            assertEquals((long) y, t.get("y").get(r));
            java.time.LocalDateTime when = (java.time.LocalDateTime) t.get("time").get(r);
            long nanos = when.toEpochSecond(java.time.ZoneOffset.UTC) * 1_000_000_000L + when.getNano();
            assertEquals(time.getLong(k * 8), nanos);
        }
        assertEquals(12, t.get("temperature").size());
    }

    /** The text formats leave the index out, as upstream's pandas calls do ({@code index=False}). */
    @Test
    void theDatasetsCsvAndJsonHoldTheVariablesRowByRow() throws Exception {
        String csv = new String(http.follow(DATASET + "?format=csv").body(), StandardCharsets.UTF_8);
        String[] lines = csv.strip().split("\n");
        assertEquals("temperature,precipitation,lon,lat", lines[0]);
        assertEquals(13, lines.length, csv);
        ByteBuffer temperature = variable("temperature"), lat = variable("lat");
        for (int r = 0; r < 12; r++) {
            String[] cells = lines[r + 1].split(",");
            assertEquals(temperature.getDouble(r * 8), Double.parseDouble(cells[0]), lines[r + 1]);
            assertEquals(lat.getDouble((r / 3) * 8), Double.parseDouble(cells[3]), lines[r + 1]);
        }
        JsonNode json = Json.parse(http.follow(DATASET + "?format=json").body());
        assertEquals(List.of("temperature", "precipitation", "lon", "lat"), fieldNames(json));
        for (int r = 0; r < 12; r++) assertEquals(temperature.getDouble(r * 8), json.get("temperature").get(r).asDouble());
    }

    @Test
    void selectedFieldsMakeTheTableOfTheirOwnDimensions() throws Exception {
        Map<String, List<Object>> lon = TableHttpTest.arrow(http.follow(DATASET + "?format=arrow&field=lon").body());
        assertEquals(List.of("lon", "x", "y"), List.copyOf(lon.keySet()));
        assertEquals(4, lon.get("lon").size());
        Map<String, List<Object>> t = TableHttpTest.arrow(http.send("POST", DATASET + "?format=arrow",
                "[\"time\", \"temperature\"]".getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json").body());
        assertEquals(List.of("temperature", "x", "y", "time"), List.copyOf(t.keySet()), "data variables first, as upstream builds the dataset");
        assertEquals(12, t.get("x").size());
    }

    private static List<String> fieldNames(JsonNode o) {
        List<String> names = new java.util.ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
