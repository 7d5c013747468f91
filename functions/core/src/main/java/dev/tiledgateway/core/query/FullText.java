package dev.tiledgateway.core.query;

import dev.tiledgateway.core.catalog.Node;

import java.util.Set;

/** {@code fulltext}: one of the text's {@link Words} is a word of the child's metadata (case-insensitive, whole words). */
public record FullText(String text) implements Query {
    public FullText {
        if (Words.of(text).isEmpty()) throw new IllegalArgumentException("full-text search needs at least one word");
    }
    public Set<String> words() { return Words.of(text); }
    @Override public String name() { return "fulltext"; }
    @Override public boolean matches(Node child) {
        Set<String> have = Words.of(child.metadata());
        for (String w : words()) if (have.contains(w)) return true;
        return false;
    }
}
