package dev.tiledgateway.formats.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.core.structure.DataType.Builtin;
import dev.tiledgateway.core.structure.DataType.Endianness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Zarr data type names to {@link DataType}: v2 numpy strings and record lists, v3 core type names. */
final class DataTypes {

    private record V3Type(char kind, int itemsize) {}

    private static final Map<String, V3Type> V3 = Map.ofEntries(
            Map.entry("bool", new V3Type('b', 1)),
            Map.entry("int8", new V3Type('i', 1)), Map.entry("int16", new V3Type('i', 2)),
            Map.entry("int32", new V3Type('i', 4)), Map.entry("int64", new V3Type('i', 8)),
            Map.entry("uint8", new V3Type('u', 1)), Map.entry("uint16", new V3Type('u', 2)),
            Map.entry("uint32", new V3Type('u', 4)), Map.entry("uint64", new V3Type('u', 8)),
            Map.entry("float16", new V3Type('f', 2)), Map.entry("float32", new V3Type('f', 4)),
            Map.entry("float64", new V3Type('f', 8)),
            Map.entry("complex64", new V3Type('c', 8)), Map.entry("complex128", new V3Type('c', 16)));

    private DataTypes() {}

    /** A v2 {@code dtype}: a numpy string or a list of {@code [name, dtype]} / {@code [name, dtype, shape]}. */
    static DataType v2(JsonNode dtype) {
        if (dtype.isTextual()) return Builtin.parse(dtype.asText());
        if (!dtype.isArray() || dtype.isEmpty()) throw new IllegalArgumentException("unsupported v2 dtype: " + dtype);
        List<DataType.Field> fields = new ArrayList<>();
        int itemsize = 0;
        for (JsonNode f : dtype) {
            if (!f.isArray() || f.size() < 2 || f.size() > 3 || !f.get(0).isTextual())
                throw new IllegalArgumentException("unsupported v2 record field: " + f);
            List<Integer> shape = null;
            if (f.size() == 3) {
                shape = new ArrayList<>();
                for (JsonNode s : f.get(2)) {
                    if (!s.canConvertToInt() || s.asInt() < 0) throw new IllegalArgumentException("bad field shape: " + f);
                    shape.add(s.asInt());
                }
                shape = List.copyOf(shape);
            }
            DataType.Field field = new DataType.Field(f.get(0).asText(), v2(f.get(1)), shape);
            fields.add(field);
            itemsize = Math.addExact(itemsize, field.size());
        }
        if (itemsize == 0) throw new IllegalArgumentException("record dtype of zero size: " + dtype);
        return new DataType.Struct(itemsize, fields);
    }

    /** The v2 JSON form of a data type (inverse of {@link #v2(JsonNode)}). */
    static JsonNode toV2(DataType dt) {
        if (dt instanceof Builtin b) return TextNode.valueOf(b.numpyString());
        DataType.Struct s = (DataType.Struct) dt;
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        int sum = 0;
        for (DataType.Field f : s.fields()) {
            ArrayNode entry = out.addArray().add(f.name());
            entry.add(toV2(f.dtype()));
            if (f.shape() != null) f.shape().forEach(entry.addArray()::add);
            sum += f.size();
        }
        if (sum != s.itemsize()) throw new IllegalArgumentException("record itemsize " + s.itemsize() + " is not the sum of its fields (" + sum + "): Zarr v2 records are packed");
        return out;
    }

    /** A v3 core data type, stored with the given byte order (ignored for 1-byte types). */
    static Builtin v3(String name, Endianness stored) {
        V3Type t = V3.get(name);
        if (t == null) throw new IllegalArgumentException("unsupported Zarr v3 data_type '" + name + "'");
        if (t.itemsize() == 1) return new Builtin(Endianness.NOT_APPLICABLE, t.kind(), 1, null);
        if (stored == null || stored == Endianness.NOT_APPLICABLE)
            throw new IllegalArgumentException("data_type " + name + " needs a bytes codec with an endian");
        return new Builtin(stored, t.kind(), t.itemsize(), null);
    }

    static int v3Itemsize(String name) {
        V3Type t = V3.get(name);
        if (t == null) throw new IllegalArgumentException("unsupported Zarr v3 data_type '" + name + "'");
        return t.itemsize();
    }
}
