package dev.tiledgateway.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.auth.AuthContext;
import dev.tiledgateway.core.auth.Verdict;
import dev.tiledgateway.core.http.Headers;
import dev.tiledgateway.core.http.QueryParams;
import dev.tiledgateway.core.http.Request;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Converts API Gateway HTTP API payload v2.0 events to core requests and core responses back to v2.0
 * responses. Query parameters come from {@code rawQueryString}: the parsed map joins repeats with commas.
 */
public final class HttpApiEvents {

    /** Lambda's limit on a buffered response, which includes the JSON envelope. */
    public static final int MAX_RESPONSE_ENVELOPE = 6 * 1024 * 1024;

    private static final Set<String> TEXT_TYPES = Set.of("application/json", "application/x-www-form-urlencoded");

    private HttpApiEvents() {}

    public static Request toRequest(JsonNode event) { return toRequest(event, Set.of()); }

    /** @param forwardedHosts the host names a proxy in front of API Gateway may name in X-Forwarded-Host */
    public static Request toRequest(JsonNode event, Set<String> forwardedHosts) {
        return toRequest(event, forwardedHosts, bodyOf(event));
    }

    /** The request of an event read by {@link #read}: its fields and its body, already decoded. */
    public static Request toRequest(Envelope event, Set<String> forwardedHosts) {
        return toRequest(event.fields(), forwardedHosts, event.body());
    }

    private static byte[] bodyOf(JsonNode event) {
        if (!event.hasNonNull("body")) return new byte[0];
        String b = event.get("body").asText();
        return event.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(b) : b.getBytes(StandardCharsets.UTF_8);
    }

    private static Request toRequest(JsonNode event, Set<String> forwardedHosts, byte[] body) {
        if (!"2.0".equals(event.path("version").asText()))
            throw new IllegalArgumentException("not an API Gateway HTTP API payload v2.0 event");
        JsonNode http = event.path("requestContext").path("http");
        Map<String, String> headers = new LinkedHashMap<>();
        event.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        if (event.has("cookies") && event.get("cookies").size() > 0) {
            StringBuilder c = new StringBuilder();
            for (JsonNode cookie : event.get("cookies")) c.append(c.length() == 0 ? "" : "; ").append(cookie.asText());
            headers.put("cookie", c.toString());
        }
        Headers h = new Headers(headers);
        String method = http.path("method").asText("GET");
        String path = event.path("rawPath").asText(http.path("path").asText("/"));
        String stage = stagePrefix(event.path("requestContext").path("stage").asText(""), path);
        path = path.substring(stage.length());
        if (path.isEmpty()) path = "/";
        // What the authorizer concluded: set by API Gateway from the authorizer's answer, never by the client.
        Verdict auth = AuthContext.decode(event.path("requestContext").path("authorizer").path("lambda")).orElse(null);
        return new Request(method, path, QueryParams.parse(event.path("rawQueryString").asText("")), h, body,
                origin(event, h, forwardedHosts) + stage, auth);
    }

    /**
     * The path segment of a named stage ({@code /prod}) when {@code rawPath} starts with it, else "". On a stage other
     * than {@code $default} API Gateway's own domain carries the stage as the first segment of every path: the routes
     * are served under it, and links put it back (the request's origin then ends with it). A custom domain's API
     * mapping leaves it out of the path, and nothing is stripped there.
     */
    static String stagePrefix(String stage, String rawPath) {
        if (stage.isEmpty() || stage.equals("$default")) return "";
        String prefix = "/" + stage;
        return rawPath.equals(prefix) || rawPath.startsWith(prefix + "/") ? prefix : "";
    }

    private static final Pattern AUTHORITY = Pattern.compile("(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\\.[A-Za-z0-9-]{1,63})*\\.?|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?");

    /**
     * The origin of links in responses, from what API Gateway itself says: the domain name the request came
     * in on ({@code requestContext.domainName}, a custom domain included) and the scheme in
     * {@code X-Forwarded-Proto}, which API Gateway sets. {@code X-Forwarded-Host} counts only when it names
     * one of the configured {@code forwardedHosts} (a CDN in front, say): any client can send it, and links
     * would otherwise point wherever it says. A scheme other than http or https is ignored.
     */
    static String origin(JsonNode event, Headers h, Set<String> forwardedHosts) {
        String host = event.path("requestContext").path("domainName").asText("");
        if (host.isEmpty()) host = h.get("host").orElse("");
        String forwarded = h.get("x-forwarded-host").map(f -> f.contains(",") ? f.substring(0, f.indexOf(',')) : f).orElse("").strip();
        if (forwardedHosts.contains(forwarded.toLowerCase(java.util.Locale.ROOT))) host = forwarded;
        if (!AUTHORITY.matcher(host).matches()) throw new IllegalArgumentException("invalid host '" + host + "'");
        String proto = h.get("x-forwarded-proto").orElse("https");
        if (proto.contains(",")) proto = proto.substring(0, proto.indexOf(',')); // the first hop's
        proto = proto.strip().toLowerCase(java.util.Locale.ROOT);
        if (!proto.equals("http") && !proto.equals("https")) proto = "https";
        return proto + "://" + host;
    }

