package dev.tiledgateway.formats.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.core.structure.DataType.Builtin;
import dev.tiledgateway.core.structure.DataType.Endianness;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Fill values: from their v2 / v3 JSON to the bytes of one element in the declared layout, and
 * from Java values to v2 JSON for the writer. A null (v2 "no fill value") reads as zero bytes.
 */
final class FillValues {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private FillValues() {}

    /** A v2 {@code fill_value}: numbers, NaN/Infinity strings, [re, im], base64 for S/V/records, text for U. */
    static byte[] v2(JsonNode v, DataType dt) {
        if (v == null || v.isNull() || v.isMissingNode()) return new byte[dt.itemsize()];
        if (dt instanceof Builtin b) return element(v, b, false);
        if (v.isNumber() && v.asDouble() == 0) return new byte[dt.itemsize()];
        return fixed(base64(v, false), dt.itemsize());
    }

    /** A v3 {@code fill_value}: booleans, integers, floats incl. "NaN"/"Infinity"/"0x…" bit patterns, [re, im]. */
    static byte[] v3(JsonNode v, Builtin dt) {
        if (v == null || v.isNull() || v.isMissingNode()) throw new IllegalArgumentException("fill_value is required in Zarr v3");
        return element(v, dt, true);
    }

    private static byte[] element(JsonNode v, Builtin dt, boolean v3) {
        int n = dt.itemsize();
        ByteBuffer buf = ByteBuffer.allocate(n).order(dt.endianness() == Endianness.BIG ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        switch (dt.kind()) {
            case 'b' -> buf.put((byte) (v.isBoolean() ? (v.booleanValue() ? 1 : 0) : (integer(v).signum() != 0 ? 1 : 0)));
            case 'i', 'u' -> putInteger(buf, integer(v), dt.kind() == 'u');
            case 'f' -> putFloat(buf, v, n, v3);
            case 'c' -> {
                if (!v.isArray() || v.size() != 2) throw new IllegalArgumentException("complex fill_value must be [real, imag], got " + v);
                putFloat(buf, v.get(0), n / 2, v3);
                putFloat(buf, v.get(1), n / 2, v3);
            }
            case 'm', 'M' -> {
                long t = v.isTextual() && v.asText().equals("NaT") ? Long.MIN_VALUE : integer(v).longValueExact();
                if (n != 8) throw new IllegalArgumentException("datetime/timedelta must be 8 bytes");
                buf.putLong(t);
            }
            case 'S', 'V' -> buf.put(v.isNumber() && v.asDouble() == 0 ? new byte[n] : fixed(base64(v, dt.kind() == 'S'), n));
            case 'U' -> {
                if (!v.isTextual()) throw new IllegalArgumentException("unicode fill_value must be a string, got " + v);
                v.asText().codePoints().limit(n / 4).forEach(buf::putInt);
            }
            default -> throw new IllegalArgumentException("no fill value for kind " + dt.kind());
        }
        return buf.array();
    }

    private static BigInteger integer(JsonNode v) {
        if (v.isIntegralNumber()) return v.bigIntegerValue();
        if (v.isNumber()) {
            try {
                return v.decimalValue().toBigIntegerExact();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("fill_value " + v + " is not an integer");
            }
        }
        if (v.isBoolean()) return v.booleanValue() ? BigInteger.ONE : BigInteger.ZERO;
        throw new IllegalArgumentException("fill_value " + v + " is not an integer");
    }

    private static void putInteger(ByteBuffer buf, BigInteger x, boolean unsigned) {
        int bits = buf.capacity() * 8;
        BigInteger min = unsigned ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(bits - 1).negate();
        BigInteger max = unsigned ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE) : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
        if (x.compareTo(min) < 0 || x.compareTo(max) > 0) throw new IllegalArgumentException("fill_value " + x + " is out of range");
        long l = x.longValue();
        switch (buf.capacity()) {
            case 1 -> buf.put((byte) l);
            case 2 -> buf.putShort((short) l);
            case 4 -> buf.putInt((int) l);
            case 8 -> buf.putLong(l);
            default -> throw new IllegalArgumentException("no " + bits + "-bit integers");
        }
    }

    private static void putFloat(ByteBuffer buf, JsonNode v, int size, boolean v3) {
        if (v3 && v.isTextual() && v.asText().startsWith("0x")) {
            String hex = v.asText().substring(2);
            if (hex.length() != size * 2) throw new IllegalArgumentException("hex fill_value " + v + " must have " + size * 2 + " digits");
            long bits = Long.parseUnsignedLong(hex, 16);
            switch (size) {
                case 2 -> buf.putShort((short) bits);
                case 4 -> buf.putInt((int) bits);
                default -> buf.putLong(bits);
            }
            return;
        }
        double d;
        if (v.isNumber()) d = v.doubleValue();
        else if (v.isTextual()) d = switch (v.asText()) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> throw new IllegalArgumentException("float fill_value " + v + " is not a number");
        };
        else throw new IllegalArgumentException("float fill_value " + v + " is not a number");
        switch (size) {
            case 2 -> buf.putShort(Float.floatToFloat16((float) d));
            case 4 -> buf.putFloat((float) d);
            case 8 -> buf.putDouble(d);
            default -> throw new IllegalArgumentException("no " + size * 8 + "-bit floats");
        }
    }

    private static byte[] base64(JsonNode v, boolean lenient) {
        if (!v.isTextual()) throw new IllegalArgumentException("fill_value " + v + " must be a base64 string");
        try {
            return Base64.getDecoder().decode(v.asText());
        } catch (IllegalArgumentException e) {
            if (lenient) return v.asText().getBytes(StandardCharsets.UTF_8);
            throw new IllegalArgumentException("fill_value " + v + " is not base64");
        }
    }

    private static byte[] fixed(byte[] b, int n) { return b.length == n ? b : Arrays.copyOf(b, n); }

    /**
     * The v2 JSON for a Java fill value: null, Boolean, Number (NaN/infinite doubles become strings),
     * String (for U, or "NaN"-style for floats), byte[] (S, V and records, stored as base64),
     * double[2] (complex), or a JsonNode already in v2 form. Checked against the data type.
     */
    static JsonNode toV2(Object value, DataType dt) {
        JsonNode json = switch (value) {
            case null -> NullNode.getInstance();
            case JsonNode n -> n;
            case Boolean b -> JSON.booleanNode(b);
            case Double d when d.isNaN() || d.isInfinite() -> JSON.textNode(nonFinite(d));
            case Float f when f.isNaN() || f.isInfinite() -> JSON.textNode(nonFinite(f.doubleValue()));
            case BigInteger i -> JSON.numberNode(i);
            case BigDecimal d -> JSON.numberNode(d);
            case Double d -> JSON.numberNode(d);
            case Float f -> JSON.numberNode(f.doubleValue());
            case Number n -> JSON.numberNode(n.longValue());
            case String s -> JSON.textNode(s);
            case byte[] b -> JSON.textNode(Base64.getEncoder().encodeToString(b));
            case double[] c when c.length == 2 -> JSON.arrayNode().add(toV2(c[0], Builtin.parse("<f8"))).add(toV2(c[1], Builtin.parse("<f8")));
            default -> throw new IllegalArgumentException("unsupported fill value type: " + value.getClass().getName());
        };
        v2(json, dt); // validates
        return json;
    }

    private static String nonFinite(double d) {
        return Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
    }
}
