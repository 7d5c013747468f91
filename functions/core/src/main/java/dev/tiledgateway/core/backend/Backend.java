package dev.tiledgateway.core.backend;

import dev.tiledgateway.core.auth.ApiKeyStore;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.store.BlobStore;

/**
 * The storage a gateway serves from: a catalog, an object store, and the API keys (kept in the catalog's storage),
 * built once per process. {@code apiKeys} is null where a backend is assembled only to register data (the indexer).
 */
public record Backend(Catalog catalog, BlobStore store, ApiKeyStore apiKeys) {

    public Backend(Catalog catalog, BlobStore store) { this(catalog, store, null); }
}
