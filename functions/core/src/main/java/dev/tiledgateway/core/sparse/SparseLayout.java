package dev.tiledgateway.core.sparse;

/**
 * How sparse (COO) nodes are stored: a data source of mimetype {@value #MIMETYPE} with two Zarr array assets,
 * {@code coords} (int64, shape [ndim, nnz]) and {@code data} (shape [nnz]); the node's structure gives shape and chunks.
 */
public final class SparseLayout {

    public static final String MIMETYPE = "application/x-tiled-sparse-coo-zarr";
    public static final String ARRAY_MIMETYPE = "application/x-zarr";

    private SparseLayout() {}
}
