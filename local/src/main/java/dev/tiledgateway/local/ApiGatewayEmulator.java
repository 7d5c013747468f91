package dev.tiledgateway.local;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.authorizer.AuthorizerHandler;
import dev.tiledgateway.core.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Plays API Gateway (HTTP API, payload v2.0) for the local server: an HTTP request in, the event API
 * Gateway would send to Lambda out; and the function's response event back as status, headers and body.
 *
 * <p>Like API Gateway, it sets {@code X-Forwarded-Proto}, {@code -Port} and {@code -For} itself and
 * drops {@code X-Forwarded-Host}: what a client sends in them is believed only when the client is one of
 * the configured proxies (a TLS terminator in front of the local server, say).
 */
final class ApiGatewayEmulator {

    /** An HTTP request as the local server received it; the path and query still percent-encoded. */
    record Incoming(String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers,
                    String protocol, String sourceIp, int localPort, byte[] body) {}

    /** A response event turned back into HTTP. */
    record Outgoing(int status, List<Map.Entry<String, String>> headers, byte[] body) {}

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    private static final Set<String> FORWARDING = Set.of("x-forwarded-proto", "x-forwarded-port", "x-forwarded-for", "x-forwarded-host", "forwarded");

    private final Set<String> trustedProxies;
    private final AuthorizerHandler authorizer;

    /** @param authorizer the API's Lambda authorizer, run before every request as API Gateway runs it */
    ApiGatewayEmulator(Set<String> trustedProxies, AuthorizerHandler authorizer) {
        this.trustedProxies = Set.copyOf(trustedProxies);
        this.authorizer = authorizer;
    }

    /**
     * The event for the API function, or, when the authorizer refuses (it never does: it hands its verdict on),
     * API Gateway's own 403.
     */
    Object authorized(Incoming in) {
        ObjectNode e = eventNode(in);
        JsonNode answer = authorizer.respond(authorizerEvent(e));
        if (!answer.path("isAuthorized").asBoolean(false)) return new Outgoing(403, List.of(Map.entry("Content-Type", "application/json")),
                "{\"message\":\"Forbidden\"}".getBytes(StandardCharsets.UTF_8));
        ((ObjectNode) e.get("requestContext")).putObject("authorizer").set("lambda", answer.path("context"));
        return Json.bytes(e);
    }

    /**
     * The authorizer's event (payload format 2.0, {@code REQUEST}) for an API event: the same path, query, cookies,
     * headers and request context, no body, and no identity source (none is configured).
     */
    static ObjectNode authorizerEvent(ObjectNode apiEvent) {
        ObjectNode a = Json.object();
        a.put("version", "2.0");
        a.put("type", "REQUEST");
        JsonNode rc = apiEvent.path("requestContext");
        a.put("routeArn", "arn:aws:execute-api:us-east-1:" + rc.path("accountId").asText() + ":" + rc.path("apiId").asText() + "/$default/"
                + rc.path("http").path("method").asText() + apiEvent.path("rawPath").asText());
        for (String f : List.of("routeKey", "rawPath", "rawQueryString", "cookies", "headers", "queryStringParameters", "requestContext")) {
            if (apiEvent.has(f)) a.set(f, apiEvent.get(f).deepCopy());
        }
        return a;
    }

    byte[] event(Incoming in) { return Json.bytes(eventNode(in)); }

    private ObjectNode eventNode(Incoming in) {
        ObjectNode e = Json.object();
        e.put("version", "2.0");
        e.put("routeKey", "$default");
        e.put("rawPath", in.rawPath());
        String rawQuery = in.rawQuery() == null ? "" : in.rawQuery();
        e.put("rawQueryString", rawQuery);
        boolean proxied = trustedProxies.contains(in.sourceIp());
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        for (Map.Entry<String, String> h : in.headers()) {
            String n = h.getKey().toLowerCase(Locale.ROOT);
            if (n.equals("cookie")) {
                for (String c : h.getValue().split(";")) if (!c.isBlank()) cookies.add(c.strip());
            } else if (proxied || !FORWARDING.contains(n)) {
                headers.merge(n, h.getValue(), (a, b) -> a + "," + b);
            }
        }
        String host = headers.getOrDefault("host", "localhost");
        if (proxied && headers.containsKey("x-forwarded-host")) host = first(headers.remove("x-forwarded-host"));
        String proto = proxied ? first(headers.getOrDefault("x-forwarded-proto", "http")).toLowerCase(Locale.ROOT) : "http";
        headers.put("x-forwarded-proto", proto.equals("https") ? "https" : "http");
        if (!proxied || !headers.containsKey("x-forwarded-port")) headers.put("x-forwarded-port", String.valueOf(in.localPort()));
        headers.put("x-forwarded-for", proxied && headers.containsKey("x-forwarded-for") ? headers.get("x-forwarded-for") + ", " + in.sourceIp() : in.sourceIp());
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
        http.put("method", in.method());
        http.put("path", in.rawPath());
        http.put("protocol", in.protocol());
        http.put("sourceIp", in.sourceIp());
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        rc.put("requestId", UUID.randomUUID().toString());
        rc.put("routeKey", "$default");
        rc.put("stage", "$default");
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        rc.put("time", TIME.format(now));
        rc.put("timeEpoch", now.toInstant().toEpochMilli());
        byte[] body = in.body();
        if (body.length > 0) {
            String ct = headers.getOrDefault("content-type", "");
            boolean text = ct.startsWith("text/") || ct.startsWith("application/json");
            e.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
            e.put("isBase64Encoded", !text);
        } else {
            e.put("isBase64Encoded", false);
        }
        return e;
    }

