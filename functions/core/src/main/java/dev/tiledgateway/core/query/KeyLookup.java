package dev.tiledgateway.core.query;

import dev.tiledgateway.core.catalog.Node;

/** {@code lookup}: the child whose key is {@code key} (what {@code node.search(...)[key]} sends). */
public record KeyLookup(String key) implements Query {
    @Override public String name() { return "lookup"; }
    @Override public boolean matches(Node child) { return child.path().key().equals(key); }
}
