package dev.tiledgateway.formats.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.json.Json;

import java.util.ArrayList;
import java.util.List;

/** The content of a v3 {@code zarr.json} document of an array. */
record V3ArrayMetadata(long[] shape, String dataType, int[] chunkShape, JsonNode chunkKeyEncoding, JsonNode fillValue,
                       JsonNode codecs, JsonNode attributes, List<String> dimensionNames) {

    static V3ArrayMetadata parse(JsonNode n, String where) throws CorruptDataException {
        if (n.path("zarr_format").asInt(-1) != 3) throw new CorruptDataException(where + ": zarr_format is not 3");
        if (!"array".equals(n.path("node_type").asText())) throw new IllegalArgumentException(where + " does not describe an array");
        long[] shape = Shapes.longs(n.path("shape"), "shape", where);
        JsonNode grid = n.path("chunk_grid");
        if (!"regular".equals(grid.path("name").asText()))
            throw new IllegalArgumentException(where + ": unsupported chunk_grid " + grid.path("name") + " (only regular)");
        int[] chunks = Shapes.positiveInts(grid.path("configuration").path("chunk_shape"), "chunk_shape", where);
        if (chunks.length != shape.length) throw new CorruptDataException(where + ": shape and chunk_shape differ in rank");
        if (!n.path("data_type").isTextual())
            throw new IllegalArgumentException(where + ": unsupported data_type " + n.path("data_type"));
        JsonNode st = n.path("storage_transformers");
        if (st.isArray() && !st.isEmpty()) throw new IllegalArgumentException(where + ": storage transformers are not supported: " + st);
        List<String> dims = null;
        JsonNode dn = n.path("dimension_names");
        if (dn.isArray() && dn.size() == shape.length) {
            dims = new ArrayList<>();
            for (JsonNode d : dn) {
                if (!d.isTextual()) {
                    dims = null;
                    break;
                }
                dims.add(d.asText());
            }
        }
        JsonNode attrs = n.path("attributes").isObject() ? n.path("attributes") : Json.object();
        JsonNode keys = n.path("chunk_key_encoding");
        return new V3ArrayMetadata(shape, n.path("data_type").asText(), chunks, keys, n.path("fill_value"), n.path("codecs"),
                attrs, dims == null ? null : List.copyOf(dims));
    }
}
