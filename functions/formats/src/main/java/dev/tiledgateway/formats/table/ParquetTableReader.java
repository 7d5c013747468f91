package dev.tiledgateway.formats.table;

import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.table.TableReader;

import java.io.IOException;
import java.util.Set;

/** Registers Parquet (a file, or a folder of part files) as the table format for {@code application/x-parquet}. */
public final class ParquetTableReader implements TableReader {

    public static final String MIMETYPE = "application/x-parquet";

    @Override
    public Set<String> mimetypes() { return Set.of(MIMETYPE); }

    @Override
    public ArrowTableSource open(BlobStore store, DataSource source) throws IOException {
        return new ParquetTableSource(store, ParquetParts.keys(store, source));
    }
}
