package dev.tiledgateway.local;

import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.query.Query;
import dev.tiledgateway.core.query.QueryFields;
import dev.tiledgateway.core.query.QueryType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A query type from outside core, registered only through {@code META-INF/services} in the test resources:
 * {@code filter[key_prefix][condition][prefix]=r} keeps the children whose key starts with {@code r}.
 */
public final class KeyPrefixQueryType implements QueryType {

    /** The query: a key prefix. No catalog indexes it, so every catalog answers it with {@link #matches}. */
    record KeyPrefix(String prefix) implements Query {
        @Override public String name() { return "key_prefix"; }
        @Override public boolean matches(Node child) { return child.path().key().startsWith(prefix); }
    }

    @Override
    public String name() { return "key_prefix"; }

    @Override
    public List<Query> parse(Map<String, List<String>> fields) {
        List<Query> out = new ArrayList<>();
        for (QueryFields row : QueryFields.rows(name(), fields, Set.of("prefix"), Set.of())) out.add(new KeyPrefix(row.nonEmpty("prefix")));
        return out;
    }
}
