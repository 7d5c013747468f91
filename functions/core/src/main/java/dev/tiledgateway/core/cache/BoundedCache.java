package dev.tiledgateway.core.cache;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Values kept in memory by key, least recently used dropped first: bounded in total bytes and in entries, and a
 * value above {@code maxEntryBytes} is never kept. A value's size is what its caller says when putting it (computed
 * before, outside the lock), and is counted as such until it leaves.
 */
public final class BoundedCache<K, V> {

    private record Kept<V>(V value, long bytes) {}

    private final long maxBytes;
    private final int maxEntries;
    private final long maxEntryBytes;
    private final LinkedHashMap<K, Kept<V>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long hits, misses;

    public BoundedCache(long maxBytes, int maxEntries, long maxEntryBytes) {
        if (maxBytes < 0 || maxEntries < 0 || maxEntryBytes < 0) throw new IllegalArgumentException("negative bound");
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
        this.maxEntryBytes = Math.min(maxEntryBytes, maxBytes);
    }

    /** The value kept under {@code key}, or null. */
    public synchronized V get(K key) {
        Kept<V> k = entries.get(key);
        if (k == null) misses++;
        else hits++;
        return k == null ? null : k.value();
    }

    /** Keeps {@code value} ({@code size} bytes) under {@code key} if it fits, dropping the least recently used to stay in bounds. */
    public synchronized void put(K key, V value, long size) {
        if (size > maxEntryBytes || maxEntries == 0) return;
        Kept<V> old = entries.put(key, new Kept<>(value, size));
        if (old != null) bytes -= old.bytes();
        bytes += size;
        Iterator<Map.Entry<K, Kept<V>>> eldest = entries.entrySet().iterator();
        while ((bytes > maxBytes || entries.size() > maxEntries) && eldest.hasNext()) {
            bytes -= eldest.next().getValue().bytes();
            eldest.remove();
        }
    }

    public synchronized int size() { return entries.size(); }

    public synchronized long bytes() { return bytes; }

    public synchronized long hits() { return hits; }

    public synchronized long misses() { return misses; }
}
