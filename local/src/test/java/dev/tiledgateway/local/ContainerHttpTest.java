package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

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
        assertEquals(406, http.get("/api/v1/container/full/nested").statusCode(), "HDF5, the default, is not offered");
    }
}
