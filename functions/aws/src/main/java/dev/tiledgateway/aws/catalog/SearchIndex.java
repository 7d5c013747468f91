package dev.tiledgateway.aws.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.query.Words;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which search index items a node has, and how values are written into their keys (TABLE-DESIGN.md, "Search
 * index"). Pure functions: the writes put and delete what {@link #entries} says, the search reads the same keys.
 * The index only has to over-include (every match has an item): the search evaluates each candidate anyway.
 */
final class SearchIndex {

    static final String PREFIX = "#ix";
    /** Separates the string body of a value from what follows; no body contains it. */
    static final String T = "\u0001\u0001";
    /** The most index items of one node (markers aside): a node write's other actions plus these fit 100. */
    static final int MAX_ITEMS = 90;
    /** The most bytes of the node's {@code ix} list, so that a node item with a 350 KiB document stays under 400 KB. */
    static final int MAX_LIST_BYTES = 24 * 1024;
    /** Containers whose own partition key is longer get no index (their index keys would not fit 2048 bytes). */
    static final int MAX_CONTAINER_PK_BYTES = 1700;
    static final int MAX_PATH_BYTES = 256;
    /** String values are indexed by their first this many characters (code points: at most 400 bytes of UTF-8). */
    static final int MAX_STRING_CHARS = 100;
    static final int MAX_WORD_BYTES = 64;
    static final int MAX_SPEC_BYTES = 256;

    static final String VALUES = "v:";
    static final String WORDS = "w:";
    static final String SPECS = "p:";
    static final String FAMILY = "f:";
    static final String MARKERS = "~";

    /** The kinds of index a node may be missing, as written in its partial marker. */
    enum Kind {
        BASE('b'), VALUES('v'), WORDS('w');

        final char code;

        Kind(char code) { this.code = code; }

        static Kind of(char c) {
            for (Kind k : values()) if (k.code == c) return k;
            return null;
        }
    }

    /** One index item of a node: the partition's term (its {@code pk} after the container's prefix) and its sort key. */
    record Entry(String term, String sk) {
        int bytes() { return utf8(term) + utf8(sk); }
    }

    private SearchIndex() {}

    /** Whether the children of {@code container} are indexed at all. */
    static boolean indexable(NodePath container) {
        return utf8(CatalogTable.childPk(container)) <= MAX_CONTAINER_PK_BYTES;
    }

    /** The prefix of every index partition of {@code container}'s children. */
    static String prefix(NodePath container) {
        return PREFIX + (container.isRoot() ? "" : "/" + container.joined()) + "//";
    }

    static String pk(NodePath container, String term) { return prefix(container) + term; }

    static String seq12(long seq) { return String.format("%012d", seq); }

    /** The sequence number at the end of an index item's sort key. */
    static long seqOf(String sk) { return Long.parseLong(sk.substring(sk.length() - 12)); }

    // ---- what a node is indexed under

    /** The index items of {@code node}, the child with sequence number {@code seq} of a container that is {@link #indexable}. */
    static List<Entry> entries(Node node, long seq) {
        String s = seq12(seq);
        Set<Entry> base = new LinkedHashSet<>();
        base.add(new Entry(FAMILY + node.family().wire(), s));
        for (Spec spec : node.specs()) base.add(new Entry(SPECS + cut(spec.name(), MAX_SPEC_BYTES), s));
        Set<Entry> values = new LinkedHashSet<>();
        if (node.metadata() != null) walk(node.metadata(), null, s, values);
        Set<Entry> words = new LinkedHashSet<>();
        for (String w : Words.of(node.metadata())) words.add(new Entry(WORDS + cut(w, MAX_WORD_BYTES), s));

        List<Entry> out = new ArrayList<>(base);
        int bytes = bytes(base);
        boolean withValues = out.size() + values.size() <= MAX_ITEMS && bytes + bytes(values) <= MAX_LIST_BYTES;
        if (withValues) {
            out.addAll(values);
            bytes += bytes(values);
        }
        boolean withWords = out.size() + words.size() <= MAX_ITEMS && bytes + bytes(words) <= MAX_LIST_BYTES;
        if (withWords) out.addAll(words);
        if (!withValues) out.add(marker(Kind.VALUES, seq));
        if (!withWords) out.add(marker(Kind.WORDS, seq));
        return out;
    }

    /** The items of a node found through markers only: what a replacement too large for one transaction writes first. */
    static List<Entry> allPartial(long seq) {
        return List.of(marker(Kind.BASE, seq), marker(Kind.VALUES, seq), marker(Kind.WORDS, seq));
    }

    static Entry marker(Kind kind, long seq) { return new Entry(MARKERS, kind.code + seq12(seq)); }

    private static void walk(ObjectNode object, String at, String seq, Set<Entry> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            if (name.isEmpty() || name.indexOf('.') >= 0) continue; // no dotted key reaches it
            String path = at == null ? name : at + "." + name;
            JsonNode v = f.getValue();
            if (v instanceof ObjectNode o) {
                walk(o, path, seq, out);
            } else {
                String p = valuePrefix(v);
                if (p != null) out.add(new Entry(VALUES + cut(path, MAX_PATH_BYTES), p + seq));
            }
        }
    }

    private static int bytes(Iterable<Entry> entries) {
        int n = 0;
        for (Entry e : entries) n += e.bytes();
        return n;
    }

    // ---- how values are written into sort keys

    /** The partition term of the value items at a dotted key path. */
    static String valueTerm(String keyPath) { return VALUES + cut(keyPath, MAX_PATH_BYTES); }

    static String wordTerm(String word) { return WORDS + cut(word, MAX_WORD_BYTES); }

    static String specTerm(String name) { return SPECS + cut(name, MAX_SPEC_BYTES); }

    static String familyTerm(String wire) { return FAMILY + wire; }

    /**
     * {@code tag + body + T} of a scalar value: the prefix of the sort keys of every item of an equal value (and
     * perhaps a few more); null for arrays and objects, which are not indexed.
     */
    static String valuePrefix(JsonNode v) {
        if (v == null || v.isMissingNode()) return null;
        if (v.isNull()) return "z" + T;
        if (v.isBoolean()) return (v.booleanValue() ? "b1" : "b0") + T;
        if (v.isNumber()) return "n" + number(v.doubleValue()) + T;
        if (v.isTextual()) return "s" + string(v.textValue()) + T;
        return null;
    }

    /**
     * The inclusive range of sort keys holding every number (or every string) ordered against {@code v} as
     * {@code below} says: below (or equal to) it when true, above (or equal to) it when false. Null when
     * {@code v} is neither a number nor a string (nothing is ordered against it).
     */
    static String[] range(JsonNode v, boolean below) {
        String tag;
        String body;
        if (v.isNumber()) {
            tag = "n";
            body = number(v.doubleValue());
        } else if (v.isTextual()) {
            tag = "s";
            body = string(v.textValue());
        } else {
            return null;
        }
        // Every item of a value at or below the bound sorts before tag+body+T+"~" (seq digits < '~'); every item at
        // or above it sorts after tag+body; the next tag letter is past all of this type.
        return below ? new String[] {tag, tag + body + T + "~"} : new String[] {tag + body, tag.equals("n") ? "o" : "t"};
    }

    /** Numbers as 16 hex digits whose string order is numeric order (IEEE 754 bits, sign handled; -0 as 0). */
    static String number(double d) {
        if (d == 0) d = 0.0; // -0.0 == 0.0
        long bits = Double.doubleToLongBits(d);
        bits = bits >= 0 ? bits ^ Long.MIN_VALUE : ~bits;
        String hex = Long.toHexString(bits);
        return "0".repeat(16 - hex.length()) + hex;
    }

    /**
     * A string's first {@link #MAX_STRING_CHARS} characters, with U+0000 and U+0001 escaped (order kept, {@link #T} never
     * inside). Cutting at a number of characters keeps the order (a &lt;= b implies cut(a) &lt;= cut(b)); cutting at a
     * number of bytes, at a character's boundary, would not.
     */
    static String string(String s) {
        String clean = new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8); // lone surrogates as '?'
        String cut = clean.codePointCount(0, clean.length()) <= MAX_STRING_CHARS ? clean
                : clean.substring(0, clean.offsetByCodePoints(0, MAX_STRING_CHARS));
        StringBuilder b = new StringBuilder(cut.length() + 4);
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (c == 0) b.append('\u0001').append('\u0002');
            else if (c == 1) b.append('\u0001').append('\u0003');
            else b.append(c);
        }
        return b.toString();
    }

    /**
     * The longest prefix of {@code s} of at most {@code max} UTF-8 bytes that ends at a character; lone surrogates
     * become '?' first, as they do in {@code Values.compare}'s UTF-8 and in DynamoDB.
     */
    static String cut(String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= max) return new String(b, StandardCharsets.UTF_8);
        int end = max;
        while (end > 0 && (b[end] & 0xC0) == 0x80) end--; // b[end] is a continuation byte: back up to its lead
        return new String(Arrays.copyOf(b, end), StandardCharsets.UTF_8);
    }

    /** UTF-8 byte order, DynamoDB's order of string keys. */
    static int compare(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    static int utf8(String s) { return s.getBytes(StandardCharsets.UTF_8).length; }
}
