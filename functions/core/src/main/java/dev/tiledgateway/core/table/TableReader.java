package dev.tiledgateway.core.table;

import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.store.BlobStore;

import java.io.IOException;
import java.util.Set;

/** Opens tables of some storage format (by data-source mimetype); found with {@link java.util.ServiceLoader}. */
public interface TableReader {

    /** Data-source mimetypes handled, e.g. {@code application/x-parquet}, {@code text/csv}. */
    Set<String> mimetypes();

    TableSource open(BlobStore store, DataSource source) throws IOException;
}
