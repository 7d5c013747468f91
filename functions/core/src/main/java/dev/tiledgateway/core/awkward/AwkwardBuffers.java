package dev.tiledgateway.core.awkward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.core.structure.StructureJson;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Awkward and ragged data as clients upload it (spec §6.3, §6.4): zipped buffers checked against a form and a length
 * before anything is stored, packed (offsets from 0, no unreachable content) so they read back as the readers expect,
 * and the few operations ragged writes need: an empty array of a length, and the rows of two arrays one after the other.
 */
public final class AwkwardBuffers {

    /** The most bytes the entries of one uploaded zip may unpack to (the client stores them uncompressed). */
    public static final long MAX_UNZIPPED = 4L * 4_500_000;
    private static final int MAX_ENTRIES = 10_000;

    private AwkwardBuffers() {}

    /** The entries of a zip body; 422 when it is not a zip, 413 when it unpacks to more than {@link #MAX_UNZIPPED}. */
    public static Map<String, byte[]> unzip(byte[] body) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        long total = 0;
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(body))) {
            ZipEntry e;
            byte[] buf = new byte[8192];
            while ((e = z.getNextEntry()) != null) {
                if (out.size() >= MAX_ENTRIES) throw TiledException.unprocessable("The zip holds more than " + MAX_ENTRIES + " entries");
                ByteArrayOutputStream entry = new ByteArrayOutputStream();
                for (int n; (n = z.read(buf)) > 0; ) {
                    total += n;
                    if (total > MAX_UNZIPPED) throw TiledException.tooLarge("The zip unpacks to more than " + MAX_UNZIPPED + " bytes; write less at once");
                    entry.write(buf, 0, n);
                }
                out.put(e.getName(), entry.toByteArray());
            }
        } catch (IOException | IllegalArgumentException e) {
            throw TiledException.unprocessable("The body is not a readable zip of buffers: " + e.getMessage());
        }
        if (out.isEmpty() && !(body.length >= 4 && body[0] == 'P' && body[1] == 'K'))
            throw TiledException.unprocessable("The body is not a zip of buffers (application/zip, one entry per buffer)");
        return out;
    }

    /** Parses a form; 422 naming what the gateway cannot store. */
    public static Form form(JsonNode json) {
        try {
            Form f = Form.parse(json);
            check(f);
            return f;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw TiledException.unprocessable("The awkward form cannot be stored: " + e.getMessage()
                    + " (the gateway stores NumpyArray, ListOffsetArray, RegularArray and RecordArray layouts)");
        }
    }

    private static void check(Form f) {
        if (f.formKey() == null && !(f instanceof Form.Regular)) throw new IllegalArgumentException("a form node without form_key");
        switch (f) {
            case Form.Numpy n -> Form.primitiveSize(n.primitive());
            case Form.ListOffset l -> {
                Form.offsetSize(l.offsets());
                check(l.content());
            }
            case Form.Regular r -> {
                if (r.size() < 0) throw new IllegalArgumentException("a RegularArray of negative size");
                check(r.content());
            }
            case Form.Record r -> {
                if (r.fields().size() != r.contents().size()) throw new IllegalArgumentException("a RecordArray whose fields and contents differ in number");
                r.contents().forEach(AwkwardBuffers::check);
            }
        }
    }

    /**
     * The array of {@code length} that {@code buffers} hold for {@code form}, packed; 422 when a buffer is missing,
     * too short, or its offsets decrease or point past the content.
     */
    public static AwkwardArray checked(Form form, long length, Map<String, byte[]> buffers) {
        if (length < 0) throw TiledException.unprocessable("A negative length: " + length);
        Map<String, byte[]> out = new LinkedHashMap<>();
        try {
            pack(form, 0, length, buffers, out);
        } catch (ArithmeticException e) {
            throw TiledException.unprocessable("The buffers describe an array too large to store");
        }
        return new AwkwardArray(form, length, out);
    }

    private static byte[] buffer(Map<String, byte[]> in, String key) {
        byte[] b = in.get(key);
        if (b == null) throw TiledException.unprocessable("The buffer '" + key + "' that the form needs is missing (sent: " + in.keySet() + ")");
        return b;
    }

    private static void pack(Form f, long start, long stop, Map<String, byte[]> in, Map<String, byte[]> out) {
        switch (f) {
            case Form.Numpy n -> {
                long size = Form.primitiveSize(n.primitive());
                for (int d : n.innerShape()) size = Math.multiplyExact(size, (long) d);
                byte[] data = buffer(in, n.formKey() + "-data");
                long from = Math.multiplyExact(start, size), to = Math.multiplyExact(stop, size);
                if (to > data.length)
                    throw TiledException.unprocessable("The buffer '" + n.formKey() + "-data' has " + data.length + " bytes; " + (stop - start) + " elements of "
                            + size + " bytes need " + (to - from) + (from > 0 ? " from byte " + from : ""));
                out.put(n.formKey() + "-data", java.util.Arrays.copyOfRange(data, Math.toIntExact(from), Math.toIntExact(to)));
            }
            case Form.ListOffset l -> {
                int size = Form.offsetSize(l.offsets());
                byte[] raw = buffer(in, l.formKey() + "-offsets");
                if (Math.multiplyExact(stop + 1, (long) size) > raw.length)
                    throw TiledException.unprocessable("The buffer '" + l.formKey() + "-offsets' has " + raw.length / size + " offsets; a length of "
                            + (stop - start) + " needs " + (stop - start + 1));
                ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
                ByteBuffer o = ByteBuffer.allocate(Math.toIntExact((stop - start + 1) * size)).order(ByteOrder.LITTLE_ENDIAN);
                long base = offset(b, l.offsets(), start), previous = base;
                if (base < 0) throw TiledException.unprocessable("The buffer '" + l.formKey() + "-offsets' holds a negative offset");
                for (long i = start; i <= stop; i++) {
                    long v = offset(b, l.offsets(), i);
                    if (v < previous) throw TiledException.unprocessable("The offsets in '" + l.formKey() + "-offsets' decrease at " + i);
                    previous = v;
                    if (size == 8) o.putLong(v - base);
                    else o.putInt((int) (v - base));
                }
                out.put(l.formKey() + "-offsets", o.array());
                pack(l.content(), base, previous, in, out);
            }
            case Form.Regular r -> pack(r.content(), Math.multiplyExact(start, (long) r.size()), Math.multiplyExact(stop, (long) r.size()), in, out);
            case Form.Record r -> r.contents().forEach(c -> pack(c, start, stop, in, out));
        }
    }

    private static long offset(ByteBuffer b, String type, long i) {
        return switch (type) {
            case "i64" -> b.getLong(Math.toIntExact(i * 8));
            case "u32" -> b.getInt(Math.toIntExact(i * 4)) & 0xffffffffL;
            default -> b.getInt(Math.toIntExact(i * 4));
        };
    }

    /** An array of {@code length} rows holding nothing: empty lists, zeros where a row has a fixed size. */
    public static AwkwardArray empty(Form form, long length) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try {
            fillEmpty(form, length, out);
        } catch (ArithmeticException e) {
            throw TiledException.unprocessable("An array of length " + length + " of this form is too large to store");
        }
        return new AwkwardArray(form, length, out);
    }

    private static void fillEmpty(Form f, long length, Map<String, byte[]> out) {
        switch (f) {
            case Form.Numpy n -> {
                long size = Form.primitiveSize(n.primitive());
                for (int d : n.innerShape()) size = Math.multiplyExact(size, (long) d);
                out.put(n.formKey() + "-data", new byte[Math.toIntExact(Math.multiplyExact(size, length))]);
            }
            case Form.ListOffset l -> {
                out.put(l.formKey() + "-offsets", new byte[Math.toIntExact(Math.multiplyExact(length + 1, (long) Form.offsetSize(l.offsets())))]);
                fillEmpty(l.content(), 0, out);
            }
            case Form.Regular r -> fillEmpty(r.content(), Math.multiplyExact(length, (long) r.size()), out);
            case Form.Record r -> r.contents().forEach(c -> fillEmpty(c, length, out));
        }
    }

    /** The rows of {@code a} then those of {@code b}, both packed arrays of the same form with int64 offsets. */
    public static AwkwardArray concat(AwkwardArray a, AwkwardArray b) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        join(a.form(), a.buffers(), b.buffers(), out);
        return new AwkwardArray(a.form(), a.length() + b.length(), out);
    }

    private static void join(Form f, Map<String, byte[]> a, Map<String, byte[]> b, Map<String, byte[]> out) {
        switch (f) {
            case Form.Numpy n -> out.put(n.formKey() + "-data", cat(a.get(n.formKey() + "-data"), b.get(n.formKey() + "-data")));
            case Form.ListOffset l -> {
                if (!l.offsets().equals("i64")) throw TiledException.unprocessable("Only arrays with int64 offsets can be extended");
                String key = l.formKey() + "-offsets";
                ByteBuffer x = ByteBuffer.wrap(a.get(key)).order(ByteOrder.LITTLE_ENDIAN), y = ByteBuffer.wrap(b.get(key)).order(ByteOrder.LITTLE_ENDIAN);
                int nx = x.capacity() / 8, ny = y.capacity() / 8;
                long shift = x.getLong((nx - 1) * 8);
                ByteBuffer o = ByteBuffer.allocate((nx + ny - 1) * 8).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < nx; i++) o.putLong(x.getLong(i * 8));
                for (int i = 1; i < ny; i++) o.putLong(y.getLong(i * 8) + shift);
                out.put(key, o.array());
                join(l.content(), a, b, out);
            }
            case Form.Regular r -> join(r.content(), a, b, out);
            case Form.Record r -> r.contents().forEach(c -> join(c, a, b, out));
        }
    }

    private static byte[] cat(byte[] x, byte[] y) {
        byte[] o = java.util.Arrays.copyOf(x, Math.addExact(x.length, y.length));
        System.arraycopy(y, 0, o, x.length, y.length);
        return o;
    }

    /** The bytes of all buffers. */
    public static long bytes(AwkwardArray a) {
        long n = 0;
        for (byte[] b : a.buffers().values()) n += b.length;
        return n;
    }

    /** The number of scalar elements of a packed array (what a ragged structure calls its size). */
    public static long elements(AwkwardArray a) {
        Form f = a.form();
        while (true) {
            switch (f) {
                case Form.Numpy n -> {
                    long per = Form.primitiveSize(n.primitive());
                    return a.buffers().get(n.formKey() + "-data").length / per;
                }
                case Form.ListOffset l -> f = l.content();
                case Form.Regular r -> f = r.content();
                case Form.Record r -> {
                    return a.length();
                }
            }
        }
    }

    /**
     * The canonical form of a ragged structure (spec §6.4): a ListOffsetArray (int64 offsets) for each variable
     * dimension, a RegularArray for a fixed one above a variable one, and a NumpyArray whose inner_shape takes the
     * trailing fixed dimensions; form keys node0, node1, ... from the outside in. 422 when the structure has none.
     */
    public static JsonNode raggedForm(JsonNode structure) {
        JsonNode shape = structure.get("shape");
        DataType type;
        try {
            type = StructureJson.dataType(structure.get("data_type"));
        } catch (RuntimeException e) {
            throw TiledException.unprocessable("The ragged structure's data_type is not one the gateway can store");
        }
        if (!(type instanceof DataType.Builtin b) || (b.itemsize() > 1 && b.endianness() == DataType.Endianness.BIG))
            throw TiledException.unprocessable("Ragged arrays are stored as little-endian numbers; " + structure.get("data_type") + " cannot be");
        String primitive = primitive(b);
        ArrayNode inner = Json.array();
        ObjectNode form = null;
        int ndim = shape.size();
        for (int d = ndim - 1; d >= 1; d--) {
            JsonNode n = shape.get(d);
            if (n.isNull()) {
                if (form == null) form = numpy(primitive, inner, "node" + d);
                ObjectNode l = Json.object();
                l.put("class", "ListOffsetArray");
                l.put("offsets", "i64");
                l.set("content", form);
                l.set("parameters", Json.object());
                l.put("form_key", "node" + (d - 1));
                form = l;
            } else if (form != null) {
                ObjectNode r = Json.object();
                r.put("class", "RegularArray");
                r.put("size", n.asInt());
                r.set("content", form);
                r.set("parameters", Json.object());
                r.put("form_key", "node" + (d - 1));
                form = r;
            } else {
                inner.insert(0, n.asInt());
            }
        }
        return form != null ? form : numpy(primitive, inner, "node0");
    }

    private static ObjectNode numpy(String primitive, ArrayNode inner, String key) {
        ObjectNode n = Json.object();
        n.put("class", "NumpyArray");
        n.put("primitive", primitive);
        n.set("inner_shape", inner.deepCopy());
        n.set("parameters", Json.object());
        n.put("form_key", key);
        return n;
    }

    private static String primitive(DataType.Builtin b) {
        int bits = b.itemsize() * 8;
        return switch (b.kind()) {
            case 'b' -> "bool";
            case 'i' -> "int" + bits;
            case 'u' -> "uint" + bits;
            case 'f' -> "float" + bits;
            case 'c' -> "complex" + bits;
            case 'M' -> "datetime64" + (b.dtUnits() == null ? "" : b.dtUnits());
            case 'm' -> "timedelta64" + (b.dtUnits() == null ? "" : b.dtUnits());
            default -> throw TiledException.unprocessable("Ragged arrays of " + b + " cannot be stored; numbers, booleans and datetimes can");
        };
    }

    /** Whether two forms have the same layout (classes, types, sizes, keys), whatever their parameters. */
    public static boolean sameLayout(Form a, Form b) {
        if (!java.util.Objects.equals(a.formKey(), b.formKey()) && !(a instanceof Form.Regular)) return false;
        return switch (a) {
            case Form.Numpy x -> b instanceof Form.Numpy y && x.primitive().equals(y.primitive()) && x.innerShape().equals(y.innerShape());
            case Form.ListOffset x -> b instanceof Form.ListOffset y && x.offsets().equals(y.offsets()) && sameLayout(x.content(), y.content());
            case Form.Regular x -> b instanceof Form.Regular y && x.size() == y.size() && sameLayout(x.content(), y.content());
            case Form.Record x -> {
                if (!(b instanceof Form.Record y) || !x.fields().equals(y.fields())) yield false;
                for (int i = 0; i < x.contents().size(); i++) if (!sameLayout(x.contents().get(i), y.contents().get(i))) yield false;
                yield true;
            }
        };
    }
}
