package dev.tiledgateway.formats.table;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compares payload columns with the generator's JSON encoding of what pyarrow read (see make_table_fixtures.py). */
final class ExpectedValues {

    private ExpectedValues() {}

    static void assertColumn(JsonNode expected, TablePayload p, String column, int offset) {
        ColumnView c = ColumnView.of(p, column);
        for (int j = 0; j < expected.size(); j++) {
            int i = offset + j;
            JsonNode e = expected.get(j);
            String where = column + "[" + i + "]";
            if (e.isNull()) {
                assertTrue(c.isNull(i), where + " should be null");
                continue;
            }
            assertTrue(!c.isNull(i), where + " should not be null");
            JsonNode a = actual(c, i);
            if (e.isNumber() && a.isNumber()) assertEquals(0, e.decimalValue().compareTo(a.decimalValue()), where + ": " + e + " vs " + a);
            else assertEquals(e, a, where);
        }
    }

    /** The element encoded as the generator encodes it (raw ints for timestamps and dates, hex for bytes). */
    private static JsonNode actual(ColumnView c, int i) {
        var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        var v = c.values();
        int r = c.row(i);
        return switch (c.type()) {
            case ArrowType.FloatingPoint fp -> {
                double d = Vectors.getDouble(v, r);
                if (Double.isNaN(d)) yield f.textNode("NaN");
                if (Double.isInfinite(d)) yield f.textNode(d > 0 ? "Infinity" : "-Infinity");
                yield f.numberNode(d);
            }
            case ArrowType.Bool b -> f.booleanNode(Vectors.getLong(v, r) != 0);
            case ArrowType.Utf8 u -> f.textNode(new String(Vectors.getBytes(v, r), StandardCharsets.UTF_8));
            case ArrowType.LargeUtf8 u -> f.textNode(new String(Vectors.getBytes(v, r), StandardCharsets.UTF_8));
            case ArrowType.Binary b -> f.textNode(HexFormat.of().formatHex(Vectors.getBytes(v, r)));
            case ArrowType.LargeBinary b -> f.textNode(HexFormat.of().formatHex(Vectors.getBytes(v, r)));
            case ArrowType.FixedSizeBinary b -> f.textNode(HexFormat.of().formatHex(Vectors.getBytes(v, r)));
            case ArrowType.Decimal d -> f.textNode(((DecimalVector) v).getObject(r).toString());
            case ArrowType.Int it when !it.getIsSigned() && it.getBitWidth() == 64 ->
                    f.numberNode(new BigInteger(Long.toUnsignedString(Vectors.getLong(v, r))));
            default -> f.numberNode(Vectors.getLong(v, r));
        };
    }
}
