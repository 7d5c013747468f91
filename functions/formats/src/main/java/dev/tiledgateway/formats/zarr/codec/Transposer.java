package dev.tiledgateway.formats.zarr.codec;

/** Permutes the axes of a C-order array of fixed-size elements held as bytes. */
public final class Transposer {

    private Transposer() {}

    /**
     * The C-order bytes of {@code src} (shape {@code srcShape}) with its axes permuted: output axis
     * {@code i} is source axis {@code perm[i]}, as numpy's {@code transpose(perm)}.
     */
    public static byte[] permute(byte[] src, int[] srcShape, int[] perm, int itemsize) {
        int n = srcShape.length;
        if (perm.length != n) throw new IllegalArgumentException("permutation rank differs from the array's");
        long[] srcStride = new long[n];
        long s = itemsize;
        for (int d = n - 1; d >= 0; d--) {
            srcStride[d] = s;
            s *= srcShape[d];
        }
        if (s != src.length) throw new IllegalArgumentException("array is " + src.length + " bytes, shape says " + s);
        byte[] out = new byte[src.length];
        if (src.length == 0) return out;
        int[] outShape = new int[n];
        long[] step = new long[n];
        for (int i = 0; i < n; i++) {
            outShape[i] = srcShape[perm[i]];
            step[i] = srcStride[perm[i]];
        }
        int[] counter = new int[n];
        long from = 0;
        for (int to = 0; to < out.length; to += itemsize) {
            System.arraycopy(src, (int) from, out, to, itemsize);
            for (int d = n - 1; d >= 0; d--) {
                if (++counter[d] < outShape[d]) {
                    from += step[d];
                    break;
                }
                counter[d] = 0;
                from -= step[d] * (outShape[d] - 1);
            }
        }
        return out;
    }

    /** The permutation that undoes {@code perm}. */
    public static int[] inverse(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) inv[perm[i]] = i;
        return inv;
    }

    /** The axes in reverse: Fortran order expressed as a transpose of C order. */
    public static int[] reversed(int ndim) {
        int[] p = new int[ndim];
        for (int i = 0; i < ndim; i++) p[i] = ndim - 1 - i;
        return p;
    }

    /** Copies a C-order block of shape {@code blockShape} into {@code dst} (shape {@code dstShape}) at {@code origin}. */
    public static void copyBlock(byte[] block, int[] blockShape, byte[] dst, int[] dstShape, int[] origin, int itemsize) {
        int n = dstShape.length;
        if (n == 0) {
            System.arraycopy(block, 0, dst, 0, itemsize);
            return;
        }
        long[] dstStride = new long[n];
        long s = itemsize;
        for (int d = n - 1; d >= 0; d--) {
            dstStride[d] = s;
            s *= dstShape[d];
        }
        int row = blockShape[n - 1] * itemsize;
        int rows = block.length / Math.max(1, row);
        int[] counter = new int[n - 1];
        for (int r = 0; r < rows; r++) {
            long at = (long) origin[n - 1] * itemsize;
            for (int d = 0; d < n - 1; d++) at += (origin[d] + counter[d]) * dstStride[d];
            System.arraycopy(block, r * row, dst, (int) at, row);
            for (int d = n - 2; d >= 0; d--) {
                if (++counter[d] < blockShape[d]) break;
                counter[d] = 0;
            }
        }
    }
}
