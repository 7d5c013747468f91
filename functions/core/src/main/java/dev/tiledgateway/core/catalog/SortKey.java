package dev.tiledgateway.core.catalog;

/**
 * One item of a listing order. {@code key} "" is the container's default (creation) order,
 * "_" Tiled's "given order" (the same here), "id" the node key, anything else a metadata path.
 */
public record SortKey(String key, int direction) {

    public SortKey {
        if (direction != 1 && direction != -1) throw new IllegalArgumentException("direction must be 1 or -1");
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isDefaultOrder() { return key.isEmpty() || key.equals("_"); }

    /** The metadata path this key sorts by, without an optional leading "metadata.". */
    public String metadataPath() { return key.startsWith("metadata.") ? key.substring("metadata.".length()) : key; }
}
