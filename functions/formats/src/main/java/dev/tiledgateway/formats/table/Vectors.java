package dev.tiledgateway.formats.table;

import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.DurationVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeSecVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;

/** Typed element access on Arrow vectors, by vector class, so builders and serializers need no per-type code. */
final class Vectors {

    private Vectors() {}

    /** Whether the vector stores an integer-like value (ints, booleans, dates, times, timestamps, durations, decimals). */
    static boolean holdsLong(FieldVector v) {
        return !(v instanceof Float2Vector || v instanceof Float4Vector || v instanceof Float8Vector
                || v instanceof BaseVariableWidthVector || v instanceof BaseLargeVariableWidthVector || v instanceof FixedSizeBinaryVector);
    }

    static void setLong(FieldVector v, int i, long x) {
        switch (v) {
            case TinyIntVector t -> t.setSafe(i, (byte) x);
            case SmallIntVector t -> t.setSafe(i, (short) x);
            case IntVector t -> t.setSafe(i, (int) x);
            case BigIntVector t -> t.setSafe(i, x);
            case UInt1Vector t -> t.setSafe(i, (byte) x);
            case UInt2Vector t -> t.setSafe(i, (char) x);
            case UInt4Vector t -> t.setSafe(i, (int) x);
            case UInt8Vector t -> t.setSafe(i, x);
            case BitVector t -> t.setSafe(i, x != 0 ? 1 : 0);
            case TimeStampVector t -> t.setSafe(i, x);
            case DateDayVector t -> t.setSafe(i, (int) x);
            case DateMilliVector t -> t.setSafe(i, x);
            case TimeSecVector t -> t.setSafe(i, (int) x);
            case TimeMilliVector t -> t.setSafe(i, (int) x);
            case TimeMicroVector t -> t.setSafe(i, x);
            case TimeNanoVector t -> t.setSafe(i, x);
            case DurationVector t -> t.setSafe(i, x);
            case DecimalVector t -> t.setSafe(i, x);
            default -> throw new IllegalArgumentException("not an integer-like vector: " + v.getField());
        }
    }

    /** The stored integer; unsigned types are zero-extended (UInt8 keeps its raw 64 bits). */
    static long getLong(FieldVector v, int i) {
        return switch (v) {
            case TinyIntVector t -> t.get(i);
            case SmallIntVector t -> t.get(i);
            case IntVector t -> t.get(i);
            case BigIntVector t -> t.get(i);
            case UInt1Vector t -> t.get(i) & 0xffL;
            case UInt2Vector t -> t.get(i);
            case UInt4Vector t -> t.get(i) & 0xffffffffL;
            case UInt8Vector t -> t.get(i);
            case BitVector t -> t.get(i);
            case TimeStampVector t -> t.get(i);
            case DateDayVector t -> t.get(i);
            case DateMilliVector t -> t.get(i);
            case TimeSecVector t -> t.get(i);
            case TimeMilliVector t -> t.get(i);
            case TimeMicroVector t -> t.get(i);
            case TimeNanoVector t -> t.get(i);
            case DurationVector t -> DurationVector.get(t.getDataBuffer(), i);
            default -> throw new IllegalArgumentException("not an integer-like vector: " + v.getField());
        };
    }

    static void setDouble(FieldVector v, int i, double x) {
        switch (v) {
            case Float2Vector t -> t.setSafe(i, Float.floatToFloat16((float) x));
            case Float4Vector t -> t.setSafe(i, (float) x);
            case Float8Vector t -> t.setSafe(i, x);
            default -> throw new IllegalArgumentException("not a floating-point vector: " + v.getField());
        }
    }

    static double getDouble(FieldVector v, int i) {
        return switch (v) {
            case Float2Vector t -> Float.float16ToFloat(t.get(i));
            case Float4Vector t -> t.get(i);
            case Float8Vector t -> t.get(i);
            default -> throw new IllegalArgumentException("not a floating-point vector: " + v.getField());
        };
    }

    static void setBytes(FieldVector v, int i, byte[] b) {
        switch (v) {
            case BaseVariableWidthVector t -> t.setSafe(i, b);
            case BaseLargeVariableWidthVector t -> t.setSafe(i, b);
            case FixedSizeBinaryVector t -> t.setSafe(i, b);
            case DecimalVector t -> t.setBigEndianSafe(i, b);
            default -> throw new IllegalArgumentException("not a binary vector: " + v.getField());
        }
    }

    static byte[] getBytes(FieldVector v, int i) {
        return switch (v) {
            case BaseVariableWidthVector t -> t.get(i);
            case BaseLargeVariableWidthVector t -> t.get(i);
            case FixedSizeBinaryVector t -> t.get(i);
            default -> throw new IllegalArgumentException("not a binary vector: " + v.getField());
        };
    }
}
