package dev.tiledgateway.core.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.catalog.Node;

/** {@code contains}: the value at {@code key} is a JSON array with an element equal to {@code value} (a string is not searched). */
public record Contains(String key, JsonNode value) implements Query {
    public Contains { Values.path(key); }
    @Override public String name() { return "contains"; }
    @Override public boolean matches(Node child) {
        JsonNode v = Values.lookup(child, Values.path(key));
        if (v == null || !v.isArray()) return false;
        for (JsonNode e : v) if (Values.equal(e, value)) return true;
        return false;
    }
}
