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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
        byte[] bodyIn = null;
        int from = -1, to = -1;
        // The parser reads every field but the body; the body string is found here, and the parser goes on over
        // the rest of the object, '{' and what followed the body (the parser would otherwise scan megabytes to skip it).
        byte[] doc = json;
        fields:
        while (true) {
            try (JsonParser p = Json.FACTORY.createParser(doc)) {
                p.nextToken();
                JsonToken t = p.nextToken();
                while (t == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if (!name.equals("body")) {
                        fields.set(name, Json.tree(p));
                        t = p.nextToken();
                        continue;
                    }
                    if (v != JsonToken.VALUE_STRING) return fromTree(Json.parse(json));
                    int open = Math.toIntExact(p.currentTokenLocation().getByteOffset());
                    if (open < 0 || open >= doc.length || doc[open] != '"') return fromTree(Json.parse(json));
                    int close = plainRun(doc, open + 1);
                    // an escape, a control character or a byte beyond ASCII: the parser reads (or refuses) the whole event
                    if (close >= doc.length || doc[close] != '"') return fromTree(Json.parse(json));
                    bodyIn = doc;
                    from = open + 1;
                    to = close;
                    int k = next(doc, close + 1), nextName = k < doc.length && doc[k] == ',' ? next(doc, k + 1) : doc.length;
                    if (nextName < doc.length && doc[nextName] == '"') { // another field follows
                        byte[] rest = new byte[doc.length - k];
                        rest[0] = '{';
                        System.arraycopy(doc, k + 1, rest, 1, doc.length - k - 1);
                        doc = rest;
                        continue fields;
                    }
                    if (k >= doc.length || doc[k] != '}' || next(doc, k + 1) != doc.length) throw new IOException("not one JSON object");
                    break fields;
                }
                if (t != JsonToken.END_OBJECT || p.nextToken() != null) throw new IOException("not one JSON object");
                break;
            }
        }
        if (bodyIn == null) return new Envelope(fields, new byte[0]);
        if (!fields.path("isBase64Encoded").asBoolean(false)) return new Envelope(fields, Arrays.copyOfRange(bodyIn, from, to));
        ByteBuffer decoded = Base64.getDecoder().decode(ByteBuffer.wrap(bodyIn, from, to - from));
        byte[] body = decoded.array();
        return new Envelope(fields, decoded.arrayOffset() == 0 && decoded.position() == 0 && decoded.limit() == body.length ? body
                : Arrays.copyOfRange(body, decoded.arrayOffset() + decoded.position(), decoded.arrayOffset() + decoded.limit()));
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L, HIGHS = 0x8080808080808080L;

    /**
     * The index of the first byte at or after {@code i} that ends a run of plain string content: a quote, a backslash, a
     * control character or a byte beyond ASCII ({@code b.length} if none). Eight bytes at a time while none of them is
     * one (a body of megabytes is scanned at memory speed), then byte by byte.
     */
    static int plainRun(byte[] b, int i) {
        for (; i + 8 <= b.length; i += 8) {
            long v = (long) LONGS.get(b, i);
            long quote = v ^ (ONES * '"'), slash = v ^ (ONES * '\\');
            long stop = ((quote - ONES) & ~quote) | ((slash - ONES) & ~slash) | (v - ONES * 0x20) | v;
            if ((stop & HIGHS) != 0) break; // one of these eight bytes may end the run (or is beyond ASCII)
        }
        while (i < b.length && b[i] != '"' && b[i] != '\\' && b[i] >= 0x20) i++;
        return i;
    }

    /** The index of the first byte at or after {@code i} that is not JSON whitespace ({@code b.length} if none). */
    private static int next(byte[] b, int i) {
        while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) i++;
        return i;
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

    /** Bytes of a body encoded at a time: a multiple of 3, so that only the last piece is padded. */
    private static final int ENCODE_PIECE = 3 * 16 * 1024;

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
        // In pieces: each is encoded (by the JDK's block encoder) into a small buffer and copied into place while in cache.
        Base64.Encoder encoder = Base64.getEncoder();
        for (int off = 0; off < body.length; off += ENCODE_PIECE) {
            ByteBuffer piece = encoder.encode(ByteBuffer.wrap(body, off, Math.min(ENCODE_PIECE, body.length - off)));
            int n = piece.remaining();
            piece.get(out, at, n);
            at += n;
        }
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
