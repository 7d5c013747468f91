package dev.tiledgateway.formats.table;

import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** One Arrow column as Parquet: its physical and logical type (schema element) and its PLAIN-encoded non-null values. */
final class ParquetColumnEncoder {

    static final int BOOLEAN = 0, INT32 = 1, INT64 = 2, FLOAT = 4, DOUBLE = 5, BYTE_ARRAY = 6, FIXED_LEN_BYTE_ARRAY = 7;
    private static final int DECIMAL_BYTES = 16;

    private ParquetColumnEncoder() {}

    static int physical(ArrowType t) {
        return switch (t) {
            case ArrowType.Bool b -> BOOLEAN;
            case ArrowType.Int i -> i.getBitWidth() == 64 ? INT64 : INT32;
            case ArrowType.FloatingPoint f -> switch (f.getPrecision()) { case HALF -> FIXED_LEN_BYTE_ARRAY; case SINGLE -> FLOAT; case DOUBLE -> DOUBLE; };
            case ArrowType.Utf8 u -> BYTE_ARRAY;
            case ArrowType.LargeUtf8 u -> BYTE_ARRAY;
            case ArrowType.Binary b -> BYTE_ARRAY;
            case ArrowType.LargeBinary b -> BYTE_ARRAY;
            case ArrowType.FixedSizeBinary b -> FIXED_LEN_BYTE_ARRAY;
            case ArrowType.Decimal d -> FIXED_LEN_BYTE_ARRAY;
            case ArrowType.Date d -> INT32;
            case ArrowType.Time tt -> tt.getBitWidth() == 32 ? INT32 : INT64;
            case ArrowType.Timestamp ts -> INT64;
            case ArrowType.Duration d -> INT64;
            case ArrowType.Null n -> INT32;
            default -> throw new IllegalArgumentException("cannot write " + t + " to Parquet");
        };
    }

    /** SchemaElement's type_length (field 2), for fixed-length types. */
    static void typeLength(ThriftCompactWriter w, ArrowType t) {
        switch (t) {
            case ArrowType.FloatingPoint f when physical(t) == FIXED_LEN_BYTE_ARRAY -> w.i32(2, 2);
            case ArrowType.FixedSizeBinary b -> w.i32(2, b.getByteWidth());
            case ArrowType.Decimal d -> w.i32(2, DECIMAL_BYTES);
            default -> { }
        }
    }

    /** SchemaElement's fields after the name: converted_type (6), scale (7), precision (8), logicalType (10). */
    static void annotations(ThriftCompactWriter w, ArrowType t) {
        switch (t) {
            case ArrowType.Int i -> {
                if (i.getBitWidth() < 32 || !i.getIsSigned()) w.i32(6, convertedInt(i));
                w.struct(10).struct(10).i8(1, i.getBitWidth()).bool(2, i.getIsSigned()).end().end();
            }
            case ArrowType.FloatingPoint f when physical(t) == FIXED_LEN_BYTE_ARRAY -> w.struct(10).empty(15).end();
            case ArrowType.Utf8 u -> w.i32(6, 0).struct(10).empty(1).end();
            case ArrowType.LargeUtf8 u -> w.i32(6, 0).struct(10).empty(1).end();
            case ArrowType.Decimal d -> w.i32(6, 5).i32(7, d.getScale()).i32(8, d.getPrecision())
                    .struct(10).struct(5).i32(1, d.getScale()).i32(2, d.getPrecision()).end().end();
            case ArrowType.Date d -> w.i32(6, 6).struct(10).empty(6).end();
            // An Arrow time of day has no zone: TIME with isAdjustedToUTC=false, as pyarrow writes it. The legacy
            // TIME_MILLIS/TIME_MICROS converted types mean UTC-adjusted times, so none is written.
            case ArrowType.Time tt -> w.struct(10).struct(7).bool(1, false).struct(2).empty(timeUnit(tt.getUnit())).end().end().end();
            case ArrowType.Timestamp ts -> {
                int unit = timeUnit(ts.getUnit());
                if (ts.getTimezone() != null && unit < 3) w.i32(6, unit == 1 ? 9 : 10);
                w.struct(10).struct(8).bool(1, ts.getTimezone() != null).struct(2).empty(unit).end().end().end();
            }
            case ArrowType.Null n -> w.struct(10).empty(11).end();
            default -> { }
        }
    }

