package dev.tiledgateway.core.sparse;

import dev.tiledgateway.core.array.ArrayPayload;

/**
 * A COO selection of a sparse array: {@code coords[d][k]} is the coordinate along dimension d of the k-th
 * stored element (relative to the selection's origin), {@code data} the values, {@code shape} the selection's.
 */
public record SparsePayload(long[][] coords, ArrayPayload data, long[] shape) {

    public int nnz() { return coords.length == 0 ? 0 : coords[0].length; }

    /** Column names of the table form Tiled sends: {@code dim0..dim{n-1}, data}. */
    public java.util.List<String> columns() {
        java.util.List<String> c = new java.util.ArrayList<>();
        for (int d = 0; d < coords.length; d++) c.add("dim" + d);
        c.add("data");
        return c;
    }
}
