package dev.tiledgateway.core.awkward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.error.TiledException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An awkward array held as its form, length and named little-endian buffers ({@code <form_key>-<role>}):
 * what awkward and ragged nodes store and send. Renders itself as JSON and selects outer rows.
 */
public record AwkwardArray(Form form, long length, Map<String, byte[]> buffers) {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    public AwkwardArray {
        buffers = Map.copyOf(buffers);
    }

    public static AwkwardArray of(JsonNode form, long length, Map<String, byte[]> buffers) {
        return new AwkwardArray(Form.parse(form), length, buffers);
    }

    private ByteBuffer buffer(Form f, String role) {
        byte[] b = buffers.get(f.formKey() + "-" + role);
        if (b == null) throw TiledException.unprocessable("Stored awkward data lacks buffer '" + f.formKey() + "-" + role + "'");
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private long offset(Form.ListOffset f, long i) {
        ByteBuffer b = buffer(f, "offsets");
        int size = Form.offsetSize(f.offsets());
        if ((i + 1) * size > b.capacity()) throw TiledException.unprocessable("Stored awkward offsets of '" + f.formKey() + "' are too short");
        return size == 8 ? b.getLong((int) (i * 8)) : (f.offsets().equals("u32") ? b.getInt((int) (i * 4)) & 0xffffffffL : b.getInt((int) (i * 4)));
    }

    /** The whole array as nested JSON values (records as objects, lists as arrays). */
    public ArrayNode toJson() {
        ArrayNode out = F.arrayNode();
        for (long i = 0; i < length; i++) out.add(element(form, i));
        return out;
    }

    /** Row {@code i} of the outermost dimension as JSON. */
    public JsonNode row(long i) {
        if (i < 0 || i >= length) throw TiledException.badRequest("Index " + i + " is out of bounds for length " + length);
        return element(form, i);
    }

    private JsonNode element(Form f, long i) {
        return switch (f) {
            case Form.Numpy n -> numpy(n, i);
            case Form.ListOffset l -> {
                ArrayNode a = F.arrayNode();
                for (long k = offset(l, i); k < offset(l, i + 1); k++) a.add(element(l.content(), k));
                yield a;
            }
            case Form.Regular r -> {
                ArrayNode a = F.arrayNode();
                for (long k = i * r.size(); k < (i + 1) * r.size(); k++) a.add(element(r.content(), k));
                yield a;
            }
            case Form.Record r -> {
                ObjectNode o = F.objectNode();
                for (int k = 0; k < r.fields().size(); k++) o.set(r.fields().get(k), element(r.contents().get(k), i));
                yield o;
            }
        };
    }

    private JsonNode numpy(Form.Numpy n, long i) {
        int size = Form.primitiveSize(n.primitive());
        int inner = 1;
        for (int d : n.innerShape()) inner *= d;
        ByteBuffer b = buffer(n, "data");
        if (inner != 1 || !n.innerShape().isEmpty()) {
            ArrayNode a = F.arrayNode();
            for (int k = 0; k < inner; k++) a.add(scalar(n.primitive(), b, (int) ((i * inner + k) * size)));
            return a;
        }
        if ((i + 1) * size > b.capacity()) throw TiledException.unprocessable("Stored awkward data of '" + n.formKey() + "' is too short");
        return scalar(n.primitive(), b, (int) (i * size));
    }

    private static JsonNode scalar(String p, ByteBuffer b, int at) {
        return switch (p) {
            case "bool" -> F.booleanNode(b.get(at) != 0);
            case "int8" -> F.numberNode(b.get(at));
            case "uint8" -> F.numberNode(b.get(at) & 0xff);
            case "int16" -> F.numberNode(b.getShort(at));
            case "uint16" -> F.numberNode(b.getShort(at) & 0xffff);
            case "int32" -> F.numberNode(b.getInt(at));
            case "uint32" -> F.numberNode(b.getInt(at) & 0xffffffffL);
            case "int64", "uint64" -> F.numberNode(b.getLong(at));
            case "float16" -> F.numberNode(Float.float16ToFloat(b.getShort(at)));
            case "float32" -> F.numberNode(b.getFloat(at));
            case "float64" -> Double.isFinite(b.getDouble(at)) ? F.numberNode(b.getDouble(at)) : F.nullNode();
            default -> F.numberNode(b.getLong(at));
        };
    }

    /**
     * Rows [start, stop) of the outermost dimension as a new array with its own buffers (offsets rebased to 0).
     * Supported where every level is a ListOffsetArray, RegularArray or NumpyArray (ragged arrays); 422 otherwise.
     */
    public AwkwardArray rows(long start, long stop) {
        if (start < 0 || stop > length || start > stop) throw TiledException.badRequest("Rows " + start + ":" + stop + " are out of range for length " + length);
        Map<String, byte[]> out = new LinkedHashMap<>();
        cut(form, start, stop, out);
        return new AwkwardArray(form, stop - start, out);
    }

    /**
     * Row {@code i} with the outermost dimension dropped, as an array of its own (what numpy-style
     * indexing {@code a[i]} gives): the content of a ListOffsetArray or RegularArray row.
     */
    public AwkwardArray element(long i) {
        if (i < 0 || i >= length) throw TiledException.badRequest("Index " + i + " is out of bounds for length " + length);
        Map<String, byte[]> out = new LinkedHashMap<>();
        return switch (form) {
            case Form.ListOffset l -> {
                long start = offset(l, i), stop = offset(l, i + 1);
                cut(l.content(), start, stop, out);
                yield new AwkwardArray(l.content(), stop - start, out);
            }
            case Form.Regular r -> {
                cut(r.content(), i * r.size(), (i + 1) * r.size(), out);
                yield new AwkwardArray(r.content(), r.size(), out);
            }
            default -> throw TiledException.unprocessable("Indexing this awkward layout is not supported; read the whole array");
        };
    }

    private void cut(Form f, long start, long stop, Map<String, byte[]> out) {
        switch (f) {
            case Form.ListOffset l -> {
                long base = offset(l, start), end = offset(l, stop);
                ByteBuffer o = ByteBuffer.allocate((int) ((stop - start + 1) * 8)).order(ByteOrder.LITTLE_ENDIAN);
                for (long i = start; i <= stop; i++) o.putLong(offset(l, i) - base);
                out.put(l.formKey() + "-offsets", o.array());
                if (!l.offsets().equals("i64")) throw TiledException.unprocessable("Only int64 offsets can be sliced");
                cut(l.content(), base, end, out);
            }
            case Form.Regular r -> cut(r.content(), start * r.size(), stop * r.size(), out);
            case Form.Numpy n -> {
                int inner = 1;
                for (int d : n.innerShape()) inner *= d;
                int size = Form.primitiveSize(n.primitive()) * inner;
                byte[] data = buffer(n, "data").array();
                byte[] part = new byte[(int) ((stop - start) * size)];
                System.arraycopy(data, (int) (start * size), part, 0, part.length);
                out.put(n.formKey() + "-data", part);
            }
            case Form.Record r -> throw TiledException.unprocessable("Slicing arrays of records is not supported; read the whole array");
        }
    }
}
