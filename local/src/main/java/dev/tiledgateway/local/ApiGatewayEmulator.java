package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.tiledgateway.core.json.Json;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Plays API Gateway (HTTP API, payload v2.0) for the local server: real HTTP exchange in, the event
 * API Gateway would send to Lambda out; and the function's response event back onto the wire.
 */
final class ApiGatewayEmulator {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    private ApiGatewayEmulator() {}

    static byte[] event(HttpExchange ex, byte[] body) {
        URI uri = ex.getRequestURI();
        ObjectNode e = Json.object();
        e.put("version", "2.0");
        e.put("routeKey", "$default");
        e.put("rawPath", uri.getRawPath());
        String rawQuery = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        e.put("rawQueryString", rawQuery);
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new java.util.ArrayList<>();
        ex.getRequestHeaders().forEach((name, values) -> {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.equals("cookie")) {
                for (String v : values) for (String c : v.split(";")) if (!c.isBlank()) cookies.add(c.strip());
            } else headers.put(n, String.join(",", values));
        });
        String host = headers.getOrDefault("host", "localhost");
        headers.putIfAbsent("x-forwarded-proto", "http");
        headers.putIfAbsent("x-forwarded-port", String.valueOf(ex.getLocalAddress().getPort()));
        headers.putIfAbsent("x-forwarded-for", ex.getRemoteAddress().getAddress().getHostAddress());
        if (!cookies.isEmpty()) {
            ArrayNode c = e.putArray("cookies");
            cookies.forEach(c::add);
        }
        ObjectNode h = e.putObject("headers");
        headers.forEach(h::put);
        if (!rawQuery.isEmpty()) {
            // API Gateway's own view joins repeated names with commas; handlers must not rely on it.
            Map<String, String> joined = new LinkedHashMap<>();
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                String k = decode(eq < 0 ? pair : pair.substring(0, eq));
                String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
                joined.merge(k, v, (a, b) -> a + "," + b);
            }
            ObjectNode q = e.putObject("queryStringParameters");
            joined.forEach(q::put);
        }
        ObjectNode rc = e.putObject("requestContext");
        rc.put("accountId", "000000000000");
        rc.put("apiId", "local");
        rc.put("domainName", host);
        rc.put("domainPrefix", host.contains(".") ? host.substring(0, host.indexOf('.')) : host);
        ObjectNode http = rc.putObject("http");
        http.put("method", ex.getRequestMethod());
        http.put("path", uri.getRawPath());
        http.put("protocol", ex.getProtocol());
        http.put("sourceIp", ex.getRemoteAddress().getAddress().getHostAddress());
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        rc.put("requestId", UUID.randomUUID().toString());
        rc.put("routeKey", "$default");
        rc.put("stage", "$default");
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        rc.put("time", TIME.format(now));
        rc.put("timeEpoch", now.toInstant().toEpochMilli());
        if (body.length > 0) {
            String ct = headers.getOrDefault("content-type", "");
            boolean text = ct.startsWith("text/") || ct.startsWith("application/json");
            e.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
            e.put("isBase64Encoded", !text);
        } else {
            e.put("isBase64Encoded", false);
        }
        return Json.bytes(e);
    }

    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException ex) {
            return s;
        }
    }

    /** Writes a v2.0 response event onto the exchange. */
    static void respond(HttpExchange ex, byte[] responseEvent) throws IOException {
        JsonNode r = Json.parse(responseEvent);
        int status = r.path("statusCode").asInt(500);
        r.path("headers").fields().forEachRemaining(h -> ex.getResponseHeaders().add(h.getKey(), h.getValue().asText()));
        for (JsonNode c : r.path("cookies")) ex.getResponseHeaders().add("Set-Cookie", c.asText());
        byte[] body = new byte[0];
        if (r.hasNonNull("body")) {
            String b = r.get("body").asText();
            body = r.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(b) : b.getBytes(StandardCharsets.UTF_8);
        }
        boolean head = ex.getRequestMethod().equals("HEAD");
        if (status == 304 || status == 204 || head) {
            if (head && body.length > 0) ex.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) ex.getResponseBody().write(body);
        }
        ex.close();
    }
}
