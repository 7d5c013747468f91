package dev.tiledgateway.core.serialize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.structure.DataType;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Reads single array elements out of raw bytes as JSON values or text, for the text-like serializers. */
public final class Elements {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Elements() {}

    public static JsonNode json(DataType t, ByteBuffer b, int offset) {
        if (t instanceof DataType.Struct s) {
            // numpy's tolist() turns a record into a tuple: fields in order, as a JSON list.
            ArrayNode o = F.arrayNode();
            int off = offset;
            for (DataType.Field f : s.fields()) {
                if (f.shape() == null) o.add(json(f.dtype(), b, off));
                else {
                    ArrayNode a = o.addArray();
                    int n = f.size() / f.dtype().itemsize();
                    for (int i = 0; i < n; i++) a.add(json(f.dtype(), b, off + i * f.dtype().itemsize()));
                }
                off += f.size();
            }
            return o;
        }
        DataType.Builtin d = (DataType.Builtin) t;
        ByteBuffer v = b.duplicate().order(d.endianness() == DataType.Endianness.BIG ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        return switch (d.kind()) {
            case 'b' -> F.booleanNode(v.get(offset) != 0);
            case 'i' -> F.numberNode(signed(v, offset, d.itemsize()));
            case 'u' -> d.itemsize() == 8 && v.getLong(offset) < 0
                    ? F.numberNode(new BigInteger(Long.toUnsignedString(v.getLong(offset))))
                    : F.numberNode(d.itemsize() == 8 ? v.getLong(offset) : unsigned(v, offset, d.itemsize()));
            case 'f' -> finite(floating(v, offset, d.itemsize()));
            case 'c' -> {
                ArrayNode a = F.arrayNode();
                a.add(finite(floating(v, offset, d.itemsize() / 2)));
                a.add(finite(floating(v, offset + d.itemsize() / 2, d.itemsize() / 2)));
                yield a;
            }
            case 'M' -> {
                long n = v.getLong(offset);
                yield n == Long.MIN_VALUE ? F.nullNode() : F.textNode(datetime(n, d.dtUnits()));
            }
            case 'm' -> {
                long n = v.getLong(offset);
                yield n == Long.MIN_VALUE ? F.nullNode() : F.numberNode(n);
            }
            case 'S', 'V' -> F.textNode(bytesString(v, offset, d.itemsize()));
            case 'U' -> F.textNode(utf32(v, offset, d.itemsize()));
            default -> throw new IllegalArgumentException("unsupported kind " + d.kind());
        };
    }

    /**
     * About how many characters one element takes as JSON (and, give or take its quotes, as text): the widest
     * value for booleans and integers, and for floating point the 17 significant digits of a typical measured
     * value (a value like 0.5 is shorter, one with an exponent longer).
     */
    public static int width(DataType t) {
        if (t instanceof DataType.Struct s) {
            int w = 2;
            for (DataType.Field f : s.fields()) {
                int n = f.shape() == null ? 1 : f.size() / f.dtype().itemsize();
                w += n * (width(f.dtype()) + 1) + (f.shape() == null ? 0 : 2);
            }
            return w;
        }
        DataType.Builtin d = (DataType.Builtin) t;
        return switch (d.kind()) {
            case 'b' -> 5;
            case 'i' -> d.itemsize() == 1 ? 4 : d.itemsize() == 2 ? 6 : d.itemsize() == 4 ? 11 : 20;
            case 'u' -> d.itemsize() == 1 ? 3 : d.itemsize() == 2 ? 5 : d.itemsize() == 4 ? 10 : 20;
            case 'f' -> d.itemsize() == 2 ? 14 : d.itemsize() == 4 ? 18 : 19;
            case 'c' -> 2 * (d.itemsize() == 8 ? 18 : 19) + 3;
            case 'M' -> 28;
            case 'm' -> 20;
            case 'S', 'V' -> d.itemsize() + 2;
            case 'U' -> d.itemsize() / 4 + 2;
            default -> d.itemsize() * 4;
        };
    }

    /** The element as CSV/plain text. */
    public static String text(DataType t, ByteBuffer b, int offset) {
        JsonNode n = json(t, b, offset);
        if (n.isNull()) return "nan";
        if (n.isTextual()) return n.asText();
        if (n.isDouble() || n.isFloat()) return formatDouble(n.asDouble());
        if (n.isBoolean()) return n.asBoolean() ? "True" : "False";
        if (n.isArray() && t instanceof DataType.Builtin bt && bt.kind() == 'c')
            return "(" + formatDouble(n.get(0).asDouble()) + (n.get(1).asDouble() < 0 ? "" : "+") + formatDouble(n.get(1).asDouble()) + "j)";
        return Json.text(n);
    }

    /** Like Python's repr of a float: shortest round-trip digits, lower-case exponent. */
    public static String formatDouble(double x) {
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        String s = Double.toString(x);
        int e = s.indexOf('E');
        if (e < 0) return s;
        String mant = s.substring(0, e);
        if (mant.endsWith(".0")) mant = mant.substring(0, mant.length() - 2);
        int exp = Integer.parseInt(s.substring(e + 1));
        return mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    private static JsonNode finite(double x) {
        return Double.isFinite(x) ? F.numberNode(x) : F.nullNode();
    }

    private static long signed(ByteBuffer v, int off, int size) {
        return switch (size) {
            case 1 -> v.get(off);
            case 2 -> v.getShort(off);
            case 4 -> v.getInt(off);
            default -> v.getLong(off);
        };
    }

    private static long unsigned(ByteBuffer v, int off, int size) {
        return switch (size) {
            case 1 -> v.get(off) & 0xffL;
            case 2 -> v.getShort(off) & 0xffffL;
            default -> v.getInt(off) & 0xffffffffL;
        };
    }

    private static double floating(ByteBuffer v, int off, int size) {
        return switch (size) {
            case 2 -> Float.float16ToFloat(v.getShort(off));
            case 4 -> v.getFloat(off);
            default -> v.getDouble(off);
        };
    }

    private static String bytesString(ByteBuffer v, int off, int size) {
        int n = size;
        while (n > 0 && v.get(off + n - 1) == 0) n--;
        byte[] raw = new byte[n];
        v.get(off, raw);
        return new String(raw, StandardCharsets.ISO_8859_1);
    }

    private static String utf32(ByteBuffer v, int off, int size) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i += 4) {
            int cp = v.getInt(off + i);
            if (cp == 0) break;
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    private static String datetime(long n, String units) {
        String u = units.substring(1, units.length() - 1);
        long mult = 1;
        int i = 0;
        while (i < u.length() && Character.isDigit(u.charAt(i))) i++;
        if (i > 0) mult = Long.parseLong(u.substring(0, i));
        u = u.substring(i);
        long count = n * mult;
        Instant epoch = Instant.EPOCH;
        return switch (u) {
            case "Y" -> String.valueOf(1970 + count);
            case "M" -> java.time.YearMonth.of(1970, 1).plusMonths(count).toString();
            case "W" -> java.time.LocalDate.ofEpochDay(count * 7).toString();
            case "D" -> java.time.LocalDate.ofEpochDay(count).toString();
            case "h" -> trimZ(epoch.plus(count, ChronoUnit.HOURS));
            case "m" -> trimZ(epoch.plus(count, ChronoUnit.MINUTES));
            case "s" -> trimZ(epoch.plusSeconds(count));
            case "ms" -> trimZ(epoch.plusMillis(count));
            case "us" -> trimZ(epoch.plus(count, ChronoUnit.MICROS));
            case "ns" -> trimZ(epoch.plusNanos(count));
            default -> String.valueOf(n);
        };
    }

    private static String trimZ(Instant t) {
        String s = t.toString();
        return s.endsWith("Z") ? s.substring(0, s.length() - 1) : s;
    }
}
