package dev.tiledgateway.core.structure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** Converts structures to and from Tiled's wire JSON (spec §5). */
public final class StructureJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private StructureJson() {}

    public static ObjectNode dataType(DataType t) {
        ObjectNode o = F.objectNode();
        if (t instanceof DataType.Builtin b) {
            o.put("endianness", b.endianness().wire());
            o.put("kind", String.valueOf(b.kind()));
            o.put("itemsize", b.itemsize());
            if (b.dtUnits() == null) o.putNull("dt_units");
            else o.put("dt_units", b.dtUnits());
        } else {
            DataType.Struct s = (DataType.Struct) t;
            o.put("itemsize", s.itemsize());
            ArrayNode fields = o.putArray("fields");
            for (DataType.Field f : s.fields()) {
                ObjectNode fo = fields.addObject();
                fo.put("name", f.name());
                fo.set("dtype", dataType(f.dtype()));
                if (f.shape() == null) fo.putNull("shape");
                else {
                    ArrayNode sh = fo.putArray("shape");
                    f.shape().forEach(sh::add);
                }
            }
        }
        return o;
    }

    public static DataType dataType(JsonNode o) {
        if (o.has("fields")) {
            List<DataType.Field> fields = new ArrayList<>();
            for (JsonNode f : o.get("fields")) {
                List<Integer> shape = null;
                if (f.hasNonNull("shape")) {
                    shape = new ArrayList<>();
                    for (JsonNode d : f.get("shape")) shape.add(d.asInt());
                }
                fields.add(new DataType.Field(f.get("name").asText(), dataType(f.get("dtype")), shape));
            }
            return new DataType.Struct(o.get("itemsize").asInt(), fields);
        }
        String units = o.hasNonNull("dt_units") ? o.get("dt_units").asText() : null;
        return new DataType.Builtin(DataType.Endianness.fromWire(o.get("endianness").asText()),
                o.get("kind").asText().charAt(0), o.get("itemsize").asInt(), units);
    }

    public static ObjectNode array(ArrayStructure s) {
        ObjectNode o = F.objectNode();
        o.set("data_type", dataType(s.dataType()));
        ArrayNode chunks = o.putArray("chunks");
        for (long[] c : s.chunks()) {
            ArrayNode a = chunks.addArray();
            for (long v : c) a.add(v);
        }
        ArrayNode shape = o.putArray("shape");
        for (long v : s.shape()) shape.add(v);
        if (s.dims() == null) o.putNull("dims");
        else {
            ArrayNode dims = o.putArray("dims");
            s.dims().forEach(dims::add);
        }
        o.put("resizable", false);
        return o;
    }

    public static ArrayStructure array(JsonNode o) {
        JsonNode shapeNode = o.get("shape");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = shapeNode.get(i).asLong();
        JsonNode chunksNode = o.get("chunks");
        long[][] chunks = new long[chunksNode.size()][];
        for (int d = 0; d < chunks.length; d++) {
            JsonNode c = chunksNode.get(d);
            chunks[d] = new long[c.size()];
            for (int i = 0; i < c.size(); i++) chunks[d][i] = c.get(i).asLong();
        }
        List<String> dims = null;
        if (o.hasNonNull("dims")) {
            dims = new ArrayList<>();
            for (JsonNode d : o.get("dims")) dims.add(d.asText());
        }
        return new ArrayStructure(dataType(o.get("data_type")), shape, chunks, dims);
    }
}
