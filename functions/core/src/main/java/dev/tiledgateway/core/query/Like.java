package dev.tiledgateway.core.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.catalog.Node;

/**
 * {@code like}: the value at {@code key} is a string matching the SQL LIKE {@code pattern} as a whole:
 * {@code %} any run of characters, {@code _} exactly one character (a code point), everything else itself,
 * case-sensitive (as PostgreSQL's LIKE); there is no escape character.
 */
public record Like(String key, String pattern) implements Query {
    public Like { Values.path(key); }
    @Override public String name() { return "like"; }
    @Override public boolean matches(Node child) {
        JsonNode v = Values.lookup(child, Values.path(key));
        return v != null && v.isTextual() && like(v.textValue(), pattern);
    }

    /** Whole-string LIKE match, linear in text × pattern (no backtracking blow-up). */
    public static boolean like(String text, String pattern) {
        int[] t = text.codePoints().toArray();
        int[] p = pattern.codePoints().toArray();
        boolean[] prev = new boolean[t.length + 1];
        boolean[] cur = new boolean[t.length + 1];
        prev[0] = true;
        for (int pc : p) {
            cur[0] = pc == '%' && prev[0];
            for (int i = 1; i <= t.length; i++) {
                if (pc == '%') cur[i] = prev[i] || cur[i - 1];
                else cur[i] = prev[i - 1] && (pc == '_' || pc == t[i - 1]);
            }
            boolean[] s = prev; prev = cur; cur = s;
        }
        return prev[t.length];
    }
}
