package dev.tiledgateway.core.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;

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
        if (xn && yn) return compareNumbers(x, y);
        if (xn != yn) return xn ? -1 : 1;
        return Arrays.compareUnsigned(utf8(text(x)), utf8(text(y)));
    }

    /**
     * As SQLite compares what json_extract returns: an INTEGER for booleans and integers within 64 bits, a REAL
     * (double) for anything else; INTEGER with INTEGER and REAL with REAL by value (so -0.0 ties with 0.0), and an
     * INTEGER with a REAL exactly, not by converting the integer to a double.
     */
    private static int compareNumbers(JsonNode x, JsonNode y) {
        boolean xi = isInteger(x), yi = isInteger(y);
        if (xi && yi) return Long.compare(integer(x), integer(y));
        if (!xi && !yi) {
            double a = x.doubleValue(), b = y.doubleValue();
            return a < b ? -1 : a > b ? 1 : 0;
        }
        return xi ? compareIntegerWithReal(integer(x), y.doubleValue()) : -compareIntegerWithReal(integer(y), x.doubleValue());
    }

    private static boolean isInteger(JsonNode v) {
        return v.isBoolean() || (v.isIntegralNumber() && v.canConvertToLong());
    }

    private static long integer(JsonNode v) { return v.isBoolean() ? (v.booleanValue() ? 1 : 0) : v.longValue(); }

    private static int compareIntegerWithReal(long i, double r) {
        if (r >= 0x1p63) return -1;
        if (r < -0x1p63) return 1;
        long t = (long) r; // exact for |r| >= 2^52, where r has no fraction
        if (i != t) return Long.compare(i, t);
        double fraction = r - t;
        return fraction > 0 ? -1 : fraction < 0 ? 1 : 0;
    }

    private static String text(JsonNode v) { return v.isTextual() ? v.textValue() : Json.text(v); }

    private static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    /**
     * The node reduced to what {@code sort} compares: its path, family, revision and the metadata values at the
     * sort's metadata paths. Sorting many children keeps these rather than whole nodes.
     */
    public static Node slim(Node node, List<SortKey> sort) {
        com.fasterxml.jackson.databind.node.ObjectNode m = Json.object();
        for (SortKey k : sort) {
            if (k.isDefaultOrder() || k.key().equals("id")) continue;
            String[] path = k.metadataPath().split("\\.");
            JsonNode v = lookup(node, path);
            if (v == null) continue;
            com.fasterxml.jackson.databind.node.ObjectNode at = m;
            for (int i = 0; i < path.length - 1; i++)
                at = at.get(path[i]) instanceof com.fasterxml.jackson.databind.node.ObjectNode o ? o : at.putObject(path[i]);
            at.set(path[path.length - 1], v);
        }
        return new Node(node.path(), node.family(), m, List.of(), null, null, null, node.revision());
    }
}
