package dev.tiledgateway.formats.table;

import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.table.TableReader;

import java.io.IOException;
import java.util.Set;

/** Registers CSV files (one object, read whole) as tables for data sources of mimetype {@code text/csv}. */
public final class CsvTableReader implements TableReader {

    public static final String MIMETYPE = "text/csv";

    @Override
    public Set<String> mimetypes() { return Set.of(MIMETYPE); }

    @Override
    public ArrowTableSource open(BlobStore store, DataSource source) throws IOException {
        if (source.assets().size() != 1 || source.assets().getFirst().directory())
            throw new CorruptDataException("a CSV data source has exactly one file asset");
        Asset a = source.assets().getFirst();
        byte[] bytes = store.get(a.key()).orElseThrow(() -> new CorruptDataException("CSV object '" + a.key() + "' is missing"));
        return new CsvTableSource(CsvTable.parse(bytes));
    }
}
