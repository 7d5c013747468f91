package dev.tiledgateway.core.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.catalog.Node;

import java.util.List;

/**
 * {@code notin}: the key is present and its value equals none of {@code values}; an empty list matches every
 * child, with the key or without (nothing can be in an empty list), as a database's {@code NOT IN ()} does.
 */
public record NotIn(String key, List<JsonNode> values) implements Query {
    public NotIn { Values.path(key); values = List.copyOf(values); }
    @Override public String name() { return "notin"; }
    @Override public boolean matches(Node child) {
        if (values.isEmpty()) return true;
        JsonNode v = Values.lookup(child, Values.path(key));
        if (v == null) return false;
        for (JsonNode x : values) if (Values.equal(v, x)) return false;
        return true;
    }
}
