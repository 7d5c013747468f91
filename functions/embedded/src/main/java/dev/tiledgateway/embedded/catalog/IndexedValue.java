package dev.tiledgateway.embedded.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.query.Values;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One row of the metadata value index ({@code node_values}): a value a node's metadata holds at a dotted key, or
 * an element of the array there, encoded so that SQL comparisons on the row give exactly
 * {@link dev.tiledgateway.core.query.Values}'s answers.
 *
 * <ul>
 *   <li>Numbers: {@code num} is the value as a double. Values compares numbers as the decimals they were written
 *       as (a double as its shortest decimal); SQLite compares the doubles. The two orders agree unless an integer
 *       of magnitude 2<sup>53</sup> or more is involved (9007199254740993 is not 9007199254740992.0, but their
 *       doubles are equal): such a stored integer is {@code loose}, and such a query value is checked node by node
 *       ({@link #exactNumber}). -0.0 equals 0 in both.</li>
 *   <li>Strings: {@code txt}, compared by SQLite's BINARY collation (UTF-8 bytes, as Values).</li>
 *   <li>Booleans: {@code num} 1 or 0. Null: the kind alone. Booleans, nulls, arrays and objects are never ordered.</li>
 *   <li>Arrays and objects: {@code txt} is a {@link Values#canonical} text; two values are equal exactly when their
 *       canonical texts are (integers spelled exactly, doubles as their shortest decimal, as Values compares them).</li>
 * </ul>
 *
 * <p>For numbers and booleans too {@code txt} is the canonical text, so {@code GROUP BY kind, txt} groups equal
 * values as distinct must; {@code json} is the value's JSON text, read back as the group's first value. A
 * {@code loose} row is one whose SQL answer may differ from Values' (huge integers as above, strings holding NUL,
 * where GLOB stops, or an array or object past the text budget, stored without text): a filter whose key has loose
 * rows in the container is checked node by node on the rows it selects.
 */
record IndexedValue(String key, boolean element, int kind, Double num, String txt, String json, boolean loose) {

    static final int NULL = 0, BOOLEAN = 1, NUMBER = 2, STRING = 3, ARRAY = 4, OBJECT = 5;

    /** Integers from this magnitude on do not all convert to distinct doubles. */
    private static final double EXACT_DOUBLE_LIMIT = 0x1p53;

    /**
     * The most characters of canonical and JSON text one node's rows may hold beyond twice its metadata's size:
     * deep nesting would otherwise repeat each object's text once per enclosing object. Values beyond the budget are
     * stored without text, loose.
     */
    private static final int TEXT_BUDGET_SLACK = 64 * 1024;

    /**
     * The rows of a node's metadata: for every key path that {@link dev.tiledgateway.core.query.Values#lookup} can
     * reach (keys without dots, through nested objects), the value there, and each distinct element of an array there.
     */
    static List<IndexedValue> of(ObjectNode metadata, int metadataChars) {
        List<IndexedValue> out = new ArrayList<>();
        long[] budget = {2L * metadataChars + TEXT_BUDGET_SLACK};
        walk(metadata, "", out, budget);
        return out;
    }

    private static void walk(JsonNode object, String prefix, List<IndexedValue> out, long[] budget) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            if (k.isEmpty() || k.indexOf('.') >= 0) continue; // no dotted key reaches it
            String key = prefix.isEmpty() ? k : prefix + "." + k;
            JsonNode v = e.getValue();
            out.add(encode(key, false, v, budget));
            if (v.isObject()) walk(v, key, out, budget);
            else if (v.isArray()) {
                Set<IndexedValue> seen = new HashSet<>();
                for (JsonNode el : v) {
                    IndexedValue row = encode(key, true, el, budget);
                    if (seen.add(row)) out.add(row);
                }
            }
        }
    }

    private static IndexedValue encode(String key, boolean element, JsonNode v, long[] budget) {
        if (v.isNull()) return new IndexedValue(key, element, NULL, null, null, null, false);
        if (v.isBoolean()) return new IndexedValue(key, element, BOOLEAN, v.booleanValue() ? 1.0 : 0.0, Values.canonical(v), null, false);
        if (v.isNumber()) return new IndexedValue(key, element, NUMBER, number(v), Values.canonical(v), element ? null : Json.text(v), !exactNumber(v));
        if (v.isTextual()) {
            String s = v.textValue();
            return new IndexedValue(key, element, STRING, null, s, null, s.indexOf('\0') >= 0);
        }
        int kind = v.isArray() ? ARRAY : OBJECT;
        String json = element ? null : Json.text(v);
        String canonical = Values.canonical(v);
        long cost = canonical.length() + (json == null ? 0 : json.length());
        if (cost > budget[0]) return new IndexedValue(key, element, kind, null, null, null, true);
        budget[0] -= cost;
        return new IndexedValue(key, element, kind, null, canonical, json, false);
    }

    /** Whether the value is a stored text: arrays and objects past the text budget are not (they are loose). */
    boolean encoded() { return (kind != ARRAY && kind != OBJECT) || txt != null; }

    // ---- query side

    /** The double a number compares as in SQL (-0.0 as 0.0: SQLite does not keep the sign, and Values has -0.0 == 0). */
    static double number(JsonNode v) {
        double d = v.doubleValue();
        return d == 0 ? 0.0 : d;
    }

    /**
     * Whether comparing this number's double with the doubles of other numbers gives Values' answer whenever the
     * other is exact too: a double (its shortest decimal and its binary value order alike against any double and
     * any integer below 2<sup>53</sup>) or an integer below 2<sup>53</sup> (exactly a double). Not for larger
     * integers, nor for decimals (which JSON as parsed never holds, but a query made in code may).
     */
    static boolean exactNumber(JsonNode v) {
        if (v.isBigDecimal()) return false;
        return !v.isIntegralNumber() || Math.abs(v.doubleValue()) < EXACT_DOUBLE_LIMIT;
    }

}
