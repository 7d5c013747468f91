package dev.tiledgateway.formats.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.structure.DataType;

import java.util.ArrayList;
import java.util.List;

/** The content of a v2 {@code .zarray} document. */
record V2ArrayMetadata(long[] shape, int[] chunks, DataType dataType, JsonNode compressor, List<JsonNode> filters,
                       JsonNode fillValue, boolean fortranOrder, String dimensionSeparator) {

    static V2ArrayMetadata parse(JsonNode n, String where) throws CorruptDataException {
        if (n.path("zarr_format").asInt(-1) != 2) throw new CorruptDataException(where + ": zarr_format is not 2");
        long[] shape = Shapes.longs(n.path("shape"), "shape", where);
        int[] chunks = Shapes.positiveInts(n.path("chunks"), "chunks", where);
        if (chunks.length != shape.length) throw new CorruptDataException(where + ": shape and chunks differ in rank");
        if (n.path("dtype").isMissingNode()) throw new CorruptDataException(where + ": no dtype");
        DataType dt = DataTypes.v2(n.path("dtype"));
        String order = n.path("order").asText("C");
        if (!order.equals("C") && !order.equals("F")) throw new CorruptDataException(where + ": order must be C or F, got " + order);
        JsonNode compressor = n.path("compressor");
        List<JsonNode> filters = new ArrayList<>();
        JsonNode f = n.path("filters");
        if (f.isArray()) f.forEach(filters::add);
        else if (!f.isNull() && !f.isMissingNode()) throw new CorruptDataException(where + ": filters must be a list or null");
        String sep = n.path("dimension_separator").asText(".");
        if (n.path("dimension_separator").isNull()) sep = ".";
        return new V2ArrayMetadata(shape, chunks, dt, compressor.isMissingNode() ? null : compressor, List.copyOf(filters),
                n.path("fill_value"), order.equals("F"), sep);
    }
}
