package dev.tiledgateway.core.query;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The words of full-text search: maximal runs of letters and digits (Unicode), lower-cased (root locale).
 * A node's words are those of every string value in its metadata, at any depth, inside arrays too; keys are
 * not words.
 */
public final class Words {

    private Words() {}

    /** The distinct words of a text, in order of first appearance. */
    public static Set<String> of(String text) {
        Set<String> out = new LinkedHashSet<>();
        StringBuilder w = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (Character.isLetterOrDigit(cp)) {
                w.appendCodePoint(cp);
            } else if (!w.isEmpty()) {
                out.add(w.toString().toLowerCase(Locale.ROOT));
                w.setLength(0);
            }
        });
        if (!w.isEmpty()) out.add(w.toString().toLowerCase(Locale.ROOT));
        return out;
    }

    /** The distinct words of every string in a JSON value. */
    public static Set<String> of(JsonNode value) {
        Set<String> out = new LinkedHashSet<>();
        collect(value, out);
        return out;
    }

    private static void collect(JsonNode v, Set<String> out) {
        if (v == null) return;
        if (v.isTextual()) out.addAll(of(v.textValue()));
        else if (v.isContainerNode()) for (JsonNode c : v) collect(c, out);
    }
}
