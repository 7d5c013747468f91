package dev.tiledgateway.core.structure;

import java.util.Arrays;
import java.util.List;

/**
 * The structure of an array node: element type, shape, the chunk lengths along each dimension
 * (summing to the shape), and optional dimension names.
 */
public record ArrayStructure(DataType dataType, long[] shape, long[][] chunks, List<String> dims) {

    public ArrayStructure {
        if (chunks.length != shape.length) throw new IllegalArgumentException("chunks and shape differ in rank");
        for (int d = 0; d < shape.length; d++) {
            long sum = 0;
            for (long c : chunks[d]) sum += c;
            if (sum != shape[d]) throw new IllegalArgumentException("chunks of dimension " + d + " do not sum to the shape");
        }
        dims = dims == null ? null : List.copyOf(dims);
    }

    /** A regular grid: every chunk {@code chunkShape[d]} long but the last, which is truncated to fit. */
    public static ArrayStructure regular(DataType dataType, long[] shape, int[] chunkShape, List<String> dims) {
        long[][] chunks = new long[shape.length][];
        for (int d = 0; d < shape.length; d++) {
            long c = Math.max(1, chunkShape[d]);
            int n = shape[d] == 0 ? 0 : (int) ((shape[d] + c - 1) / c);
            chunks[d] = new long[n];
            for (int i = 0; i < n; i++) chunks[d][i] = Math.min(c, shape[d] - i * c);
        }
        return new ArrayStructure(dataType, shape, chunks, dims);
    }

    public int ndim() { return shape.length; }

    public long size() {
        long n = 1;
        for (long s : shape) n = Math.multiplyExact(n, s);
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArrayStructure a && dataType.equals(a.dataType) && Arrays.equals(shape, a.shape)
                && Arrays.deepEquals(chunks, a.chunks) && java.util.Objects.equals(dims, a.dims);
    }

    @Override
    public int hashCode() {
        return dataType.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "ArrayStructure[" + dataType + ", shape=" + Arrays.toString(shape) + "]";
    }
}
