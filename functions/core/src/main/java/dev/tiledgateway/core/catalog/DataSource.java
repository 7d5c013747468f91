package dev.tiledgateway.core.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * Where a node's data lives and how to read it: a format (by mimetype) over assets.
 *
 * <p>{@code fingerprint} identifies the stored bytes the node was read from (see
 * {@link dev.tiledgateway.core.store.ObjectVersion}): registration sets it, and it changes whenever those bytes
 * change, so the node's revision, ETags and cache keys change with them. Null where the gateway wrote the
 * data itself and replaces the node whenever it rewrites it. It is never shown to clients.
 */
public record DataSource(String mimetype, List<Asset> assets, @JsonInclude(JsonInclude.Include.NON_NULL) String fingerprint) {
    public DataSource {
        assets = List.copyOf(assets);
    }

    public DataSource(String mimetype, List<Asset> assets) {
        this(mimetype, assets, null);
    }

    public DataSource withFingerprint(String f) {
        return new DataSource(mimetype, assets, f);
    }

    public Asset asset(String parameter) {
        for (Asset a : assets) if (parameter.equals(a.parameter())) return a;
        throw new IllegalStateException("data source has no asset for parameter " + parameter);
    }
}