    private static String first(String commaSeparated) {
        int comma = commaSeparated.indexOf(',');
        return (comma < 0 ? commaSeparated : commaSeparated.substring(0, comma)).strip();
    }

    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException ex) {
            return s;
        }
    }

    /**
     * A v2.0 response event as HTTP. Read as a stream: a base64 body whose flag comes before it (as the API function
     * writes it) is decoded straight from the event's bytes, with no string of it in between.
     */
    Outgoing respond(byte[] responseEvent) throws IOException {
        int status = 500;
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        List<Map.Entry<String, String>> cookies = new ArrayList<>();
        Boolean base64 = null;
        byte[] body = null;
        String text = null;
        try (JsonParser p = Json.MAPPER.createParser(responseEvent)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("the response event is not a JSON object");
            fields:
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "statusCode" -> status = t.isNumeric() ? p.getIntValue() : p.readValueAsTree() instanceof JsonNode n ? n.asInt(500) : 500;
                    case "headers" -> {
                        JsonNode h = p.readValueAsTree();
                        if (h != null) h.fields().forEachRemaining(e -> headers.add(Map.entry(e.getKey(), e.getValue().asText())));
                    }
                    case "cookies" -> {
                        JsonNode c = p.readValueAsTree();
                        if (c != null) for (JsonNode x : c) cookies.add(Map.entry("Set-Cookie", x.asText()));
                    }
                    case "isBase64Encoded" -> base64 = p.readValueAsTree() instanceof JsonNode n && n.asBoolean(false);
                    case "body" -> {
                        if (t == JsonToken.VALUE_NULL) break;
                        if (base64 != null && base64 && t == JsonToken.VALUE_STRING) {
                            Base64Body b = base64At(responseEvent, p);
                            if (b != null) {
                                body = b.bytes();
                                if (b.last()) break fields; // nothing after it to read (and no need to skip it)
                                break;
                            }
                        }
                        text = p.readValueAsTree() instanceof JsonNode n ? n.asText() : null;
                    }
                    default -> p.skipChildren();
                }
            }
        }
        headers.addAll(cookies);
        if (body == null && text != null)
            body = base64 != null && base64 ? Base64.getDecoder().decode(text) : text.getBytes(StandardCharsets.UTF_8);
        return new Outgoing(status, headers, body == null ? new byte[0] : body);
    }

    /**
     * The base64 string the parser is at, decoded from the event's bytes; null when it has escapes (then read it as
     * text). The API function writes the body last, so its closing quote is looked for from the event's end first.
     */
    private record Base64Body(byte[] bytes, boolean last) {}

    private static Base64Body base64At(byte[] event, JsonParser p) throws IOException {
        long quote = p.currentTokenLocation().getByteOffset();
        if (quote < 0 || quote >= event.length || event[(int) quote] != '"') return null;
        int from = (int) quote + 1;
        int last = event.length - 1;
        while (last > from && (event[last] == '}' || Character.isWhitespace(event[last]))) last--;
        if (last > from && event[last] == '"' && event[last - 1] != '\\') {
            try {
                // a quote or backslash inside makes the decoder refuse: then the body is not the last field
                return new Base64Body(Base64.getDecoder().decode(Arrays.copyOfRange(event, from, last)), true);
            } catch (IllegalArgumentException notLast) {
                // fall through
            }
        }
        int to = from;
        while (to < event.length && event[to] != '"') {
            if (event[to] == '\\') return null;
            to++;
        }
        if (to == event.length) throw new IOException("unterminated body in the response event");
        return new Base64Body(Base64.getDecoder().decode(Arrays.copyOfRange(event, from, to)), false);
    }
}
