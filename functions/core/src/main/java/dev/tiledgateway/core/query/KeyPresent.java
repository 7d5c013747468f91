package dev.tiledgateway.core.query;

import dev.tiledgateway.core.catalog.Node;

/** {@code keypresent}: the key path reaches a value (a JSON null counts), or, with {@code exists} false, reaches none. */
public record KeyPresent(String key, boolean exists) implements Query {
    public KeyPresent { Values.path(key); }
    @Override public String name() { return "keypresent"; }
    @Override public boolean matches(Node child) {
        return (Values.lookup(child, Values.path(key)) != null) == exists;
    }
}
