package dev.tiledgateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The streamed response event is the tree-built one, field for field, with the base64 flag before the body. */
class HttpApiEventsBytesTest {

    @Test
    void aBinaryBodyIsStandardBase64AndTheFlagComesFirst() throws Exception {
        byte[] body = new byte[100_003];
        new Random(7).nextBytes(body);
        Response r = new Response(200, "application/vnd.apache.arrow.file", body);
        r.header("ETag", "\"abc\"");
        r.header("X-Quote", "a \"quoted\" \\ value");
        byte[] event = HttpApiEvents.eventBytes(r);
        JsonNode streamed = Json.parse(event);
        assertEquals(HttpApiEvents.toEvent(r), streamed);
        assertArrayEquals(body, Base64.getDecoder().decode(streamed.get("body").asText()));
        String text = new String(event, StandardCharsets.US_ASCII);
        assertTrue(text.indexOf("\"isBase64Encoded\":true") < text.indexOf("\"body\""), text.substring(0, 200));
    }

    @Test
    void aTextBodyIsEscapedAsBefore() throws Exception {
        Response r = new Response(404, "application/json", "{\"detail\": \"no \\\"such\\\" node\\n\"}".getBytes(StandardCharsets.UTF_8));
        r.cookie("a=b; Path=/");
        assertEquals(HttpApiEvents.toEvent(r), Json.parse(HttpApiEvents.eventBytes(r)));
        Response empty = new Response(204, null, new byte[0]);
        assertEquals(HttpApiEvents.toEvent(empty), Json.parse(HttpApiEvents.eventBytes(empty)));
    }
}
