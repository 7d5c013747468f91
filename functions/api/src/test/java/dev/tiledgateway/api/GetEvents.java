package dev.tiledgateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.json.Json;

/** Minimal API Gateway v2.0 {@code GET} events for tests that build their own (the recorded ones are in testkit). */
final class GetEvents {

    private GetEvents() {}

    static byte[] get(String rawPath, String rawQuery, String accept) {
        ObjectNode e = Json.object();
        e.put("version", "2.0").put("routeKey", "$default").put("rawPath", rawPath).put("rawQueryString", rawQuery);
        e.putObject("headers").put("host", "abc123.execute-api.us-east-1.amazonaws.com").put("accept", accept)
                .put("x-forwarded-proto", "https");
        ObjectNode rc = e.putObject("requestContext");
        rc.put("domainName", "abc123.execute-api.us-east-1.amazonaws.com");
        rc.putObject("http").put("method", "GET").put("path", rawPath).put("sourceIp", "198.51.100.7");
        e.put("isBase64Encoded", false);
        return Json.bytes(e);
    }
}
