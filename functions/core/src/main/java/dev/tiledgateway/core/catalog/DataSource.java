package dev.tiledgateway.core.catalog;

import java.util.List;

/** Where a node's data lives and how to read it: a format (by mimetype) over assets. */
public record DataSource(String mimetype, List<Asset> assets) {
    public DataSource {
        assets = List.copyOf(assets);
    }

    public Asset asset(String parameter) {
        for (Asset a : assets) if (parameter.equals(a.parameter())) return a;
        throw new IllegalStateException("data source has no asset for parameter " + parameter);
    }
}
