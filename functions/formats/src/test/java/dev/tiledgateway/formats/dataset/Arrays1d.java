package dev.tiledgateway.formats.dataset;

import dev.tiledgateway.core.array.ArrayPayload;
import dev.tiledgateway.core.structure.DataType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Small numpy-like 1-d arrays for tests, in the layout readers produce (little-endian unless said otherwise). */
public final class Arrays1d {

    private Arrays1d() {}

    public static ArrayPayload f8(double... v) {
        ByteBuffer b = le(v.length * 8);
        for (double x : v) b.putDouble(x);
        return new ArrayPayload(DataType.Builtin.parse("<f8"), new long[] {v.length}, b.array());
    }

    public static ArrayPayload f4(float... v) {
        ByteBuffer b = le(v.length * 4);
        for (float x : v) b.putFloat(x);
        return new ArrayPayload(DataType.Builtin.parse("<f4"), new long[] {v.length}, b.array());
    }

    public static ArrayPayload i8(long... v) { return ints("<i8", v); }

    /** Integers of any numpy integer dtype string ({@code <i4}, {@code >u2}, {@code |u1}...). */
    public static ArrayPayload ints(String dtype, long... v) {
        DataType.Builtin d = DataType.Builtin.parse(dtype);
        ByteBuffer b = ByteBuffer.allocate(v.length * d.itemsize())
                .order(d.endianness() == DataType.Endianness.BIG ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            switch (d.itemsize()) {
                case 1 -> b.put((byte) x);
                case 2 -> b.putShort((short) x);
                case 4 -> b.putInt((int) x);
                default -> b.putLong(x);
            }
        }
        return new ArrayPayload(d, new long[] {v.length}, b.array());
    }

    public static ArrayPayload b1(boolean... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) (v[i] ? 1 : 0);
        return new ArrayPayload(DataType.Builtin.parse("|b1"), new long[] {v.length}, b);
    }

    /** {@code datetime64[units]} counts ({@code Long.MIN_VALUE} is NaT). */
    public static ArrayPayload datetimes(String units, long... v) { return ints("<M8[" + units + "]", v); }

    public static ArrayPayload timedeltas(String units, long... v) { return ints("<m8[" + units + "]", v); }

    /** {@code <U{width}}: UTF-32, NUL-padded. */
    public static ArrayPayload unicode(int width, String... v) {
        ByteBuffer b = le(v.length * width * 4);
        for (String s : v) {
            int start = b.position();
            s.codePoints().forEach(b::putInt);
            b.position(start + width * 4);
        }
        return new ArrayPayload(DataType.Builtin.parse("<U" + width), new long[] {v.length}, b.array());
    }

    /** {@code |S{width}}: raw bytes, NUL-padded. */
    public static ArrayPayload bytes(int width, String... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * width);
        for (String s : v) {
            int start = b.position();
            b.put(s.getBytes(StandardCharsets.ISO_8859_1));
            b.position(start + width);
        }
        return new ArrayPayload(DataType.Builtin.parse("|S" + width), new long[] {v.length}, b.array());
    }

    /** The 0-d array of one float64. */
    public static ArrayPayload scalar(double x) {
        return new ArrayPayload(DataType.Builtin.parse("<f8"), new long[0], le(8).putDouble(x).array());
    }

    private static ByteBuffer le(int n) { return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN); }
}
