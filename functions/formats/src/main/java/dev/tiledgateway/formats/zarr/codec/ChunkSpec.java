package dev.tiledgateway.formats.zarr.codec;

import java.util.Arrays;

/**
 * The decoded form of one chunk as a codec sees it: its shape, bytes per element, and the bytes of
 * one fill-value element (in the array's declared byte layout), for codecs that must pad.
 */
public record ChunkSpec(int[] shape, int itemsize, byte[] fillElement) {

    public ChunkSpec {
        shape = shape.clone();
        fillElement = fillElement.clone();
        if (fillElement.length != itemsize) throw new IllegalArgumentException("fill element is not itemsize bytes");
    }

    /** Number of elements. */
    public int elements() {
        long n = 1;
        for (int s : shape) n = Math.multiplyExact(n, s);
        return Math.toIntExact(n);
    }

    /** Decoded size in bytes. */
    public int byteLength() {
        return Math.multiplyExact(elements(), itemsize);
    }

    /** The same spec with another shape. */
    public ChunkSpec withShape(int[] newShape) {
        return new ChunkSpec(newShape, itemsize, fillElement);
    }

    /** A chunk of this shape filled with the fill element. */
    public byte[] filled() {
        byte[] out = new byte[byteLength()];
        if (isZero(fillElement)) return out;
        for (int i = 0; i < out.length; i += itemsize) System.arraycopy(fillElement, 0, out, i, itemsize);
        return out;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    @Override
    public int[] shape() { return shape.clone(); }

    @Override
    public byte[] fillElement() { return fillElement.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChunkSpec c && Arrays.equals(shape, c.shape) && itemsize == c.itemsize
                && Arrays.equals(fillElement, c.fillElement);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(shape) * 31 + itemsize; }

    @Override
    public String toString() { return "ChunkSpec" + Arrays.toString(shape) + "x" + itemsize; }
}
