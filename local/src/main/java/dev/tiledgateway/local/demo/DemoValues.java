package dev.tiledgateway.local.demo;

import dev.tiledgateway.core.structure.DataType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Deterministic values for the demo arrays: the same seed always yields the same bytes. */
final class DemoValues {

    static final DataType F8 = DataType.Builtin.parse("<f8");
    static final DataType I8 = DataType.Builtin.parse("<i8");
    static final DataType I4 = DataType.Builtin.parse("<i4");
    static final DataType C16 = DataType.Builtin.parse("<c16");

    private DemoValues() {}

    static SplittableRandom rng(String name) {
        return new SplittableRandom(42L * 31 + name.hashCode());
    }

    static ByteBuffer buffer(long count, int itemsize) {
        return ByteBuffer.allocate(Math.toIntExact(count * itemsize)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Uniform [0, 1) float64 values. */
    static byte[] uniform(String name, long count) {
        SplittableRandom r = rng(name);
        ByteBuffer b = buffer(count, 8);
        for (long i = 0; i < count; i++) b.putDouble(r.nextDouble());
        return b.array();
    }

    static byte[] doubles(double... v) {
        ByteBuffer b = buffer(v.length, 8);
        for (double x : v) b.putDouble(x);
        return b.array();
    }

    static byte[] filled(long count, double value) {
        ByteBuffer b = buffer(count, 8);
        for (long i = 0; i < count; i++) b.putDouble(value);
        return b.array();
    }

    static byte[] longs(long... v) {
        ByteBuffer b = buffer(v.length, 8);
        for (long x : v) b.putLong(x);
        return b.array();
    }

    /** numpy {@code <U n} bytes: UTF-32LE code units, NUL-padded. */
    static byte[] utf32(String s, int chars) {
        ByteBuffer b = buffer(chars, 4);
        s.codePoints().limit(chars).forEach(b::putInt);
        return b.array();
    }

    static byte[] complex(String name, long count) {
        SplittableRandom r = rng(name);
        ByteBuffer b = buffer(count, 16);
        for (long i = 0; i < count; i++) {
            b.putDouble(r.nextDouble());
            b.putDouble(r.nextDouble());
        }
        return b.array();
    }

    static byte[] onesInt32(long count) {
        ByteBuffer b = buffer(count, 4);
        for (long i = 0; i < count; i++) b.putInt(1);
        return b.array();
    }

    static byte[] randomInts(String name, long count, int lo, int hi) {
        SplittableRandom r = rng(name);
        ByteBuffer b = buffer(count, 8);
        for (long i = 0; i < count; i++) b.putLong(r.nextInt(lo, hi));
        return b.array();
    }

    /** The {@code pets} records: name {@code <U10}, age {@code <i4}, weight {@code <f4}, packed (48 bytes). */
    static byte[] pets() {
        ByteBuffer b = buffer(2, 48);
        record Pet(String name, int age, float weight) {}
        for (Pet p : new Pet[] {new Pet("Rex", 9, 81.0f), new Pet("Fido", 3, 27.0f)}) {
            b.put(utf32(p.name(), 10));
            b.putInt(p.age());
            b.putFloat(p.weight());
        }
        return b.array();
    }

    static String ascii(byte[] b) { return new String(b, StandardCharsets.US_ASCII); }
}
