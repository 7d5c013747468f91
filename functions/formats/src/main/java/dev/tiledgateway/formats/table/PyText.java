package dev.tiledgateway.formats.table;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/** Values spelled as Python and pandas spell them (repr of floats and bytes, str of dates), for text outputs. */
final class PyText {

    private PyText() {}

    /** Python's repr of a float: shortest round-trip digits; scientific below 1e-4 or from 1e16. */
    static String floatRepr(double x) {
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        String s = Double.toString(x);
        if (s.indexOf('E') < 0) return s; // 1e-3 <= |x| < 1e7 (or 0): Java and Python agree
        return repr(shortest(new BigDecimal(s), d -> Double.parseDouble(d.toString()) == x), false);
    }

    /** Java's shortest digits, except that its scientific form has at least "d.d": one digit may also round-trip (5e-324). */
    private static BigDecimal shortest(BigDecimal javaDigits, java.util.function.Predicate<BigDecimal> sameValue) {
        BigDecimal d = javaDigits.stripTrailingZeros();
        if (d.precision() != 2) return d;
        for (var mode : new java.math.RoundingMode[] {java.math.RoundingMode.HALF_EVEN, java.math.RoundingMode.DOWN, java.math.RoundingMode.UP}) {
            BigDecimal one = d.round(new java.math.MathContext(1, mode));
            if (sameValue.test(one)) return one;
        }
        return d;
    }

    /** numpy's str of a float32: shortest single-precision digits; scientific below 1e-4 or from 1e6. */
    static String float32Repr(float x) {
        if (Float.isNaN(x)) return "nan";
        if (Float.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        return numpy(x, shortest(new BigDecimal(Float.toString(x)), d -> Float.parseFloat(d.toString()) == x), 1e6);
    }

    /** numpy's str of a float16 (given widened): scientific below 1e-4 or from 1e3. */
    static String float16Repr(float x) {
        if (Float.isNaN(x)) return "nan";
        if (Float.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        return numpy(x, shortestHalf(x), 1e3);
    }

    private static String numpy(double x, BigDecimal digits, double upper) {
        if (x == 0) return 1 / x < 0 ? "-0.0" : "0.0";
        boolean scientific = Math.abs(x) < 1e-4 || Math.abs(x) >= upper; // numpy decides on the value, Python on the digits
        return format(digits.stripTrailingZeros(), scientific);
    }

    /** The fewest significant digits that map back to the same float16. */
    private static BigDecimal shortestHalf(float x) {
        BigDecimal exact = new BigDecimal(x);
        for (int p = 1; p < 8; p++) {
            BigDecimal d = exact.round(new java.math.MathContext(p));
            if (Float.floatToFloat16(d.floatValue()) == Float.floatToFloat16(x)) return d;
        }
        return exact;
    }

    private static String repr(BigDecimal d, boolean negativeZero) {
        if (d.signum() == 0) return negativeZero ? "-0.0" : "0.0";
        d = d.stripTrailingZeros();
        int exp = d.precision() - 1 - d.scale(); // decimal exponent of the leading digit
        return format(d, exp < -4 || exp >= 16);
    }

    private static String format(BigDecimal d, boolean scientific) {
        String digits = d.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - d.scale();
        String sign = d.signum() < 0 ? "-" : "";
        if (scientific) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        String plain = d.abs().toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }

    /** Python's repr of bytes: b'...' with \\x escapes, double quotes when only a single quote occurs. */
    static String bytesRepr(byte[] b) {
        boolean hasSingle = false, hasDouble = false;
        for (byte x : b) { hasSingle |= x == '\''; hasDouble |= x == '"'; }
        char q = hasSingle && !hasDouble ? '"' : '\'';
        StringBuilder sb = new StringBuilder("b").append(q);
        for (byte x : b) {
            int c = x & 0xff;
            if (c == q || c == '\\') sb.append('\\').append((char) c);
            else if (c == '\t') sb.append("\\t");
            else if (c == '\n') sb.append("\\n");
            else if (c == '\r') sb.append("\\r");
            else if (c < 0x20 || c >= 0x7f) sb.append("\\x").append(HexFormat.of().toHexDigits((byte) c));
            else sb.append((char) c);
        }
        return sb.append(q).toString();
    }

    /** Python's str of a Decimal (same exponent rule as BigDecimal.toString). */
    static String decimal(BigDecimal d) { return d.toString(); }

    static String unsigned64(long raw) { return new BigInteger(Long.toUnsignedString(raw)).toString(); }

    /** An epoch count in {@code unitNanos} as an Instant. */
    static Instant instant(long value, long unitNanos) {
        long nanos = Math.multiplyExact(Math.floorMod(value, 1_000_000_000L / unitNanos), unitNanos);
        long seconds = Math.floorDiv(value, 1_000_000_000L / unitNanos);
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** Wall time in {@code zone} (UTC when null). */
    static LocalDateTime wallTime(Instant t, String zone) {
        return LocalDateTime.ofInstant(t, zone == null ? ZoneOffset.UTC : ZoneId.of(zone));
    }

    /** "+05:30"-style offset of {@code zone} at {@code t}. */
    static String offset(Instant t, String zone) {
        ZoneOffset o = ZoneId.of(zone).getRules().getOffset(t);
        return o.getTotalSeconds() == 0 ? "+00:00" : o.getId();
    }

    /** Fraction-of-second digits (0, 3, 6 or 9) needed to show {@code nanos} exactly. */
    static int fractionDigits(int nanos) {
        if (nanos == 0) return 0;
        if (nanos % 1_000_000 == 0) return 3;
        return nanos % 1_000 == 0 ? 6 : 9;
    }

    /** "YYYY-MM-DD{sep}HH:MM:SS" plus {@code digits} fraction digits. */
    static String dateTime(LocalDateTime t, char sep, int digits) {
        StringBuilder sb = new StringBuilder(t.toLocalDate().toString()).append(sep);
        LocalTime lt = t.toLocalTime().truncatedTo(ChronoUnit.SECONDS);
        sb.append(String.format("%02d:%02d:%02d", lt.getHour(), lt.getMinute(), lt.getSecond()));
        if (digits > 0) sb.append('.').append(String.format("%09d", t.getNano()), 0, digits);
        return sb.toString();
    }

    /** Python's str of a datetime.time: HH:MM:SS[.ffffff]. */
    static String time(long nanosOfDay) {
        LocalTime t = LocalTime.ofNanoOfDay(Math.floorMod(nanosOfDay, 86_400_000_000_000L));
        String s = String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
        int micros = t.getNano() / 1000;
        return micros == 0 ? s : s + String.format(".%06d", micros);
    }
}
