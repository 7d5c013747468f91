package dev.tiledgateway.core.catalog;

/**
 * A stored object (or a folder of objects when {@code directory}) that a data source reads.
 * {@code key} is relative to the gateway's object store; {@code parameter} names the reader argument it feeds.
 */
public record Asset(String key, boolean directory, String parameter) {}
