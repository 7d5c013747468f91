package dev.tiledgateway.formats.table;

import dev.tiledgateway.core.cache.BoundedCache;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Columns of Parquet part files as decoded, kept for later reads of other column sets or formats, least recently used
 * dropped first: bounded in bytes (estimated from the values held) and in entries. An entry belongs to one opened
 * table ({@code owner}: a token of a table source, opened once per data revision), so a written table, opened anew,
 * never sees the columns of its earlier data. A kept column is never changed again: readers only copy from it.
 */
final class DecodedColumns {

    /** The process's: a 16th of the heap, at most 64 MB, in at most 1,024 columns of at most a quarter of that. */
    static final DecodedColumns SHARED = new DecodedColumns(Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 16), 1024);

    /** {@code owner} is a token of its table source (an object equal only to itself). */
    private record Key(Object owner, String part, Field field) {}

    private final BoundedCache<Key, ColumnBuilder> columns;

    DecodedColumns(long maxBytes, int maxEntries) {
        columns = new BoundedCache<>(maxBytes, maxEntries, maxBytes / 4);
    }

    ColumnBuilder get(Object owner, String part, Field field) {
        return columns.get(new Key(owner, part, field));
    }

    /** Keeps {@code column} (complete, trimmed, no longer written to) if it fits in a quarter of the bound. */
    void put(Object owner, String part, Field field, ColumnBuilder column) {
        columns.put(new Key(owner, part, field), column, column.bytes()); // bytes() walks the values: outside the lock
    }

    int size() { return columns.size(); }

    long bytes() { return columns.bytes(); }
}
