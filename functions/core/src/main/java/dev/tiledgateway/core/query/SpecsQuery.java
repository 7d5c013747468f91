package dev.tiledgateway.core.query;

import dev.tiledgateway.core.catalog.Node;

import java.util.List;

/** {@code specs}: every name of {@code include} is among the child's spec names and none of {@code exclude} is. */
public record SpecsQuery(List<String> include, List<String> exclude) implements Query {
    public SpecsQuery { include = List.copyOf(include); exclude = List.copyOf(exclude); }
    @Override public String name() { return "specs"; }
    @Override public boolean matches(Node child) {
        for (String s : include) if (!child.hasSpec(s)) return false;
        for (String s : exclude) if (child.hasSpec(s)) return false;
        return true;
    }
}
