package dev.tiledgateway.formats.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tiledgateway.core.structure.DataType.Builtin;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Fill value JSON of both Zarr versions to element bytes, and Java values to v2 JSON. */
class FillValuesTest {

    private static final ObjectMapper M = new ObjectMapper();

    private static String v2(String json, String dtype) throws Exception {
        return HexFormat.of().formatHex(FillValues.v2(M.readTree(json), DataTypes.v2(M.readTree(json(dtype)))));
    }

    private static String v3(String json, String dtype) throws Exception {
        return HexFormat.of().formatHex(FillValues.v3(M.readTree(json), Builtin.parse(dtype)));
    }

    private static String json(String s) { return s.startsWith("[") ? s : "\"" + s + "\""; }

    @Test
    void v2Values() throws Exception {
        assertEquals("0000c07f", v2("\"NaN\"", "<f4"));
        assertEquals("7ff0000000000000", v2("\"Infinity\"", ">f8"));
        assertEquals("00fc", v2("\"-Infinity\"", "<f2"));
        assertEquals("003e", v2("1.5", "<f2"));
        assertEquals("ffffffffffffffff", v2("18446744073709551615", "<u8"));
        assertEquals("0000000000000080", v2("-9223372036854775808", "<M8[ns]"));
        assertEquals("01", v2("true", "|b1"));
        assertEquals("0000803f00000040", v2("[1.0, 2]", "<c8"));
        assertEquals("6162000000", v2("\"YWI=\"", "|S5"));
        assertEquals("0000000000", v2("0", "|S5"));
        assertEquals("00000078000000fc", v2("\"x\\u00fc\"", ">U2"));
        assertEquals("00000000", v2("null", "<i4"));
        assertEquals("ff7f0100", v2("\"/38BAA==\"", "[[\"a\", \"<i2\"], [\"b\", \"<u2\"]]"));
        assertThrows(IllegalArgumentException.class, () -> v2("128", "|i1"));
        assertThrows(IllegalArgumentException.class, () -> v2("1.5", "<i4"));
        assertThrows(IllegalArgumentException.class, () -> v2("\"nope\"", "<f8"));
    }

    @Test
    void v3Values() throws Exception {
        assertEquals("0000c07f", v3("\"0x7fc00000\"", "<f4"));
        assertEquals("7e00", v3("\"NaN\"", ">f2"));
        assertEquals("000000000000f83f", v3("\"0x3ff8000000000000\"", "<f8"));
        assertEquals("0000c0ff0000807f", v3("[\"0xffc00000\", \"Infinity\"]", "<c8"));
        assertThrows(IllegalArgumentException.class, () -> v3("\"0x7fc0\"", "<f4"));
        assertThrows(IllegalArgumentException.class, () -> v3("null", "<f4"));
        assertThrows(IllegalArgumentException.class, () -> v3("1", "<c8"));
    }

    @Test
    void javaValuesToV2() {
        assertEquals("\"NaN\"", FillValues.toV2(Double.NaN, Builtin.parse("<f8")).toString());
        assertEquals("\"-Infinity\"", FillValues.toV2(Float.NEGATIVE_INFINITY, Builtin.parse("<f4")).toString());
        assertEquals("18446744073709551615", FillValues.toV2(new BigInteger("18446744073709551615"), Builtin.parse("<u8")).toString());
        assertEquals("\"AQI=\"", FillValues.toV2(new byte[] {1, 2}, Builtin.parse("|S2")).toString());
        JsonNode c = FillValues.toV2(new double[] {1, Double.NaN}, Builtin.parse("<c16"));
        assertEquals("[1.0,\"NaN\"]", c.toString());
        assertEquals("null", FillValues.toV2(null, Builtin.parse("<i4")).toString());
        assertThrows(IllegalArgumentException.class, () -> FillValues.toV2("abc", Builtin.parse("<i4")));
        assertThrows(IllegalArgumentException.class, () -> FillValues.toV2(new Object(), Builtin.parse("<i4")));
        byte[] half = FillValues.v2(FillValues.toV2(0.5f, Builtin.parse("<f2")), Builtin.parse("<f2"));
        assertEquals(0.5f, Float.float16ToFloat(ByteBuffer.wrap(half).order(ByteOrder.LITTLE_ENDIAN).getShort()));
        assertArrayEquals(new byte[] {0, 0, 0, 0}, FillValues.v2(FillValues.toV2(0, Builtin.parse("<i4")), Builtin.parse("<i4")));
    }
}
