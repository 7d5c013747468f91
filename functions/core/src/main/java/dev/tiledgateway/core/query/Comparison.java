package dev.tiledgateway.core.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.catalog.Node;

/** {@code comparison}: the value at {@code key} is ordered against {@code value} as {@code operator} says; incomparable values ({@link Values#compare}) never match. */
public record Comparison(Operator operator, String key, JsonNode value) implements Query {

    public enum Operator {
        LT, GT, LE, GE;

        public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

        boolean holds(int order) {
            return switch (this) {
                case LT -> order < 0;
                case GT -> order > 0;
                case LE -> order <= 0;
                case GE -> order >= 0;
            };
        }
    }

    public Comparison { Values.path(key); }
    @Override public String name() { return "comparison"; }
    @Override public boolean matches(Node child) {
        JsonNode v = Values.lookup(child, Values.path(key));
        if (v == null) return false;
        Integer order = Values.compare(v, value);
        return order != null && operator.holds(order);
    }
}
