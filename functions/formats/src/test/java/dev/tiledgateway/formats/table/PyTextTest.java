package dev.tiledgateway.formats.table;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Values spelled as Python spells them (expected strings are Python 3 reprs). */
class PyTextTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0.0|0.0", "-0.0|-0.0", "1.0|1.0", "0.1|0.1", "0.001|0.001", "0.0001|0.0001", "1e-05|1e-05",
            "1234567.0|1234567.0", "10000000.0|10000000.0", "123456789.0|123456789.0", "1e+16|1e+16", "1.5e+300|1.5e+300",
            "-1e-300|-1e-300", "9999999999999998.0|9999999999999998.0", "12345.678|12345.678", "5e-324|5e-324",
            "1.7976931348623157e+308|1.7976931348623157e+308", "NaN|nan", "Infinity|inf", "-Infinity|-inf", "0.30000000000000004|0.30000000000000004"})
    void floatRepr(String value, String python) {
        assertEquals(python, PyText.floatRepr(Double.parseDouble(value)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0.1|0.1", "3.4e38|3.4e+38", "1e-7|1e-07", "16777216|1.6777216e+07", "-1.5|-1.5",
            "999999.0|999999.0", "1000000.0|1e+06", "0.0001|1e-04", "0.00010001|0.00010001", "1.4e-45|1e-45", "0|0.0"})
    void float32Str(String value, String numpy) {
        assertEquals(numpy, PyText.float32Repr(Float.parseFloat(value)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"999.0|999.0", "1000.0|1e+03", "9999.0|1e+04", "65504.0|6.55e+04", "0.0001|0.0001",
            "0.000123|0.000123", "1.5|1.5", "-2.25|-2.25", "0.1|0.1"})
    void float16Str(String value, String numpy) {
        assertEquals(numpy, PyText.float16Repr(Float.float16ToFloat(Float.floatToFloat16(Float.parseFloat(value)))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {"00ff|b'\\x00\\xff'", "|b''", "277122|b'\\'q\"'", "2771|b\"'q\"",
            "0a09|b'\\n\\t'", "5c|b'\\\\'", "7f|b'\\x7f'", "616263|b'abc'"})
    void bytesRepr(String hex, String python) {
        byte[] b = hex == null ? new byte[0] : java.util.HexFormat.of().parseHex(hex);
        assertEquals(python, PyText.bytesRepr(b));
    }
}
