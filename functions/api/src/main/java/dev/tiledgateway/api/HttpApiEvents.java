package dev.tiledgateway.api;

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

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import com.fasterxml.jackson.core.JsonGenerator;
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
        byte[] body = new byte[0];
        if (event.hasNonNull("body")) {
            String b = event.get("body").asText();
            body = event.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(b) : b.getBytes(StandardCharsets.UTF_8);
        }
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

    public static ObjectNode toEvent(Response r) {
        ObjectNode o = Json.object();
        o.put("statusCode", r.status());
        ObjectNode headers = o.putObject("headers");
        r.headers().forEach(headers::put);
        if (!r.cookies().isEmpty()) {
            ArrayNode cookies = o.putArray("cookies");
            r.cookies().forEach(cookies::add);
        }
        byte[] body = r.body();
        if (isText(r)) {
            o.put("body", new String(body, StandardCharsets.UTF_8));
            o.put("isBase64Encoded", false);
        } else {
            o.put("body", Base64.getEncoder().encodeToString(body));
            o.put("isBase64Encoded", true);
        }
        return o;
    }

    /**
     * The JSON of {@link #toEvent}, written as a stream: the flag before the body, and a binary body base64-encoded
     * into bytes and copied into the output as they are (base64 needs no escaping), with no string of it in between.
     */
    public static byte[] eventBytes(Response r) {
        byte[] body = r.body();
        boolean text = isText(r);
        ByteArrayOutputStream out = new ByteArrayOutputStream((text ? body.length : body.length / 3 * 4 + 4) + 1024);
        try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("statusCode", r.status());
            g.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> h : r.headers().entrySet()) g.writeStringField(h.getKey(), h.getValue());
            g.writeEndObject();
            if (!r.cookies().isEmpty()) {
                g.writeArrayFieldStart("cookies");
                for (String c : r.cookies()) g.writeString(c);
                g.writeEndArray();
            }
            g.writeBooleanField("isBase64Encoded", !text);
            g.writeFieldName("body");
            if (text) {
                g.writeString(new String(body, StandardCharsets.UTF_8));
            } else {
                byte[] b64 = Base64.getEncoder().encode(body);
                g.writeRawUTF8String(b64, 0, b64.length);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static boolean isText(Response r) {
        if (r.header("Content-Encoding") != null) return false;
        String ct = r.contentType();
        if (ct == null) return true;
        String base = ct.contains(";") ? ct.substring(0, ct.indexOf(';')).strip() : ct;
        return base.startsWith("text/") || TEXT_TYPES.contains(base);
    }
}
