package dev.tiledgateway.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Json} reads and writes trees as a default {@code ObjectMapper} does (the mapper is the reference here), and
 * builds no mapper to do it.
 */
class JsonTest {

    private static final ObjectMapper REFERENCE = new ObjectMapper();

    private static final List<String> DOCUMENTS = List.of(
            "{}", "[]", "null", "true", "0", "-0", "-0.0", "1.0", "2147483647", "2147483648", "-2147483649",
            "9223372036854775807", "9223372036854775808", "123456789012345678901234567890", "1e400", "-1e400",
            "1.5e-320", "0.1", "3.141592653589793", "\"\\u0000 é \\ud83d\\ude00 \\\" \\\\ \\n\"",
            "{\"a\":1,\"a\":2}", "{\"a\":[1,2,{\"b\":[[],{}]}],\"c\":null,\"d\":false,\"e\":\"x\",\"f\":1.25}",
            "{} trailing", "[1] 2", "", "   ", "\n{\"x\" : [ 1 , 2 ] }\n");

    @Test
    void parsesAsTheMapperDoes() throws IOException {
        for (String doc : DOCUMENTS) {
            JsonNode expected = REFERENCE.readTree(doc), got = Json.parse(doc);
            assertEquals(expected, got, doc);
            assertEquals(expected.getClass(), got.getClass(), doc);
            assertEquals(expected, Json.parse(doc.getBytes(StandardCharsets.UTF_8)), doc);
        }
    }

    @Test
    void writesAsTheMapperDoes() throws IOException {
        for (String doc : DOCUMENTS) {
            JsonNode n = REFERENCE.readTree(doc);
            assertArrayEquals(REFERENCE.writeValueAsBytes(n), Json.bytes(n), doc);
            assertEquals(REFERENCE.writeValueAsString(n), Json.text(n), doc);
        }
        ObjectNode o = Json.object();
        o.put("nan", Double.NaN).put("inf", Float.POSITIVE_INFINITY).put("f", 0.1f).put("short", (short) 7)
                .put("decimal", new BigDecimal("1E+3")).put("big", new BigInteger("1" + "0".repeat(30)))
                .put("binary", new byte[] {0, 1, 2, (byte) 255}).put("long", Long.MIN_VALUE);
        o.set("time", new TimestampNode(java.time.Instant.parse("2026-01-02T03:04:05Z")));
        o.set("missing", com.fasterxml.jackson.databind.node.MissingNode.getInstance());
        assertEquals(REFERENCE.writeValueAsString(o), Json.text(o));
    }

    @Test
    void refusesWhatIsNotJson() {
        for (String bad : List.of("{", "[1,", "{\"a\" 1}", "NaN", "[1,]x", "{'a':1}", "01"))
            assertThrows(IOException.class, () -> Json.parse(bad), bad);
    }

    @Test
    void parseOnlyRefusesWhatFollowsTheValue() throws IOException {
        try (JsonParser p = Json.FACTORY.createParser("[1] 2")) {
            assertThrows(IOException.class, () -> Json.parseOnly(p));
        }
        try (JsonParser p = Json.FACTORY.createParser(" {\"a\": [1]}  \n")) {
            assertEquals(REFERENCE.readTree("{\"a\":[1]}"), Json.parseOnly(p));
        }
    }

    @Test
    void nestingIsBoundedByTheParser() {
        String deep = "[".repeat(5_000) + "]".repeat(5_000);
        assertThrows(IOException.class, () -> Json.parse(deep));
    }

    @Test
    void aJavaObjectInATreeIsRefused() {
        ObjectNode o = Json.object();
        o.putPOJO("x", new Object());
        assertThrows(IllegalArgumentException.class, () -> Json.bytes(o));
    }

    @Test
    void readingAndWritingTreesBuildsNoMapper() throws Exception {
        // A JVM of its own: this one has built mappers already (the reference above).
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), "-verbose:class", NoMapper.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("round trip ok"), out);
        assertTrue(out.contains("com.fasterxml.jackson.core.JsonFactory"), "the class log was not read");
        assertTrue(!out.contains("com.fasterxml.jackson.databind.ObjectMapper"), "an ObjectMapper class was loaded");
    }

    /** Parses and writes a tree, then exits. */
    public static final class NoMapper {
        public static void main(String[] args) throws IOException {
            JsonNode n = Json.parse("{\"a\":[1,2.5,\"x\",null,true,{\"b\":12345678901}]}");
            String back = Json.text(n);
            if (!back.equals("{\"a\":[1,2.5,\"x\",null,true,{\"b\":12345678901}]}")) throw new AssertionError(back);
            System.out.println("round trip ok");
        }
    }
}
