package dev.tiledgateway.formats.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * A column's values as upstream Tiled's JSON serializer gives them: numbers, booleans and strings as such, NaN,
 * infinities, NaT and nulls as null, timestamps as pandas' isoformat (zoned ones with their offset), dates as ISO
 * dates. Decimals (which upstream cannot encode) are JSON numbers; binary values are base64 strings.
 */
final class JsonColumn {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private JsonColumn() {}

    static JsonNode value(ColumnView c, int i) {
        if (c.isNull(i)) return F.nullNode();
        var v = c.values();
        int r = c.row(i);
        return switch (c.type()) {
            case ArrowType.Int it when !it.getIsSigned() && it.getBitWidth() == 64 ->
                    F.numberNode(new BigInteger(Long.toUnsignedString(Vectors.getLong(v, r))));
            case ArrowType.Int it -> F.numberNode(Vectors.getLong(v, r));
            case ArrowType.FloatingPoint fp -> {
                double x = Vectors.getDouble(v, r);
                yield Double.isFinite(x) ? F.numberNode(x) : F.nullNode();
            }
            case ArrowType.Bool b -> F.booleanNode(Vectors.getLong(v, r) != 0);
            case ArrowType.Utf8 u -> F.textNode(new String(Vectors.getBytes(v, r), StandardCharsets.UTF_8));
            case ArrowType.LargeUtf8 u -> F.textNode(new String(Vectors.getBytes(v, r), StandardCharsets.UTF_8));
            case ArrowType.Decimal d -> F.numberNode(((DecimalVector) v).getObject(r));
            case ArrowType.Date d -> F.textNode(ColumnArrays.str(c, i));
            case ArrowType.Time t -> F.textNode(ColumnArrays.str(c, i));
            case ArrowType.Timestamp ts -> F.textNode(isoformat(
                    PyText.instant(Vectors.getLong(v, r), ColumnArrays.unitNanos(ts.getUnit())), ts.getTimezone()));
            case ArrowType.Duration du -> F.textNode(java.time.Duration.ofNanos(
                    Vectors.getLong(v, r) * ColumnArrays.unitNanos(du.getUnit())).toString());
            default -> F.textNode(Base64.getEncoder().encodeToString(Vectors.getBytes(v, r)));
        };
    }

    /** pandas Timestamp.isoformat(): 9 fraction digits with nanoseconds, 6 with microseconds, else none. */
    static String isoformat(Instant t, String zone) {
        int n = t.getNano();
        int digits = n == 0 ? 0 : n % 1000 != 0 ? 9 : 6;
        String s = PyText.dateTime(PyText.wallTime(t, zone), 'T', digits);
        return zone == null ? s : s + PyText.offset(t, zone);
    }

}
