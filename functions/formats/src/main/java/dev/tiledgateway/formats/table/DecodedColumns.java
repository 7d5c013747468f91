package dev.tiledgateway.formats.table;

import org.apache.arrow.vector.types.pojo.Field;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Columns of Parquet part files as decoded, kept for later reads of other column sets or formats, least recently used
 * dropped first: bounded in bytes (estimated from the values held) and in entries. An entry belongs to one opened
 * table ({@code owner}: a token of a table source, opened once per data revision), so a written table, opened anew,
 * never sees the columns of its earlier data. A kept column is never changed again: readers only copy from it.
 */
final class DecodedColumns {

    /** The process's: a 16th of the heap, at most 64 MB, in at most 1,024 columns of at most a quarter of that. */
    static final DecodedColumns SHARED = new DecodedColumns(Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 16), 1024);

    private record Key(Object owner, String part, Field field) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.owner == owner && k.part.equals(part) && k.field.equals(field);
        }

        @Override
        public int hashCode() { return System.identityHashCode(owner) * 31 * 31 + part.hashCode() * 31 + field.hashCode(); }
    }

    private final long maxBytes;
    private final int maxEntries;
    private final LinkedHashMap<Key, Kept> columns = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    /** A kept column and the bytes counted for it when it was kept. */
    private record Kept(ColumnBuilder column, long bytes) {}

    DecodedColumns(long maxBytes, int maxEntries) {
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
    }

    synchronized ColumnBuilder get(Object owner, String part, Field field) {
        Kept k = columns.get(new Key(owner, part, field));
        return k == null ? null : k.column();
    }

    /** Keeps {@code column} (complete, trimmed, no longer written to) if it fits in a quarter of the bound. */
    void put(Object owner, String part, Field field, ColumnBuilder column) {
        long size = column.bytes(); // walks the values: outside the lock
        if (size > maxBytes / 4 || maxEntries == 0) return;
        synchronized (this) {
            Kept old = columns.put(new Key(owner, part, field), new Kept(column, size));
            if (old != null) bytes -= old.bytes();
            bytes += size;
            Iterator<Map.Entry<Key, Kept>> eldest = columns.entrySet().iterator();
            while ((bytes > maxBytes || columns.size() > maxEntries) && eldest.hasNext()) {
                bytes -= eldest.next().getValue().bytes();
                eldest.remove();
            }
        }
    }

    synchronized int size() { return columns.size(); }

    synchronized long bytes() { return bytes; }
}
