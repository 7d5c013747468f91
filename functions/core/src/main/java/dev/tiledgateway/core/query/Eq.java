package dev.tiledgateway.core.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.catalog.Node;

/** {@code eq}: the value at {@code key} equals {@code value} ({@link Values#equal}); a missing key never matches. */
public record Eq(String key, JsonNode value) implements Query {
    public Eq { Values.path(key); }
    @Override public String name() { return "eq"; }
    @Override public boolean matches(Node child) {
        JsonNode v = Values.lookup(child, Values.path(key));
        return v != null && Values.equal(v, value);
    }
}
