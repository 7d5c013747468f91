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
public record DataSource(String mimetype, List<Asset> assets, @JsonInclude(JsonInclude.Include.NON_NULL) String fingerprint,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String management) {

    /** Data registered from objects the gateway did not write (the indexer, {@code register}): never modified or deleted by it. */
    public static final String EXTERNAL = "external";
    /** Data the gateway wrote through the API, in its managed area: rewritten by writes, removed with the node. */
    public static final String WRITABLE = "writable";

    public DataSource {
        assets = List.copyOf(assets);
        if (management != null && !management.equals(EXTERNAL) && !management.equals(WRITABLE))
            throw new IllegalArgumentException("management must be " + EXTERNAL + " or " + WRITABLE + ", not " + management);
        if (EXTERNAL.equals(management)) management = null;
    }

    public DataSource(String mimetype, List<Asset> assets, String fingerprint) {
        this(mimetype, assets, fingerprint, null);
    }

    public DataSource(String mimetype, List<Asset> assets) {
        this(mimetype, assets, null, null);
    }

    /** A data source of data the gateway writes itself ({@link #WRITABLE}). */
    public static DataSource writable(String mimetype, List<Asset> assets) {
        return new DataSource(mimetype, assets, null, WRITABLE);
    }

    /** {@link #EXTERNAL} or {@link #WRITABLE}, as Tiled names them ({@code management} is stored only for writable data). */
    public String managementName() { return management == null ? EXTERNAL : management; }

    public boolean writable() { return WRITABLE.equals(management); }

    public DataSource withFingerprint(String f) {
        return new DataSource(mimetype, assets, f, management);
    }

    public Asset asset(String parameter) {
        for (Asset a : assets) if (parameter.equals(a.parameter())) return a;
        throw new IllegalStateException("data source has no asset for parameter " + parameter);
    }
}
