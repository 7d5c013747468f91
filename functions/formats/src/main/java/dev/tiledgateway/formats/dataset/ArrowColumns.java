package dev.tiledgateway.formats.dataset;

import dev.tiledgateway.core.array.ArrayPayload;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.structure.DataType;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DurationVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One numpy array (its elements placed on rows by a mapping, e.g. broadcast over a dataset's dimensions) as an Arrow column, the way {@code pyarrow.Table.from_pandas}
 * converts a DataFrame column: bool, (u)int8–64 and float16–64 keep their width, {@code datetime64}/{@code timedelta64}
 * become timestamp/duration in the same unit (units coarser than seconds are converted to seconds), fixed-width
 * {@code U}/{@code S} become utf8/binary with numpy's trailing NULs stripped. NaN and NaT become nulls, as from_pandas
 * makes them. Complex, void and record dtypes have no Arrow form here: 406.
 */
final class ArrowColumns {

    private static final Pattern UNITS = Pattern.compile("\\[(\\d*)(W|D|h|m|s|ms|us|μs|ns)]");

    /** How a numpy dtype is stored: the Arrow type, the factor to its unit (time kinds), and the pandas metadata names. */
    record Column(ArrowType type, long factor, String pandasType, String numpyType) {}

    private ArrowColumns() {}

    static Column column(String name, DataType dtype) {
        if (!(dtype instanceof DataType.Builtin d)) throw unsupported(name, "a record dtype");
        int size = d.itemsize();
        return switch (d.kind()) {
            case 'b' -> new Column(ArrowType.Bool.INSTANCE, 1, "bool", "bool");
            case 'i', 'u' -> {
                if (size != 1 && size != 2 && size != 4 && size != 8) throw unsupported(name, d.numpyString());
                String np = (d.kind() == 'i' ? "int" : "uint") + size * 8;
                yield new Column(new ArrowType.Int(size * 8, d.kind() == 'i'), 1, np, np);
            }
            case 'f' -> {
                FloatingPointPrecision p = switch (size) {
                    case 2 -> FloatingPointPrecision.HALF;
                    case 4 -> FloatingPointPrecision.SINGLE;
                    case 8 -> FloatingPointPrecision.DOUBLE;
                    default -> throw unsupported(name, d.numpyString());
                };
                yield new Column(new ArrowType.FloatingPoint(p), 1, "float" + size * 8, "float" + size * 8);
            }
            case 'M', 'm' -> {
                if (size != 8) throw unsupported(name, d.numpyString());
                Matcher m = UNITS.matcher(d.dtUnits());
                if (!m.matches()) throw unsupported(name, d.numpyString() + " (Arrow has no such time unit)");
                long multiple = m.group(1).isEmpty() ? 1 : Long.parseLong(m.group(1));
                String unit = m.group(2).equals("μs") ? "us" : m.group(2);
                long toSeconds = switch (unit) { case "W" -> 604_800; case "D" -> 86_400; case "h" -> 3_600; case "m" -> 60; default -> 1; };
                TimeUnit tu = switch (unit) {
                    case "ms" -> TimeUnit.MILLISECOND;
                    case "us" -> TimeUnit.MICROSECOND;
                    case "ns" -> TimeUnit.NANOSECOND;
                    default -> TimeUnit.SECOND;
                };
                String stored = switch (tu) { case SECOND -> "s"; case MILLISECOND -> "ms"; case MICROSECOND -> "us"; case NANOSECOND -> "ns"; };
                yield d.kind() == 'M'
                        ? new Column(new ArrowType.Timestamp(tu, null), multiple * toSeconds, "datetime", "datetime64[" + stored + "]")
                        : new Column(new ArrowType.Duration(tu), multiple * toSeconds, "object", "timedelta64[" + stored + "]");
            }
            case 'U' -> new Column(ArrowType.Utf8.INSTANCE, 1, "unicode", "object");
            case 'S' -> new Column(ArrowType.Binary.INSTANCE, 1, "bytes", "object");
            default -> throw unsupported(name, d.numpyString());
        };
    }

    /** The column named {@code name} with {@code rows} rows, row {@code i} holding {@code data}'s element {@code elementOfRow(i)}. */
    static FieldVector vector(String name, ArrayPayload data, int rows, IntUnaryOperator elementOfRow, BufferAllocator allocator) {
        Column c = column(name, data.dataType());
        DataType.Builtin d = (DataType.Builtin) data.dataType();
        int size = d.itemsize();
        if ((long) data.bytes().length < data.count() * size)
            throw new IllegalArgumentException("variable " + name + " holds fewer bytes than its shape needs");
        ByteBuffer b = ByteBuffer.wrap(data.bytes()).order(d.endianness() == DataType.Endianness.BIG ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        FieldVector v = new Field(name, FieldType.nullable(c.type()), null).createVector(allocator);
        try {
            v.setInitialCapacity(rows);
            v.allocateNew();
            for (int i = 0; i < rows; i++) set(v, i, b, elementOfRow.applyAsInt(i) * size, d, c.factor());
            v.setValueCount(rows);
            return v;
        } catch (RuntimeException e) {
            v.close();
            throw e;
        }
    }

    /** An int64 column of positions (0..n-1 along one dimension): a pandas RangeIndex that {@code from_pandas(preserve_index=True)} writes out. */
    static FieldVector range(String name, int rows, IntUnaryOperator positionOfRow, BufferAllocator allocator) {
        BigIntVector v = new BigIntVector(name, allocator);
        v.allocateNew(rows);
        for (int i = 0; i < rows; i++) v.set(i, positionOfRow.applyAsInt(i));
        v.setValueCount(rows);
        return v;
    }

    private static void set(FieldVector v, int i, ByteBuffer b, int off, DataType.Builtin d, long factor) {
        switch (v) {
            case BitVector t -> t.set(i, b.get(off) != 0 ? 1 : 0);
            case TinyIntVector t -> t.set(i, b.get(off));
            case SmallIntVector t -> t.set(i, b.getShort(off));
            case IntVector t -> t.set(i, b.getInt(off));
            case BigIntVector t -> t.set(i, b.getLong(off));
            case UInt1Vector t -> t.set(i, b.get(off));
            case UInt2Vector t -> t.set(i, b.getChar(off));
            case UInt4Vector t -> t.set(i, b.getInt(off));
            case UInt8Vector t -> t.set(i, b.getLong(off));
            case Float2Vector t -> {
                short h = b.getShort(off);
                if (!Float.isNaN(Float.float16ToFloat(h))) t.set(i, h);
            }
            case Float4Vector t -> {
                float x = b.getFloat(off);
                if (!Float.isNaN(x)) t.set(i, x);
            }
            case Float8Vector t -> {
                double x = b.getDouble(off);
                if (!Double.isNaN(x)) t.set(i, x);
            }
            case TimeStampVector t -> {
                long x = b.getLong(off);
                if (x != Long.MIN_VALUE) t.set(i, scaled(x, factor, v));
            }
            case DurationVector t -> {
                long x = b.getLong(off);
                if (x != Long.MIN_VALUE) t.set(i, scaled(x, factor, v));
            }
            case VarCharVector t -> t.setSafe(i, utf32(b, off, d.itemsize()).getBytes(StandardCharsets.UTF_8));
            case VarBinaryVector t -> t.setSafe(i, Arrays.copyOfRange(b.array(), off, stripNuls(b.array(), off, d.itemsize())));
            default -> throw new IllegalStateException("no writer for " + v.getField());
        }
    }

    private static long scaled(long x, long factor, FieldVector v) {
        try {
            return Math.multiplyExact(x, factor);
        } catch (ArithmeticException e) {
            throw TiledException.notAcceptable("Variable " + v.getName() + " has a time value beyond Arrow's range in seconds");
        }
    }

    /** numpy's str of a {@code U} element: UTF-32 code points, trailing NULs dropped. */
    private static String utf32(ByteBuffer b, int off, int size) {
        int n = size / 4;
        while (n > 0 && b.getInt(off + (n - 1) * 4) == 0) n--;
        StringBuilder sb = new StringBuilder(n);
        for (int k = 0; k < n; k++) sb.appendCodePoint(b.getInt(off + k * 4));
        return sb.toString();
    }

    private static int stripNuls(byte[] a, int off, int size) {
        int end = off + size;
        while (end > off && a[end - 1] == 0) end--;
        return end;
    }

    private static TiledException unsupported(String name, String dtype) {
        return TiledException.notAcceptable("Variable " + name + " of dtype " + dtype + " cannot be written as a table column");
    }
}
