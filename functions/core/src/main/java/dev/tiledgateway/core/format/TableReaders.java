package dev.tiledgateway.core.format;

import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.table.TableReader;
import dev.tiledgateway.core.table.TableSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** The table-format registry (by data-source mimetype) with a small cache of opened tables by node revision. */
public final class TableReaders {

    private final Map<String, TableReader> byMimetype = new LinkedHashMap<>();
    private final Map<String, TableSource> opened;

    public TableReaders(List<TableReader> readers, int cacheSize) {
        for (TableReader r : readers) for (String m : r.mimetypes()) byMimetype.putIfAbsent(m, r);
        this.opened = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TableSource> e) { return size() > cacheSize; }
        });
    }

    public static TableReaders discover() {
        List<TableReader> readers = new ArrayList<>();
        ServiceLoader.load(TableReader.class).forEach(readers::add);
        return new TableReaders(readers, 64);
    }

    public boolean handles(String mimetype) { return byMimetype.containsKey(mimetype); }

    public TableSource open(BlobStore store, Node node) throws IOException {
        if (node.dataSource() == null) throw TiledException.notFound("Node " + node.path() + " has no data source");
        String key = node.dataKey();
        TableSource cached = opened.get(key);
        if (cached != null) return cached;
        TableSource t = openUncached(store, node.dataSource());
        opened.put(key, t);
        return t;
    }

    /** Opens {@code source} without keeping it (data not yet in the catalog, e.g. being registered). */
    public TableSource openUncached(BlobStore store, DataSource source) throws IOException {
        TableReader r = byMimetype.get(source.mimetype());
        if (r == null) throw TiledException.notAllowed("No table reader for data source mimetype '" + source.mimetype() + "'; known: " + byMimetype.keySet());
        return r.open(store, source);
    }
}
