package dev.tiledgateway.aws.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.error.TiledException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A listing order, reduced to what the table can serve: creation order (the {@code by_seq} index),
 * key order (the table's own sort key), or an order on metadata values that is sorted in memory.
 * Metadata values compare as the embedded catalog's SQLite {@code json_extract} does: numbers and
 * booleans (as 0/1) before text (including JSON arrays and objects, as their text), by UTF-8 bytes;
 * nodes lacking the value come last in either direction; ties go by creation order.
 */
record ChildOrder(Kind kind, int direction, List<SortKey> keys, int tieDirection) {

    enum Kind { SEQ, KEY, METADATA }

    private static final Pattern METADATA_PATH = Pattern.compile("^[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*$");

    static ChildOrder of(List<SortKey> sort) {
        int tie = 1;
        List<SortKey> keys = new ArrayList<>();
        for (SortKey k : sort) {
            if (k.isDefaultOrder()) {
                tie = k.direction();
                continue;
            }
            if (!k.key().equals("id") && !METADATA_PATH.matcher(k.metadataPath()).matches())
                throw TiledException.badRequest("Cannot sort by '" + k.key() + "'");
            keys.add(k);
        }
        if (keys.isEmpty()) return new ChildOrder(Kind.SEQ, tie, List.of(), tie);
        // Keys are unique among siblings: whatever follows "id" cannot matter.
        if (keys.get(0).key().equals("id")) return new ChildOrder(Kind.KEY, keys.get(0).direction(), List.of(keys.get(0)), tie);
        return new ChildOrder(Kind.METADATA, 1, List.copyOf(keys), tie);
    }

    /** A child with its creation sequence number, for in-memory sorting. */
    record Entry(Node node, long seq) {}

    Comparator<Entry> comparator() {
        Comparator<Entry> c = null;
        for (SortKey k : keys) {
            Comparator<Entry> next = k.key().equals("id")
                    ? Comparator.comparing((Entry e) -> utf8(e.node().path().key()), Arrays::compareUnsigned)
                    : byMetadata(k.metadataPath().split("\\."), k.direction());
            if (k.key().equals("id") && k.direction() < 0) next = next.reversed();
            c = c == null ? next : c.thenComparing(next);
        }
        Comparator<Entry> tie = Comparator.comparingLong(Entry::seq);
        if (tieDirection < 0) tie = tie.reversed();
        return c == null ? tie : c.thenComparing(tie);
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
    static JsonNode lookup(Node node, String[] path) {
        JsonNode v = node.metadata();
        for (String p : path) {
            if (v == null || !v.isObject()) return null;
            v = v.get(p);
        }
        return v == null || v.isNull() || v.isMissingNode() ? null : v;
    }

    private static int compareValues(JsonNode x, JsonNode y) {
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
