package dev.tiledgateway.formats.table;

import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.store.BlobStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The object keys of a Parquet table's partitions: one per file asset, or per {@code *.parquet} in a folder asset (by name). */
final class ParquetParts {

    private ParquetParts() {}

    static List<String> keys(BlobStore store, DataSource source) throws IOException {
        List<String> keys = new ArrayList<>();
        for (Asset a : source.assets()) {
            if (!a.directory()) {
                keys.add(a.key());
                continue;
            }
            String prefix = a.key().isEmpty() || a.key().endsWith("/") ? a.key() : a.key() + "/";
            List<String> parts = new ArrayList<>();
            for (String k : store.list(prefix)) {
                String name = k.substring(prefix.length());
                if (!name.contains("/") && name.endsWith(".parquet") && !name.startsWith("_") && !name.startsWith(".")) parts.add(k);
            }
            parts.sort(null);
            if (parts.isEmpty()) throw new CorruptDataException("no *.parquet part files in folder '" + a.key() + "'");
            keys.addAll(parts);
        }
        if (keys.isEmpty()) throw new CorruptDataException("the Parquet data source has no assets");
        return keys;
    }
}
