package dev.tiledgateway.local;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Response events back to HTTP, whatever the order of their fields: the streamed base64 body and the text fallbacks. */
class ApiGatewayEmulatorResponseTest {

    private final ApiGatewayEmulator gateway = new ApiGatewayEmulator(Set.of(), null);
    private final byte[] body = random();

    private static byte[] random() {
        byte[] b = new byte[70_001];
        new Random(3).nextBytes(b);
        return b;
    }

    private ApiGatewayEmulator.Outgoing respond(String json) throws Exception {
        return gateway.respond(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBase64BodyLastAfterItsFlag() throws Exception {
        String b64 = Base64.getEncoder().encodeToString(body);
        ApiGatewayEmulator.Outgoing o = respond("{\"statusCode\":200,\"headers\":{\"ETag\":\"\\\"x\\\"\"},\"cookies\":[\"a=b\"],"
                + "\"isBase64Encoded\":true,\"body\":\"" + b64 + "\"} \n");
        assertEquals(200, o.status());
        assertEquals(List.of(Map.entry("ETag", "\"x\""), Map.entry("Set-Cookie", "a=b")), o.headers());
        assertArrayEquals(body, o.body());
    }

    @Test
    void aBase64BodyFollowedByOtherFields() throws Exception {
        String b64 = Base64.getEncoder().encodeToString(body);
        ApiGatewayEmulator.Outgoing o = respond("{\"isBase64Encoded\":true,\"body\":\"" + b64 + "\",\"statusCode\":201,\"headers\":{\"A\":\"\\\"b\\\"\"}}");
        assertEquals(201, o.status());
        assertEquals(List.of(Map.entry("A", "\"b\"")), o.headers());
        assertArrayEquals(body, o.body());
        // an escaped slash in the base64 (legal JSON): read as text
        String escaped = b64.replace("/", "\\/");
        assertArrayEquals(body, respond("{\"statusCode\":200,\"isBase64Encoded\":true,\"body\":\"" + escaped + "\"}").body());
    }

    @Test
    void aBodyBeforeItsFlagAndTextBodies() throws Exception {
        String b64 = Base64.getEncoder().encodeToString(body);
        assertArrayEquals(body, respond("{\"statusCode\":200,\"body\":\"" + b64 + "\",\"isBase64Encoded\":true}").body());
        ApiGatewayEmulator.Outgoing text = respond("{\"statusCode\":404,\"body\":\"{\\\"detail\\\":\\\"caf\u00e9\\\"}\",\"isBase64Encoded\":false}");
        assertEquals(404, text.status());
        assertEquals("{\"detail\":\"caf\u00e9\"}", new String(text.body(), StandardCharsets.UTF_8));
        ApiGatewayEmulator.Outgoing none = respond("{\"statusCode\":\"204\",\"body\":null}");
        assertEquals(204, none.status());
        assertEquals(0, none.body().length);
    }
}
