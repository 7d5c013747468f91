package dev.tiledgateway.local.demo;

/** Cuts one chunk (padded to the full chunk shape with zeros) out of a whole C-order array. */
final class Chunks {

    private Chunks() {}

    static byte[] extract(byte[] full, long[] shape, int[] chunkShape, int itemsize, long[] idx) {
        int nd = shape.length;
        long n = 1;
        for (int c : chunkShape) n *= c;
        byte[] out = new byte[Math.toIntExact(n * itemsize)];
        if (nd == 0) {
            System.arraycopy(full, 0, out, 0, itemsize);
            return out;
        }
        long[] stride = new long[nd];
        stride[nd - 1] = 1;
        for (int d = nd - 2; d >= 0; d--) stride[d] = stride[d + 1] * shape[d + 1];
        long[] local = new long[nd];
        int rowLen = chunkShape[nd - 1];
        long rows = n / rowLen;
        for (long r = 0; r < rows; r++) {
            boolean inside = true;
            long src = 0;
            for (int d = 0; d < nd - 1; d++) {
                long g = idx[d] * chunkShape[d] + local[d];
                if (g >= shape[d]) inside = false;
                src += g * stride[d];
            }
            long g0 = idx[nd - 1] * chunkShape[nd - 1];
            long len = Math.min(rowLen, shape[nd - 1] - g0);
            if (inside && len > 0) {
                System.arraycopy(full, (int) ((src + g0) * itemsize), out, (int) (r * rowLen * itemsize), (int) (len * itemsize));
            }
            for (int d = nd - 2; d >= 0; d--) {
                if (++local[d] < chunkShape[d]) break;
                local[d] = 0;
            }
        }
        return out;
    }
}
