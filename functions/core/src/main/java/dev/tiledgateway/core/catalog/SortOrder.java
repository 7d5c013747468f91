package dev.tiledgateway.core.catalog;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The order of a sorted listing, for catalogs that sort in memory. Keys as in {@link SortKey}: "id" is the node
 * key (by UTF-8 bytes), others are metadata paths. Metadata values compare as SQLite's {@code json_extract}
 * results do (what the embedded catalog sorts by): numbers and booleans (as 0 and 1) first, by value, then
 * text (JSON arrays and objects as their JSON text) by UTF-8 bytes; children lacking the value (or holding
 * JSON null) come last in either direction. Ties go by creation order, reversed when the default key is given
 * descending.
 */
public final class SortOrder {

    /** A child and its creation position (any number that grows with creation). */
    public record Entry(Node node, long position) {}

    private SortOrder() {}

    /** The order of {@code sort} (default order when empty or only the default key). */
    public static Comparator<Entry> comparator(List<SortKey> sort) {
        Comparator<Entry> c = null;
        int tie = 1;
        for (SortKey k : sort) {
            if (k.isDefaultOrder()) {
                tie = k.direction();
                continue;
            }
            Comparator<Entry> next = k.key().equals("id")
                    ? Comparator.comparing((Entry e) -> utf8(e.node().path().key()), Arrays::compareUnsigned)
                    : byMetadata(k.metadataPath().split("\\."), k.direction());
            if (k.key().equals("id") && k.direction() < 0) next = next.reversed();
            c = c == null ? next : c.thenComparing(next);
        }
        Comparator<Entry> ties = Comparator.comparingLong(Entry::position);
        if (tie < 0) ties = ties.reversed();
        return c == null ? ties : c.thenComparing(ties);
    }

    private static Comparator<Entry> byMetadata(String[] path, int direction) {
        return (a, b) -> {
            JsonNode x = lookup(a.node(), path);
            JsonNode y = lookup(b.node(), path);
            if (x == null || y == null) return x == null ? (y == null ? 0 : 1) : -1;
            return direction * compareValues(x, y);
        };
    }

    /** The value at a dotted path, or null when missing or JSON null (both sort last). */
    public static JsonNode lookup(Node node, String[] path) {
        JsonNode v = node.metadata();
        for (String p : path) {
            if (v == null || !v.isObject()) return null;
            v = v.get(p);
        }
        return v == null || v.isNull() || v.isMissingNode() ? null : v;
    }

    /** The json_extract order of two present values. */
    public static int compareValues(JsonNode x, JsonNode y) {
        boolean xn = x.isNumber() || x.isBoolean();
        boolean yn = y.isNumber() || y.isBoolean();
        if (xn && yn) return Double.compare(numeric(x), numeric(y));
        if (xn != yn) return xn ? -1 : 1;
        return Arrays.compareUnsigned(utf8(text(x)), utf8(text(y)));
    }

    private static double numeric(JsonNode v) { return v.isBoolean() ? (v.booleanValue() ? 1 : 0) : v.doubleValue(); }

    private static String text(JsonNode v) { return v.isTextual() ? v.textValue() : v.toString(); }

    private static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
