package dev.tiledgateway.core.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.catalog.Node;

import java.util.regex.Pattern;

/**
 * {@code regex}: the value at {@code key} is a string in which {@code pattern} finds a match (a search, not a
 * whole-string match), case-insensitively when {@code caseSensitive} is false.
 */
public record Regex(String key, String pattern, boolean caseSensitive) implements Query {
    public Regex { Values.path(key); }
    @Override public String name() { return "regex"; }
    public Pattern compiled() {
        return Pattern.compile(pattern, caseSensitive ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }
    @Override public boolean matches(Node child) {
        JsonNode v = Values.lookup(child, Values.path(key));
        return v != null && v.isTextual() && compiled().matcher(v.textValue()).find();
    }
}
