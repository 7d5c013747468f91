package dev.tiledgateway.core.write;

/**
 * Copies a box of elements between two C-order buffers of possibly different shapes: how a whole array is cut into
 * its chunks, a block padded to the chunk shape, and a patch laid over the chunks it touches.
 */
public final class NdCopy {

    private NdCopy() {}

    /**
     * Copies the box of {@code extent} elements at {@code srcOrigin} of {@code src} (shape {@code srcShape}) to
     * {@code dstOrigin} of {@code dst} (shape {@code dstShape}); elements are {@code itemsize} bytes.
     */
    public static void copy(byte[] src, long[] srcShape, long[] srcOrigin, byte[] dst, long[] dstShape, long[] dstOrigin,
                            long[] extent, int itemsize) {
        int n = extent.length;
        for (long e : extent) if (e == 0) return;
        if (n == 0) {
            System.arraycopy(src, 0, dst, 0, itemsize);
            return;
        }
        long[] srcStride = strides(srcShape, itemsize);
        long[] dstStride = strides(dstShape, itemsize);
        int run = Math.toIntExact(extent[n - 1] * itemsize);
        long[] at = new long[n - 1];
        while (true) {
            long s = srcOrigin[n - 1] * srcStride[n - 1], d = dstOrigin[n - 1] * dstStride[n - 1];
            for (int i = 0; i < n - 1; i++) {
                s += (srcOrigin[i] + at[i]) * srcStride[i];
                d += (dstOrigin[i] + at[i]) * dstStride[i];
            }
            System.arraycopy(src, Math.toIntExact(s), dst, Math.toIntExact(d), run);
            int i = n - 2;
            while (i >= 0 && ++at[i] == extent[i]) at[i--] = 0;
            if (i < 0) return;
        }
    }

    private static long[] strides(long[] shape, int itemsize) {
        long[] s = new long[shape.length];
        long acc = itemsize;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** The number of elements in a box. */
    public static long count(long[] extent) {
        long c = 1;
        for (long e : extent) c = Math.multiplyExact(c, e);
        return c;
    }
}
