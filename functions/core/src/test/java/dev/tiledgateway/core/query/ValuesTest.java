package dev.tiledgateway.core.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The value rules every catalog's index must agree with. */
class ValuesTest {

    private static JsonNode j(String s) throws IOException { return Json.parse(s); }

    @Test
    void numbersCompareByValue() throws IOException {
        assertTrue(Values.equal(j("1"), j("1.0")));
        assertTrue(Values.equal(j("1000"), j("1e3")));
        assertTrue(Values.equal(j("0"), j("-0.0")));
        assertTrue(Values.equal(j("12345678901234567890"), j("12345678901234567890")));
        assertFalse(Values.equal(j("12345678901234567890"), j("12345678901234567891")));
        assertFalse(Values.equal(j("9007199254740993"), j("9007199254740992.0")), "not through a double");
        assertTrue(Values.equal(j("0.1"), j("0.10000000000000001")), "fractions are read as doubles: these are one double");
    }

    @Test
    void neverAcrossTypes() throws IOException {
        assertFalse(Values.equal(j("1"), j("\"1\"")));
        assertFalse(Values.equal(j("1"), j("true")));
        assertNull(Values.compare(j("1"), j("\"1\"")));
        assertNull(Values.compare(j("true"), j("false")));
        assertNull(Values.compare(j("null"), j("null")));
    }

    @Test
    void aStoredInfinityComparesWithoutFailing() throws IOException {
        JsonNode inf = j("1e400");
        assertTrue(inf.isDouble() && Double.isInfinite(inf.doubleValue()), "Jackson reads an overflow as infinity");
        assertEquals(1, Values.compare(inf, j("12345678901234567890123")));
        assertTrue(Values.equal(inf, j("2e400")));
    }

    @Test
    void stringsOrderByCodePoint() throws IOException {
        assertEquals(1, Values.compare(j("\"\\ud83d\\ude42\""), j("\"\\uffff\"")), "an astral character after the last BMP one");
        assertEquals(1, Values.compare(j("\"é\""), j("\"z\"")));
    }
}
