package dev.tiledgateway.core.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.catalog.Node;

import java.util.List;

/** {@code in}: the value at {@code key} equals one of {@code values}; an empty list matches nothing. */
public record In(String key, List<JsonNode> values) implements Query {
    public In { Values.path(key); values = List.copyOf(values); }
    @Override public String name() { return "in"; }
    @Override public boolean matches(Node child) {
        JsonNode v = Values.lookup(child, Values.path(key));
        if (v == null) return false;
        for (JsonNode x : values) if (Values.equal(v, x)) return true;
        return false;
    }
}