    /**
     * A v2.0 event (or response event) read once: every field but {@code body} as a tree, and the body's bytes,
     * decoded from base64 where {@code isBase64Encoded} says so (no body: none). A body of megabytes is never
     * made a {@code String}: its bytes are taken from the JSON as they stand when it holds no escape (base64 never
     * does), else through the parser.
     *
     * Stricter than Jackson's reading of a tree, which ignores what follows the object: content after it is refused.
     *
     * @throws IOException when the bytes are not one JSON object
     * @throws IllegalArgumentException when a body said to be base64 is not
     */
    public static Envelope read(byte[] json) throws IOException {
        if (json.length == 0 || json[0] != '{') return fromTree(Json.parse(json)); // not UTF-8 as Lambda sends it, or not an object
        ObjectNode fields = Json.object();
        int from = -1, to = -1;
        try (JsonParser p = Json.MAPPER.createParser(json)) {
            p.nextToken();
            JsonToken t = p.nextToken();
            while (t == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (!name.equals("body")) {
                    fields.set(name, p.readValueAsTree());
                    t = p.nextToken();
                    continue;
                }
                if (v != JsonToken.VALUE_STRING) return fromTree(Json.parse(json));
                int open = Math.toIntExact(p.currentTokenLocation().getByteOffset());
                t = p.nextToken(); // skips the string without decoding it
                int close = t == null ? -1 : Math.toIntExact(p.currentTokenLocation().getByteOffset()) - 1;
                while (close > open && (json[close] == ',' || json[close] == ' ' || json[close] == '\t' || json[close] == '\n' || json[close] == '\r')) close--;
                if (open < 0 || close <= open || json[open] != '"' || json[close] != '"') return fromTree(Json.parse(json));
                from = open + 1;
                to = close;
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) throw new IOException("not one JSON object");
        }
        if (from < 0) return new Envelope(fields, new byte[0]);
        for (int i = from; i < to; i++) if (json[i] == '\\') return fromTree(Json.parse(json)); // escapes: the parser reads the string
        if (!fields.path("isBase64Encoded").asBoolean(false)) return new Envelope(fields, Arrays.copyOfRange(json, from, to));
        ByteBuffer decoded = Base64.getDecoder().decode(ByteBuffer.wrap(json, from, to - from));
        byte[] body = decoded.array();
        return new Envelope(fields, decoded.arrayOffset() == 0 && decoded.position() == 0 && decoded.limit() == body.length ? body
                : Arrays.copyOfRange(body, decoded.arrayOffset() + decoded.position(), decoded.arrayOffset() + decoded.limit()));
    }

    /** The envelope of an event already parsed whole. */
    private static Envelope fromTree(JsonNode event) throws IOException {
        if (!(event instanceof ObjectNode o)) throw new IOException("not a JSON object");
        byte[] body = bodyOf(o);
        ObjectNode fields = o.deepCopy();
        fields.remove("body");
        return new Envelope(fields, body);
    }

    /** An event's fields but its body, and the body's bytes as they were sent (decoded from base64). */
    public record Envelope(ObjectNode fields, byte[] body) {}

    /**
     * The JSON of {@code fields} (which has no {@code body}) with {@code body} and {@code isBase64Encoded} added:
     * a binary body is written as base64 straight into the bytes, never through a {@code String}.
     */
    public static byte[] write(ObjectNode fields, byte[] body, boolean text) {
        if (text) {
            ObjectNode o = fields.deepCopy();
            o.put("body", new String(body, StandardCharsets.UTF_8));
            o.put("isBase64Encoded", false);
            return Json.bytes(o);
        }
        byte[] head = Json.bytes(fields);
        if (head.length < 2 || head[head.length - 1] != '}') throw new IllegalStateException("not a JSON object");
        byte[] open = (head.length > 2 ? ",\"body\":\"" : "\"body\":\"").getBytes(StandardCharsets.US_ASCII);
        byte[] close = "\",\"isBase64Encoded\":true}".getBytes(StandardCharsets.US_ASCII);
        int encoded = 4 * ((body.length + 2) / 3);
        byte[] out = new byte[head.length - 1 + open.length + encoded + close.length];
        int at = 0;
        System.arraycopy(head, 0, out, at, head.length - 1);
        at += head.length - 1;
        System.arraycopy(open, 0, out, at, open.length);
        at += open.length;
        Base64.getEncoder().encode(ByteBuffer.wrap(body)).get(out, at, encoded);
        at += encoded;
        System.arraycopy(close, 0, out, at, close.length);
        return out;
    }

    /** The response event's JSON of an answer. */
    public static byte[] toEventBytes(Response r) {
        return write(eventFields(r), r.body(), isText(r));
    }

    /** A response event's fields but its body. */
    private static ObjectNode eventFields(Response r) {
        ObjectNode o = Json.object();
        o.put("statusCode", r.status());
        ObjectNode headers = o.putObject("headers");
        r.headers().forEach(headers::put);
        if (!r.cookies().isEmpty()) {
            ArrayNode cookies = o.putArray("cookies");
            r.cookies().forEach(cookies::add);
        }
        return o;
    }

    private static boolean isText(Response r) {
        if (r.header("Content-Encoding") != null) return false;
        String ct = r.contentType();
        if (ct == null) return true;
        String base = ct.contains(";") ? ct.substring(0, ct.indexOf(';')).strip() : ct;
        return base.startsWith("text/") || TEXT_TYPES.contains(base);
    }
}
