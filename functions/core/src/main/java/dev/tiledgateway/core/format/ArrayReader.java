package dev.tiledgateway.core.format;

import dev.tiledgateway.core.array.ChunkedArray;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.store.BlobStore;

import java.io.IOException;
import java.util.Set;

/**
 * Opens array data of some storage format (by data-source mimetype). Implementations are found
 * with {@link java.util.ServiceLoader}, so adding a format is adding a class and a registration line.
 */
public interface ArrayReader {

    /** Data-source mimetypes this reader handles, e.g. {@code application/x-zarr}. */
    Set<String> mimetypes();

    ChunkedArray open(BlobStore store, DataSource source) throws IOException;
}
