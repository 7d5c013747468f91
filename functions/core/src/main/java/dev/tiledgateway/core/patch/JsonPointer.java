package dev.tiledgateway.core.patch;

import java.util.ArrayList;
import java.util.List;

/** A JSON Pointer (RFC 6901): the reference tokens of a path such as {@code /a~1b/0}, unescaped. */
record JsonPointer(List<String> tokens) {

    static JsonPointer parse(String text, int opIndex) {
        if (text.isEmpty()) return new JsonPointer(List.of());
        if (text.charAt(0) != '/') throw JsonPatch.malformed(opIndex, "has the path '" + text + "', which is not a JSON Pointer (it must be empty or start with '/')");
        List<String> tokens = new ArrayList<>();
        for (String raw : text.substring(1).split("/", -1)) {
            StringBuilder t = new StringBuilder(raw.length());
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c != '~') {
                    t.append(c);
                    continue;
                }
                char next = i + 1 < raw.length() ? raw.charAt(i + 1) : ' ';
                if (next != '0' && next != '1') throw JsonPatch.malformed(opIndex, "has the path '" + text + "', whose '~' is not followed by 0 or 1");
                t.append(next == '0' ? '~' : '/');
                i++;
            }
            tokens.add(t.toString());
        }
        return new JsonPointer(List.copyOf(tokens));
    }

    /** The array index a token spells (digits, no leading zero), or -1. */
    static int arrayIndex(String token) {
        if (token.isEmpty() || token.length() > 9 || (token.length() > 1 && token.charAt(0) == '0')) return -1;
        for (int i = 0; i < token.length(); i++) if (token.charAt(i) < '0' || token.charAt(i) > '9') return -1;
        return Integer.parseInt(token);
    }

    boolean isRoot() { return tokens.isEmpty(); }

    int size() { return tokens.size(); }

    String token(int i) { return tokens.get(i); }

    String last() { return tokens.get(tokens.size() - 1); }

    JsonPointer parent() { return new JsonPointer(tokens.subList(0, tokens.size() - 1)); }

    boolean isProperPrefixOf(JsonPointer other) {
        return tokens.size() < other.tokens.size() && other.tokens.subList(0, tokens.size()).equals(tokens);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (String t : tokens) b.append('/').append(t.replace("~", "~0").replace("/", "~1"));
        return b.toString();
    }
}
