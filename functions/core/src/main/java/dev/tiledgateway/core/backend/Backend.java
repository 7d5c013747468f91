package dev.tiledgateway.core.backend;

import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.store.BlobStore;

/** The storage a gateway serves from: a catalog and an object store, built once per process. */
public record Backend(Catalog catalog, BlobStore store) {}
