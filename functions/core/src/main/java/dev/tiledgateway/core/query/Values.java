package dev.tiledgateway.core.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tiledgateway.core.catalog.Node;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How queries see metadata values; every catalog's index must agree with these rules.
 *
 * <ul>
 *   <li>A key is a dotted path ({@code sample.name}) through nested JSON objects; a segment never indexes into
 *       an array. A path that reaches nothing is <em>missing</em>; a JSON {@code null} is present.</li>
 *   <li>Equality is JSON equality where numbers compare by value ({@code 1 == 1.0}); a number never equals a
 *       string or a boolean ({@code 1 != "1"}, {@code 1 != true}); arrays and objects compare member by member.</li>
 *   <li>Order exists between two numbers (by value) and between two strings (by code point, which is UTF-8 byte
 *       order); any other pair is incomparable, and an ordered comparison with it does not match.</li>
 * </ul>
 */
public final class Values {

    private static final Pattern KEY = Pattern.compile("^[^.]+(\\.[^.]+)*$");

    private Values() {}

    /** The segments of a dotted key; an empty key or an empty segment is not a key (400 where parsed). */
    public static String[] path(String key) {
        if (key == null || !KEY.matcher(key).matches()) throw new IllegalArgumentException("not a metadata key: '" + key + "'");
        return key.split("\\.");
    }

    /** The value at {@code path} in the child's metadata, or null when missing (a JSON null is returned as a NullNode). */
    public static JsonNode lookup(Node child, String[] path) {
        JsonNode v = child.metadata();
        for (String p : path) {
            if (v == null || !v.isObject()) return null;
            v = v.get(p);
        }
        return v == null || v.isMissingNode() ? null : v;
    }

    /** JSON equality with numbers by value. */
    public static boolean equal(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) return compareNumbers(a, b) == 0;
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) return false;
            for (int i = 0; i < a.size(); i++) if (!equal(a.get(i), b.get(i))) return false;
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) return false;
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode o = b.get(e.getKey());
                if (o == null || !equal(e.getValue(), o)) return false;
            }
            return true;
        }
        return a.equals(b);
    }

    /** The order of two values, or null when they are incomparable (not two numbers, not two strings). */
    public static Integer compare(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) return compareNumbers(a, b);
        if (a.isTextual() && b.isTextual())
            return Integer.signum(Arrays.compareUnsigned(a.textValue().getBytes(StandardCharsets.UTF_8), b.textValue().getBytes(StandardCharsets.UTF_8)));
        return null;
    }

    /**
     * Numbers compare by value: integers exactly (an integer beyond a double's precision is not rounded to its
     * neighbours), a fraction as the decimal of the double it was read as ({@code 1 == 1.0 == 1e0}, {@code -0.0 == 0});
     * a double that overflowed to infinity is greater than every finite number.
     */
    private static int compareNumbers(JsonNode a, JsonNode b) {
        if (a.isIntegralNumber() && b.isIntegralNumber()) return a.bigIntegerValue().compareTo(b.bigIntegerValue());
        if (!isFinite(a) || !isFinite(b)) return Double.compare(a.doubleValue(), b.doubleValue());
        return a.decimalValue().compareTo(b.decimalValue());
    }

    /** False for a double that overflowed to infinity (a stored {@code 1e400}); it has no decimal value. */
    static boolean isFinite(JsonNode n) {
        return !(n.isDouble() || n.isFloat()) || Double.isFinite(n.doubleValue());
    }

    /**
     * A text equal for two values exactly when {@link #equal} holds: numbers as
     * their decimal value, arrays element by element, objects by their members sorted by key (keys as JSON strings,
     * so that no key can pose as a separator), anything else as its JSON.
     */
    public static String canonical(JsonNode v) {
        if (v.isNumber()) return "n" + decimal(v);
        if (v.isArray()) {
            StringBuilder b = new StringBuilder("[");
            for (JsonNode e : v) b.append(canonical(e)).append(',');
            return b.append(']').toString();
        }
        if (v.isObject()) {
            TreeMap<String, String> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                sorted.put(e.getKey(), canonical(e.getValue()));
            }
            StringBuilder b = new StringBuilder("{");
            sorted.forEach((k, c) -> b.append(TextNode.valueOf(k)).append(':').append(c).append(','));
            return b.append('}').toString();
        }
        return "j" + v;
    }


    private static String decimal(JsonNode v) {
        if (v.isIntegralNumber()) return new BigDecimal(v.bigIntegerValue()).toPlainString();
        if (v.isBigDecimal()) return v.decimalValue().stripTrailingZeros().toPlainString();
        double d = v.doubleValue();
        if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity"; // a literal too large for a double
        BigDecimal b = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        return b.signum() == 0 ? BigInteger.ZERO.toString() : b.toPlainString();
    }
}