    /** The non-null values of {@code c}, PLAIN-encoded. */
    static byte[] plainValues(ColumnView c) {
        ArrowType t = c.type();
        int physical = physical(t);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        int bits = 0, nbits = 0;
        for (int i = 0; i < c.size(); i++) {
            if (c.isNull(i)) continue;
            int r = c.row(i);
            b.clear();
            switch (physical) {
                case BOOLEAN -> {
                    bits |= (Vectors.getLong(c.values(), r) != 0 ? 1 : 0) << nbits;
                    if (++nbits == 8) { out.write(bits); bits = 0; nbits = 0; }
                }
                case INT32 -> out.write(b.putInt((int) int32(t, Vectors.getLong(c.values(), r))).array(), 0, 4);
                case INT64 -> out.write(b.putLong(int64(t, Vectors.getLong(c.values(), r))).array(), 0, 8);
                case FLOAT -> out.write(b.putFloat((float) Vectors.getDouble(c.values(), r)).array(), 0, 4);
                case DOUBLE -> out.write(b.putDouble(Vectors.getDouble(c.values(), r)).array(), 0, 8);
                case BYTE_ARRAY -> {
                    byte[] v = Vectors.getBytes(c.values(), r);
                    out.write(b.putInt(v.length).array(), 0, 4);
                    out.writeBytes(v);
                }
                default -> out.writeBytes(fixed(t, c, r));
            }
        }
        if (nbits > 0) out.write(bits);
        return out.toByteArray();
    }

    private static long int32(ArrowType t, long v) {
        return switch (t) {
            case ArrowType.Date d when d.getUnit() == DateUnit.MILLISECOND -> Math.floorDiv(v, 86_400_000L);
            case ArrowType.Time tt when tt.getUnit() == TimeUnit.SECOND -> v * 1000;
            default -> v;
        };
    }

    private static long int64(ArrowType t, long v) {
        return t instanceof ArrowType.Timestamp ts && ts.getUnit() == TimeUnit.SECOND ? v * 1000 : v;
    }

    private static byte[] fixed(ArrowType t, ColumnView c, int r) {
        return switch (t) {
            case ArrowType.Decimal d -> {
                byte[] be = ((DecimalVector) c.values()).getObject(r).unscaledValue().toByteArray();
                byte[] out = new byte[DECIMAL_BYTES];
                java.util.Arrays.fill(out, 0, DECIMAL_BYTES - be.length, (byte) (be[0] < 0 ? 0xff : 0));
                System.arraycopy(be, 0, out, DECIMAL_BYTES - be.length, be.length);
                yield out;
            }
            case ArrowType.FloatingPoint f -> {
                short h = Float.floatToFloat16((float) Vectors.getDouble(c.values(), r));
                yield new byte[] {(byte) h, (byte) (h >> 8)};
            }
            default -> Vectors.getBytes(c.values(), r);
        };
    }

    private static int convertedInt(ArrowType.Int i) {
        int base = i.getIsSigned() ? 15 : 11;
        return base + Integer.numberOfTrailingZeros(i.getBitWidth() / 8);
    }

    /** Parquet's TimeUnit union member: 1 millis (seconds are stored as millis), 2 micros, 3 nanos. */
    private static int timeUnit(TimeUnit u) {
        return switch (u) { case SECOND, MILLISECOND -> 1; case MICROSECOND -> 2; case NANOSECOND -> 3; };
    }

}
