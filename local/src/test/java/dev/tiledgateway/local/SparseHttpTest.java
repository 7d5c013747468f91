package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's COO {@code sparse_image} through {@code /array/full} and {@code /array/block} (spec §3.6). */
class SparseHttpTest {

    private final Http http = DemoServer.http();

    private JsonNode table(String url) throws Exception {
        return Json.parse(http.get(url, "Accept", "application/json").body());
    }

    @Test
    void structureIsCoo() throws Exception {
        JsonNode s = http.json("/api/v1/metadata/nested/sparse_image").at("/data/attributes/structure");
        assertEquals("[100,100]", s.get("shape").toString());
        assertEquals("COO", s.get("layout").asText());
        assertEquals("i", s.at("/coord_data_type/kind").asText());
    }

    @Test
    void aboutTenPercentOfValuesAreStoredAndAllAreAtLeastPointNine() throws Exception {
        JsonNode all = table("/api/v1/array/full/nested/sparse_image");
        int nnz = all.get("data").size();
        assertTrue(nnz > 800 && nnz < 1200, "nnz " + nnz);
        for (JsonNode v : all.get("data")) assertTrue(v.asDouble() >= 0.9);
        for (JsonNode c : all.get("dim0")) assertTrue(c.asInt() >= 0 && c.asInt() < 100);
    }

    @Test
    void slicesAreRelativeToTheirOrigin() throws Exception {
        JsonNode all = table("/api/v1/array/full/nested/sparse_image");
        JsonNode part = table("/api/v1/array/full/nested/sparse_image?slice=10:20,50:");
        int expected = 0;
        for (int k = 0; k < all.get("data").size(); k++) {
            int i = all.get("dim0").get(k).asInt(), j = all.get("dim1").get(k).asInt();
            if (i >= 10 && i < 20 && j >= 50) expected++;
        }
        assertEquals(expected, part.get("data").size());
        for (JsonNode c : part.get("dim0")) assertTrue(c.asInt() < 10);
        for (JsonNode c : part.get("dim1")) assertTrue(c.asInt() < 50);
        JsonNode row = table("/api/v1/array/full/nested/sparse_image?slice=3");
        assertTrue(row.has("dim0") && !row.has("dim1"), "an integer index drops the dimension");
    }

    @Test
    void theOnlyBlockIsTheWholeArray() throws Exception {
        assertEquals(table("/api/v1/array/full/nested/sparse_image").toString(), table("/api/v1/array/block/nested/sparse_image?block=0,0").toString());
        HttpResponse<byte[]> past = http.get("/api/v1/array/block/nested/sparse_image?block=1,0");
        assertEquals(400, past.statusCode(), "a block past the array's blocks, as Tiled answers it");
        assertTrue(Http.detailOf(past).asText().startsWith("Block index out of range"), Http.detailOf(past).asText());
    }

    @Test
    void csvHasAHeader() throws Exception {
        String csv = new String(http.get("/api/v1/array/full/nested/sparse_image?slice=0:1", "Accept", "text/csv").body());
        assertTrue(csv.startsWith("dim0,dim1,data\n"), csv);
    }
}
