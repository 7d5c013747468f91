/**
 * Sparse (COO) selections in the table formats: {@link dev.tiledgateway.formats.sparse.SparseTables} builds the
 * {@code dim0..dim{n-1}, data} table and {@link dev.tiledgateway.formats.sparse.SparseTableSerializers} registers the
 * Arrow file (which the client turns back into a {@code sparse.COO}), Parquet, xlsx and HTML for the {@code sparse}
 * family.
 */
package dev.tiledgateway.formats.sparse;
