package dev.tiledgateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link HttpApiEvents#read} and {@link HttpApiEvents#write}, which take a body's bytes straight from and into the
 * event's JSON, against Jackson reading and writing the whole tree (the way events were handled before): every
 * event must come out the same.
 */
class EventEnvelopeTest {

    private static final SplittableRandom RANDOM = new SplittableRandom(16);

    private static ObjectNode fields() {
        ObjectNode e = Json.object();
        e.put("version", "2.0");
        e.put("rawPath", "/api/v1/array/block/a");
        e.putObject("headers").put("content-type", "application/octet-stream").put("x-odd", "quote \" and \\ and é");
        e.putObject("requestContext").put("requestId", "r-1").putObject("http").put("method", "PUT");
        return e;
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) RANDOM.nextInt(256);
        return b;
    }

    /** What Jackson makes of the event whole: the fields but the body, and the body decoded as the old code did. */
    private static void assertSameAsTree(byte[] json) throws IOException {
        ObjectNode tree = (ObjectNode) Json.parse(json);
        byte[] expected = new byte[0];
        if (tree.hasNonNull("body")) {
            String b = tree.get("body").asText();
            expected = tree.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(b) : b.getBytes(StandardCharsets.UTF_8);
        }
        tree.remove("body");
        HttpApiEvents.Envelope e = HttpApiEvents.read(json);
        assertEquals(tree, e.fields());
        assertArrayEquals(expected, e.body());
    }

    @Test
    void binaryBodiesOfEveryLengthModuloThreeReadAsJacksonReadsThem() throws IOException {
        for (int n : new int[] {0, 1, 2, 3, 4, 5, 1000, 65_537, 1 << 20}) {
            byte[] body = bytes(n);
            ObjectNode e = fields();
            e.put("body", Base64.getEncoder().encodeToString(body));
            e.put("isBase64Encoded", true);
            byte[] json = Json.bytes(e);
            assertSameAsTree(json);
            assertArrayEquals(body, HttpApiEvents.read(json).body(), "n=" + n);
        }
    }

    @Test
    void theBodyMayComeBeforeOrAfterItsFlagAndAmongWhitespace() throws IOException {
        byte[] body = bytes(300);
        String b64 = Base64.getEncoder().encodeToString(body);
        List<String> events = List.of(
                "{\"version\":\"2.0\",\"body\":\"" + b64 + "\",\"isBase64Encoded\":true}",
                "{\"isBase64Encoded\":true,\"version\":\"2.0\",\"body\":\"" + b64 + "\"}",
                "{\n  \"body\" :  \"" + b64 + "\"  ,\n\t\"isBase64Encoded\" : true\r\n}",
                "{\"body\":\"" + b64 + "\"\n}",
                "{\"body\":\"ignored\",\"isBase64Encoded\":true,\"body\":\"" + b64 + "\"}",
                "{\"body\":\"" + b64 + "\",\"headers\":{\"a\":\"b\",\"body\":\"x\"},\"cookies\":[\"c=1\"],\"isBase64Encoded\":true}",
                "{\"body\":\"ignored\", \"body\":\"" + b64 + "\" ,\"isBase64Encoded\":true}");
        for (String s : events) {
            byte[] json = s.getBytes(StandardCharsets.UTF_8);
            assertSameAsTree(json);
        }
        assertArrayEquals(body, HttpApiEvents.read(events.get(2).getBytes(StandardCharsets.UTF_8)).body());
        ObjectNode pretty = fields();
        pretty.put("body", b64);
        pretty.put("isBase64Encoded", true);
        assertSameAsTree(Json.mapper().writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(pretty));
    }

    @Test
    void textBodiesWithAndWithoutEscapesReadAsJacksonReadsThem() throws IOException {
        for (String text : List.of("", "{\"a\": 1}", "plain é ü 漢字 🙂", "quotes \" backslash \\ newline \n tab \t", "\u0001 control",
                "slash \\/ written escaped")) {
            ObjectNode e = fields();
            e.put("body", text);
            e.put("isBase64Encoded", false);
            assertSameAsTree(Json.bytes(e));
            assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), HttpApiEvents.read(Json.bytes(e)).body());
        }
        // A writer that escapes what Jackson does not (every '/', every non-ASCII character) reads the same.
        assertSameAsTree("{\"body\":\"a\\/b \\u00e9 \\ud83d\\ude42\",\"isBase64Encoded\":false}".getBytes(StandardCharsets.UTF_8));
        // Base64 written with escaped slashes.
        byte[] body = bytes(3000);
        String escaped = Base64.getEncoder().encodeToString(body).replace("/", "\\/");
        byte[] json = ("{\"body\":\"" + escaped + "\",\"isBase64Encoded\":true}").getBytes(StandardCharsets.UTF_8);
        assertSameAsTree(json);
        assertArrayEquals(body, HttpApiEvents.read(json).body());
    }

    @Test
    void noBodyANullBodyAndANonStringBodyReadAsBefore() throws IOException {
        for (String s : List.of("{\"version\":\"2.0\"}", "{}", "{\"body\":null,\"isBase64Encoded\":false}", "{\"body\":123}",
                "{\"body\":{\"a\":\"b\"},\"version\":\"2.0\"}", " {\"body\":\"abc\"}", "\uFEFF{\"body\":\"abc\"}")) {
            assertSameAsTree(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void whatIsNotOneJsonObjectIsRefused() {
        for (String s : List.of("", "[]", "\"body\"", "{\"body\":\"abc\"", "{\"body\":\"abc\"} {}", "{\"body\":\"abc\",}", "{\"body\" \"abc\"}",
                "{\"a\":1} trailing", "nonsense",
                "{\"body\":\"abc\"}x", "{\"body\":\"abc\",,\"a\":1}", "{\"body\":\"abc\" \"a\":1}", "{\"body\":\"abc\", }", "{\"body\":\"abc\",\"a\"}")) {
            assertThrows(IOException.class, () -> HttpApiEvents.read(s.getBytes(StandardCharsets.UTF_8)), s);
        }
        byte[] notBase64 = "{\"body\":\"@@@@\",\"isBase64Encoded\":true}".getBytes(StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> HttpApiEvents.read(notBase64));
    }

    @Test
    void writtenEventsAreTheJsonJacksonWritesOfTheSameTree() throws IOException {
        for (int n : new int[] {0, 1, 2, 3, 77_777}) {
            byte[] body = bytes(n);
            ObjectNode expected = fields();
            expected.put("body", Base64.getEncoder().encodeToString(body));
            expected.put("isBase64Encoded", true);
            byte[] written = HttpApiEvents.write(fields(), body, false);
            assertEquals(expected, Json.parse(written));
            assertArrayEquals(body, HttpApiEvents.read(written).body());
        }
        ObjectNode empty = Json.object();
        assertEquals(Json.parse("{\"body\":\"AQI=\",\"isBase64Encoded\":true}"), Json.parse(HttpApiEvents.write(empty, new byte[] {1, 2}, false)));
        String text = "text \" with é";
        JsonNode t = Json.parse(HttpApiEvents.write(fields(), text.getBytes(StandardCharsets.UTF_8), true));
        assertEquals(text, t.get("body").asText());
        assertEquals(false, t.get("isBase64Encoded").asBoolean());
    }

    @Test
    void responseEventBytesAreTheResponseEventsJson() throws IOException {
        // Each answer with whether its body goes as base64: binary types and any encoded body do, text and JSON do not.
        List<Map.Entry<Response, Boolean>> responses = List.of(
                Map.entry(new Response(200, "application/octet-stream", bytes(10_001)), true),
                Map.entry(Response.json(404, "{\"detail\":\"No such entry\"}".getBytes(StandardCharsets.UTF_8)), false),
                Map.entry(Response.text(200, "hello é"), false),
                Map.entry(new Response(200, "application/json", bytes(10)).header("Content-Encoding", "zstd"), true),
                Map.entry(new Response(204, null, new byte[0]).cookie("a=b"), false));
        for (Map.Entry<Response, Boolean> e : responses) {
            Response r = e.getKey();
            ObjectNode expected = Json.object();
            expected.put("statusCode", r.status());
            ObjectNode headers = expected.putObject("headers");
            r.headers().forEach(headers::put);
            if (!r.cookies().isEmpty()) r.cookies().forEach(expected.putArray("cookies")::add);
            expected.put("body", e.getValue() ? Base64.getEncoder().encodeToString(r.body()) : new String(r.body(), StandardCharsets.UTF_8));
            expected.put("isBase64Encoded", e.getValue());
            assertEquals(expected, Json.parse(HttpApiEvents.toEventBytes(r)));
        }
    }

    @Test
    void aRunOfPlainContentEndsAtTheFirstQuoteBackslashControlOrNonAsciiByteWhereverItIs() {
        byte[] stops = {'"', '\\', 0x00, 0x1f, '\n', (byte) 0x80, (byte) 0xc3, (byte) 0xff};
        for (int len = 0; len <= 40; len++) {
            byte[] plain = new byte[len];
            for (int k = 0; k < len; k++) plain[k] = (byte) (0x20 + (k * 7) % 0x5f);
            for (int k = 0; k < len; k++) if (plain[k] == '"' || plain[k] == '\\') plain[k] = 'A';
            for (int from = 0; from <= Math.min(len, 9); from++) assertEquals(len, HttpApiEvents.plainRun(plain, from), "len " + len);
            for (int at = 0; at < len; at++) {
                for (byte stop : stops) {
                    byte[] b = plain.clone();
                    b[at] = stop;
                    for (int from = 0; from <= at; from++) assertEquals(at, HttpApiEvents.plainRun(b, from), "stop " + stop + " at " + at + " from " + from);
                }
            }
        }
    }

    @Test
    void bodiesAroundTheEncodersPieceSizeAreWrittenAsOneBase64String() throws IOException {
        for (int n : new int[] {49_151, 49_152, 49_153, 98_304, 98_305, 3 * 49_152 + 2}) {
            byte[] body = new byte[n];
            new SplittableRandom(n).nextBytes(body);
            JsonNode event = Json.parse(HttpApiEvents.write(Json.object(), body, false));
            assertEquals(Base64.getEncoder().encodeToString(body), event.get("body").asText(), "n " + n);
            assertArrayEquals(body, HttpApiEvents.read(HttpApiEvents.write(Json.object(), body, false)).body());
        }
    }
}
