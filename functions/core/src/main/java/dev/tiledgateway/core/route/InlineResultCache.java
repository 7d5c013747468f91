package dev.tiledgateway.core.route;

import dev.tiledgateway.core.cache.BoundedCache;

/**
 * Response bodies answered inline, by their ETag, least recently used dropped first: bounded in total bytes and in
 * entries, and a body above {@code maxEntryBytes} is never kept. The ETag names the node's data revision
 * ({@link dev.tiledgateway.core.catalog.Node#dataKey()}), the media type and the normalised selection, so a write
 * (new revision or fingerprint) makes new keys and what was kept for the old data is never asked for again; it ages out.
 */
public final class InlineResultCache {

    private final BoundedCache<String, byte[]> bodies;

    public InlineResultCache(long maxBytes, int maxEntries, long maxEntryBytes) {
        bodies = new BoundedCache<>(maxBytes, maxEntries, maxEntryBytes);
    }

    /** The body kept for {@code etag}, or null. The array is shared: callers must not change it. */
    public byte[] get(String etag) { return bodies.get(etag); }

    /** Keeps {@code body} under {@code etag} if it fits, dropping the least recently used bodies to stay in bounds. */
    public void put(String etag, byte[] body) { bodies.put(etag, body, body.length); }

    public int size() { return bodies.size(); }

    public long bytes() { return bodies.bytes(); }

    public long hits() { return bodies.hits(); }

    public long misses() { return bodies.misses(); }
}
