package dev.tiledgateway.core.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The catalogs' stored JSON of specs, data sources and sort keys is what Jackson's data binding wrote before (rows
 * and items written then are read by {@link CatalogJson} now, and SQLite groups specs by their text), and what it
 * reads back is what data binding read.
 */
class CatalogJsonTest {

    private static final ObjectMapper BINDING = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static final List<Spec> SPECS = List.of(new Spec("xarray_dataset", null), new Spec("custom", "1.0"));
    private static final List<DataSource> SOURCES = List.of(
            new DataSource("application/x-zarr", List.of(new Asset("data/a.zarr", true, "data_uri"))),
            new DataSource("text/csv", List.of(new Asset("t.csv", false, null), new Asset("u.csv", false, "data_uris")), "etag-1"),
            DataSource.writable("application/x-parquet", List.of(new Asset("w/p.parquet", false, "data_uris"))),
            new DataSource("image/tiff", List.of()));
    private static final List<SortKey> SORTING = List.of(new SortKey("", 1), new SortKey("metadata.color", -1), new SortKey("id", 1));

    @Test
    void writesWhatDataBindingWrote() throws IOException {
        assertEquals(BINDING.writeValueAsString(SPECS), Json.text(CatalogJson.specs(SPECS)));
        for (DataSource d : SOURCES) assertEquals(BINDING.writeValueAsString(d), Json.text(CatalogJson.dataSource(d)));
        assertEquals(BINDING.writeValueAsString(SORTING), Json.text(CatalogJson.sorting(SORTING)));
        List<String> strings = List.of("read:metadata", "é", "");
        assertEquals(BINDING.writeValueAsString(strings), Json.text(CatalogJson.strings(strings)));
    }

    @Test
    void readsWhatDataBindingWroteAndReads() throws IOException {
        assertEquals(SPECS, CatalogJson.readSpecs(Json.parse(BINDING.writeValueAsString(SPECS))));
        for (DataSource d : SOURCES) {
            String text = BINDING.writeValueAsString(d);
            assertEquals(d, CatalogJson.readDataSource(Json.parse(text)));
            assertEquals(BINDING.readValue(text, DataSource.class), CatalogJson.readDataSource(Json.parse(text)));
        }
        assertEquals(SORTING, CatalogJson.readSorting(Json.parse(BINDING.writeValueAsString(SORTING))));
        // members left out, and members not known, as data binding read them
        String lean = "[{\"name\":\"a\"},{\"name\":\"b\",\"version\":\"2\",\"extra\":[1]}]";
        assertEquals(BINDING.readValue(lean, new TypeReference<List<Spec>>() {}), CatalogJson.readSpecs(Json.parse(lean)));
        String asset = "{\"mimetype\":\"text/csv\",\"assets\":[{\"key\":\"k\"}],\"other\":1}";
        assertEquals(BINDING.readValue(asset, DataSource.class), CatalogJson.readDataSource(Json.parse(asset)));
    }

    @Test
    void refusesWhatIsNotOurs() throws IOException {
        for (String bad : List.of("{}", "[{\"version\":\"1\"}]", "[{\"name\":5}]", "[1]"))
            assertThrows(IllegalArgumentException.class, () -> CatalogJson.readSpecs(Json.parse(bad)), bad);
        for (String bad : List.of("[]", "{\"mimetype\":\"x\"}", "{\"mimetype\":\"x\",\"assets\":[{\"key\":\"k\",\"directory\":\"yes\"}]}",
                "{\"mimetype\":\"x\",\"assets\":[],\"management\":\"other\"}"))
            assertThrows(IllegalArgumentException.class, () -> CatalogJson.readDataSource(Json.parse(bad)), bad);
        for (String bad : List.of("[{\"key\":\"a\",\"direction\":2}]", "[{\"key\":\"a\",\"direction\":1.5}]", "[{\"key\":\"a\"}]"))
            assertThrows(IllegalArgumentException.class, () -> CatalogJson.readSorting(Json.parse(bad)), bad);
        // a member missing from a stored document
        assertThrows(IllegalArgumentException.class, () -> CatalogJson.readSpecs(null));
        assertThrows(IllegalArgumentException.class, () -> CatalogJson.readSorting(null));
        assertThrows(IllegalArgumentException.class, () -> CatalogJson.readStrings(null));
        JsonNode mixed = Json.parse("[\"a\", 1]");
        assertThrows(IllegalArgumentException.class, () -> CatalogJson.readStrings(mixed));
    }
}
