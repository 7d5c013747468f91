package dev.tiledgateway.formats.table;

import dev.tiledgateway.core.array.ArrayPayload;
import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.core.structure.DataType.Endianness;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A table column as the array upstream Tiled serves for it ({@code ArrayAdapter.from_array(df[key].values)} on
 * pandas 2): numbers keep their numpy dtype, integers with nulls become float64 with NaN, timestamps become
 * {@code <M8[unit]} (UTC for zoned ones, NaT for null), and everything else (strings, bytes, dates, decimals,
 * booleans with nulls) becomes {@code <U{maxlen}} of Python's {@code str()} of each value, {@code "None"} for null.
 */
final class ColumnArrays {

    private ColumnArrays() {}

    static ArrayPayload toArray(TablePayload payload, String column) {
        ColumnView c = ColumnView.of(payload, column);
        int n = c.size();
        boolean nulls = c.hasNulls();
        ArrowType t = c.type();
        if (t instanceof ArrowType.Int it && !(nulls)) {
            int size = it.getBitWidth() / 8;
            ByteBuffer b = buffer(n * size);
            for (int i = 0; i < n; i++) putInt(b, Vectors.getLong(c.values(), c.row(i)), size);
            return new ArrayPayload(builtin(it.getIsSigned() ? 'i' : 'u', size, null), new long[] {n}, b.array());
        }
        if (t instanceof ArrowType.Int it) {
            ByteBuffer b = buffer(n * 8);
            for (int i = 0; i < n; i++) {
                long v = c.isNull(i) ? 0 : Vectors.getLong(c.values(), c.row(i));
                double d = it.getIsSigned() || it.getBitWidth() < 64 || v >= 0 ? v : Double.parseDouble(Long.toUnsignedString(v));
                b.putDouble(c.isNull(i) ? Double.NaN : d);
            }
            return new ArrayPayload(builtin('f', 8, null), new long[] {n}, b.array());
        }
        if (t instanceof ArrowType.FloatingPoint fp) {
            int size = fp.getPrecision() == FloatingPointPrecision.HALF ? 2 : fp.getPrecision() == FloatingPointPrecision.SINGLE ? 4 : 8;
            ByteBuffer b = buffer(n * size);
            for (int i = 0; i < n; i++) {
                double d = c.isNull(i) ? Double.NaN : Vectors.getDouble(c.values(), c.row(i));
                switch (size) {
                    case 2 -> b.putShort(Float.floatToFloat16((float) d));
                    case 4 -> b.putFloat((float) d);
                    default -> b.putDouble(d);
                }
            }
            return new ArrayPayload(builtin('f', size, null), new long[] {n}, b.array());
        }
        if (t instanceof ArrowType.Bool && !nulls) {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) b[i] = (byte) Vectors.getLong(c.values(), c.row(i));
            return new ArrayPayload(builtin('b', 1, null), new long[] {n}, b);
        }
        if (t instanceof ArrowType.Timestamp || t instanceof ArrowType.Duration) {
            TimeUnit u = t instanceof ArrowType.Timestamp ts ? ts.getUnit() : ((ArrowType.Duration) t).getUnit();
            ByteBuffer b = buffer(n * 8);
            for (int i = 0; i < n; i++) b.putLong(c.isNull(i) ? Long.MIN_VALUE : Vectors.getLong(c.values(), c.row(i)));
            return new ArrayPayload(builtin(t instanceof ArrowType.Timestamp ? 'M' : 'm', 8, "[" + units(u) + "]"), new long[] {n}, b.array());
        }
        return strings(c);
    }

    /** numpy.array([str(x) for x in values]): fixed-width UTF-32, NUL-padded; an empty column is float64 as numpy makes it. */
    private static ArrayPayload strings(ColumnView c) {
        int n = c.size();
        if (n == 0) return new ArrayPayload(builtin('f', 8, null), new long[] {0}, new byte[0]);
        String[] s = new String[n];
        int width = 1;
        for (int i = 0; i < n; i++) {
            s[i] = c.isNull(i) ? "None" : str(c, i);
            width = Math.max(width, s[i].codePointCount(0, s[i].length()));
        }
        ByteBuffer b = buffer(n * width * 4);
        for (int i = 0; i < n; i++) {
            int start = b.position();
            s[i].codePoints().forEach(b::putInt);
            b.position(start + width * 4);
        }
        return new ArrayPayload(builtin('U', width * 4, null), new long[] {n}, b.array());
    }

    /** Python's str() of the value pandas holds for element i. */
    static String str(ColumnView c, int i) {
        FieldVector v = c.values();
        int r = c.row(i);
        return switch (c.type()) {
            case ArrowType.Utf8 u -> new String(Vectors.getBytes(v, r), StandardCharsets.UTF_8);
            case ArrowType.LargeUtf8 u -> new String(Vectors.getBytes(v, r), StandardCharsets.UTF_8);
            case ArrowType.Bool bo -> Vectors.getLong(v, r) != 0 ? "True" : "False";
            case ArrowType.Decimal d -> PyText.decimal(((DecimalVector) v).getObject(r));
            case ArrowType.Date d -> java.time.LocalDate.ofEpochDay(d.getUnit() == DateUnit.DAY
                    ? Vectors.getLong(v, r) : Math.floorDiv(Vectors.getLong(v, r), 86_400_000L)).toString();
            case ArrowType.Time tt -> PyText.time(Vectors.getLong(v, r) * unitNanos(tt.getUnit()));
            case ArrowType.Int it -> it.getIsSigned() || it.getBitWidth() < 64 ? Long.toString(Vectors.getLong(v, r))
                    : PyText.unsigned64(Vectors.getLong(v, r));
            default -> PyText.bytesRepr(Vectors.getBytes(v, r));
        };
    }

    static long unitNanos(TimeUnit u) {
        return switch (u) { case SECOND -> 1_000_000_000L; case MILLISECOND -> 1_000_000L; case MICROSECOND -> 1_000L; case NANOSECOND -> 1L; };
    }

    static String units(TimeUnit u) {
        return switch (u) { case SECOND -> "s"; case MILLISECOND -> "ms"; case MICROSECOND -> "us"; case NANOSECOND -> "ns"; };
    }

    private static DataType.Builtin builtin(char kind, int size, String units) {
        Endianness e = size == 1 || kind == 'b' ? Endianness.NOT_APPLICABLE : Endianness.LITTLE;
        return new DataType.Builtin(e, kind, size, units);
    }

    private static ByteBuffer buffer(int n) { return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN); }

    private static void putInt(ByteBuffer b, long v, int size) {
        switch (size) {
            case 1 -> b.put((byte) v);
            case 2 -> b.putShort((short) v);
            case 4 -> b.putInt((int) v);
            default -> b.putLong(v);
        }
    }
}
