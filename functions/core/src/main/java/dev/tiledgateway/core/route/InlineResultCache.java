package dev.tiledgateway.core.route;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Response bodies answered inline, by their ETag, least recently used dropped first: bounded in total bytes and in
 * entries, and a body above {@code maxEntryBytes} is never kept. The ETag names the node's data revision
 * ({@link dev.tiledgateway.core.catalog.Node#dataKey()}), the media type and the normalised selection, so a write
 * (new revision or fingerprint) makes new keys and what was kept for the old data is never asked for again; it ages out.
 */
public final class InlineResultCache {

    private final long maxBytes;
    private final int maxEntries;
    private final long maxEntryBytes;
    private final LinkedHashMap<String, byte[]> bodies = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long hits, misses;

    public InlineResultCache(long maxBytes, int maxEntries, long maxEntryBytes) {
        if (maxBytes < 0 || maxEntries < 0 || maxEntryBytes < 0) throw new IllegalArgumentException("negative bound");
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
        this.maxEntryBytes = Math.min(maxEntryBytes, maxBytes);
    }

    /** The body kept for {@code etag}, or null. The array is shared: callers must not change it. */
    public synchronized byte[] get(String etag) {
        byte[] b = bodies.get(etag);
        if (b == null) misses++;
        else hits++;
        return b;
    }

    /** Keeps {@code body} under {@code etag} if it fits, dropping the least recently used bodies to stay in bounds. */
    public synchronized void put(String etag, byte[] body) {
        if (body.length > maxEntryBytes || maxEntries == 0) return;
        byte[] old = bodies.put(etag, body);
        if (old != null) bytes -= old.length;
        bytes += body.length;
        Iterator<Map.Entry<String, byte[]>> eldest = bodies.entrySet().iterator();
        while ((bytes > maxBytes || bodies.size() > maxEntries) && eldest.hasNext()) {
            Map.Entry<String, byte[]> e = eldest.next();
            bytes -= e.getValue().length;
            eldest.remove();
        }
    }

    public synchronized int size() { return bodies.size(); }

    public synchronized long bytes() { return bytes; }

    public synchronized long hits() { return hits; }

    public synchronized long misses() { return misses; }
}
