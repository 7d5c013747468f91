package dev.tiledgateway.core.query;

import com.fasterxml.jackson.databind.JsonNode;

import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The words of full-text search. A text is first put in Unicode normal form NFKC (so a precomposed {@code é}
 * and {@code e} + combining accent are one letter, and a full-width {@code Ａ} is {@code A}); its words are then
 * the maximal runs of letters, digits and combining marks (so an accent never splits a word), each folded
 * code point by code point (upper-cased, then lower-cased, without locale: {@code Σ}, {@code σ} and {@code ς}
 * all fold to {@code σ}, {@code K} (Kelvin) to {@code k}; {@code ß} stays {@code ß}). Scripts written without
 * spaces are not segmented: a run of CJK characters is one word. A node's words are those of every string
 * value in its metadata, at any depth, inside arrays too; keys are not words.
 *
 * <p>An index should store the words this class yields rather than re-tokenize: another tokenizer (FTS5's
 * {@code unicode61}, for one, removes diacritics and does not normalize) disagrees on accents and folding.
 */
public final class Words {

    private Words() {}

    /** The distinct words of a text, in order of first appearance. */
    public static Set<String> of(String text) {
        Set<String> out = new LinkedHashSet<>();
        String normal = Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder w = new StringBuilder();
        normal.codePoints().forEach(cp -> {
            if (isWordChar(cp)) {
                w.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp)));
            } else if (!w.isEmpty()) {
                out.add(w.toString());
                w.setLength(0);
            }
        });
        if (!w.isEmpty()) out.add(w.toString());
        return out;
    }

    private static boolean isWordChar(int cp) {
        if (Character.isLetterOrDigit(cp)) return true;
        int t = Character.getType(cp);
        return t == Character.NON_SPACING_MARK || t == Character.COMBINING_SPACING_MARK || t == Character.ENCLOSING_MARK;
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
