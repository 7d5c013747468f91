package dev.tiledgateway.core.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.catalog.Node;

/** {@code noteq}: the key is present and its value differs from {@code value}. */
public record NotEq(String key, JsonNode value) implements Query {
    public NotEq { Values.path(key); }
    @Override public String name() { return "noteq"; }
    @Override public boolean matches(Node child) {
        JsonNode v = Values.lookup(child, Values.path(key));
        return v != null && !Values.equal(v, value);
    }
}
