package dev.tiledgateway.core.format;

import dev.tiledgateway.core.array.ChunkedArray;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.store.BlobStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The array-format registry, and a small cache of opened arrays keyed by node path and revision,
 * so a warm function reads a format's metadata object once, not once per request.
 */
public final class ArrayReaders {

    private final Map<String, ArrayReader> byMimetype = new LinkedHashMap<>();
    private final Map<String, ChunkedArray> opened;

    public ArrayReaders(List<ArrayReader> readers, int cacheSize) {
        for (ArrayReader r : readers) for (String m : r.mimetypes()) byMimetype.putIfAbsent(m, r);
        this.opened = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ChunkedArray> e) { return size() > cacheSize; }
        });
    }

    /** Every reader on the class path, registered through ServiceLoader. */
    public static ArrayReaders discover() {
        List<ArrayReader> readers = new ArrayList<>();
        ServiceLoader.load(ArrayReader.class).forEach(readers::add);
        return new ArrayReaders(readers, 256);
    }

    public ChunkedArray open(BlobStore store, Node node) throws IOException {
        if (node.dataSource() == null) throw TiledException.notFound("Node " + node.path() + " has no data source");
        return open(store, node.dataSource(), node.dataKey());
    }

    /** Opens {@code source}, reusing the array opened before under the same {@code cacheKey}. */
    public ChunkedArray open(BlobStore store, DataSource source, String cacheKey) throws IOException {
        ChunkedArray cached = opened.get(cacheKey);
        if (cached != null) return cached;
        ChunkedArray a = openUncached(store, source);
        opened.put(cacheKey, a);
        return a;
    }

    /** Opens {@code source} without keeping it (data not yet in the catalog, e.g. being registered). */
    public ChunkedArray openUncached(BlobStore store, DataSource source) throws IOException {
        ArrayReader r = byMimetype.get(source.mimetype());
        if (r == null) throw TiledException.notAllowed("No array reader for data source mimetype '" + source.mimetype() + "'; known: " + byMimetype.keySet());
        return r.open(store, source);
    }
}
