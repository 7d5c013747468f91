package dev.tiledgateway.core.query;

import dev.tiledgateway.core.catalog.Node;

import java.util.List;

/** {@code keys_filter}: the child's key is one of {@code keys}. */
public record KeysFilter(List<String> keys) implements Query {
    public KeysFilter { keys = List.copyOf(keys); }
    @Override public String name() { return "keys_filter"; }
    @Override public boolean matches(Node child) { return keys.contains(child.path().key()); }
}
