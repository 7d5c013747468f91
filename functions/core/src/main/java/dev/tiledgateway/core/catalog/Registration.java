package dev.tiledgateway.core.catalog;

/**
 * The last storage event applied for one (node path, source object) by {@link Catalog#putIfNewer} or
 * {@link Catalog#removeIfNewer}: its sequencer ({@link Sequencers#normalize normalized}) and whether it removed
 * (a tombstone).
 */
public record Registration(String source, String sequencer, boolean removed) {}
