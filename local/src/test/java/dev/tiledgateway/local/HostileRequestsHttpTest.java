package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests an attacker on the same network would send to the HTTP front: malformed and ambiguous URIs, raw
 * UTF-8, forged forwarding headers, bodies over API Gateway's limit (declared or chunked), header injection
 * through a file name. Each gets a JSON 4xx with a detail (or is answered correctly), and the server goes on
 * answering everyone else. Raw sockets send what Java's own client refuses to.
 */
class HostileRequestsHttpTest {

    private final Http http = DemoServer.http();

    /** A response read off a raw socket. */
    private record Raw(int status, Map<String, String> headers, byte[] body) {
        JsonNode json() throws IOException {
            assertTrue(headers.getOrDefault("content-type", "").startsWith("application/json"), "not JSON: " + headers + " " + new String(body, StandardCharsets.UTF_8));
            return Json.parse(body);
        }
    }

    private int port() { return DemoServer.get().server().port(); }

    /** Writes {@code head} (request line and headers, CRLF-terminated) and {@code body}, then reads one response. */
    private Raw raw(byte[] head, byte[] body) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port())) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(head);
            if (body != null) out.write(body);
            out.flush();
            return read(s.getInputStream());
        }
    }

    private Raw raw(String requestLineAndHeaders) throws IOException {
        return raw(requestLineAndHeaders.getBytes(StandardCharsets.UTF_8), null);
    }

    private static Raw read(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        String status = readLine(in, line);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h; !(h = readLine(in, line)).isEmpty(); ) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Raw(Integer.parseInt(status.split(" ")[1]), headers, body);
    }

    private static String readLine(InputStream in, ByteArrayOutputStream buf) throws IOException {
        buf.reset();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) throw new IOException("connection closed mid-response");
            if (b != '\r') buf.write(b);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @AfterEach
    void everyoneElseIsStillAnswered() throws Exception {
        assertEquals(200, http.get("/api/v1/").statusCode());
        assertEquals(200, http.get("/api/v1/metadata/nested/images").statusCode());
    }

    @Test
    void malformedPercentEscapesAreJson400s() throws Exception {
        for (String target : new String[] {"/api/v1/metadata/%zz", "/api/v1/metadata/nested/%e9t%e9", "/api/v1/metadata/a%", "/api/v1/metadata/nested?x=%zz"}) {
            Raw r = raw("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertEquals(400, r.status(), target);
            assertFalse(r.json().path("detail").asText().isEmpty(), target);
            assertEquals("nosniff", r.headers().get("x-content-type-options"), target);
        }
    }

    @Test
    void aRawUtf8PathIsDecodedAsUtf8LikeItsPercentEncodedForm() throws Exception {
        Raw raw = raw("GET /api/v1/metadata/nested/\u00e9t\u00e9 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        HttpResponse<byte[]> encoded = http.get("/api/v1/metadata/nested/%C3%A9t%C3%A9");
        assertEquals(404, raw.status(), new String(raw.body(), StandardCharsets.UTF_8));
        assertEquals(404, encoded.statusCode());
        assertEquals("No such entry: ['nested', '\u00e9t\u00e9']", raw.json().get("detail").asText());
        assertEquals(raw.json().get("detail"), Http.detailOf(encoded));
    }

    @Test
    void anEncodedSlashNeverNamesAnotherNode() throws Exception {
        for (String target : new String[] {"/api/v1/metadata/nested%2Fimages", "/api/v1/metadata/nested%2fimages", "/api/v1/array/full/nested%2Fimages%2Ftiny_image"}) {
            HttpResponse<byte[]> r = http.get(target);
            assertEquals(400, r.statusCode(), target + " -> " + new String(r.body()));
            assertFalse(Http.detailOf(r).asText().isEmpty());
        }
    }

    @Test
    void forgedForwardingHeadersDoNotMoveLinks() throws Exception {
        HttpResponse<byte[]> r = http.get("/api/v1/metadata/nested", "X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "javascript",
                "Forwarded", "host=evil.example;proto=https");
        assertEquals(200, r.statusCode());
        String self = Json.parse(r.body()).at("/data/links/self").asText();
        assertEquals(http.origin() + "/api/v1/metadata/nested", self);
        HttpResponse<byte[]> redirect = http.get("/api/v1/array/full/nested/cubes/tiny_cube", "X-Forwarded-Host", "evil.example");
        assertEquals(307, redirect.statusCode());
        String location = redirect.headers().firstValue("location").orElseThrow();
        assertFalse(location.contains("evil.example"), location);
    }

    @Test
    void anInvalidHostHeaderIsA400() throws Exception {
        Raw r = raw("GET /api/v1/metadata/nested HTTP/1.1\r\nHost: evil.example/\"><script>\r\nConnection: close\r\n\r\n");
        assertEquals(400, r.status());
        assertFalse(r.json().path("detail").asText().isEmpty());
    }

    @Test
    void aDeclaredBodyOverTheLimitIsRefusedBeforeItIsSent() throws Exception {
        // Nothing of the 400 MB follows the headers: an answer proves that the server did not wait to read it.
        Raw r = raw("POST /api/v1/register/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 400000000\r\n\r\n");
        assertEquals(413, r.status());
        assertTrue(r.json().get("detail").asText().contains("4.5 MB"));
    }

    @Test
    void aChunkedBodyIsCutOffWhenItGrowsPastTheLimit() throws Exception {
        byte[] eleven = new byte[7 * 1024 * 1024];
        java.util.Arrays.fill(eleven, (byte) ' ');
        // An InputStream of unknown length goes out chunked.
        HttpRequest req = HttpRequest.newBuilder(URI.create(http.origin() + "/api/v1/register/"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(eleven)))
                .build();
        HttpResponse<byte[]> r = HttpClient.newBuilder().build().send(req, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(413, r.statusCode(), new String(r.body()));
        assertTrue(Http.detailOf(r).asText().contains("4.5 MB"));
    }

    @Test
    void aFileNameCannotInjectHeadersAndAnyUnicodeNameIsEncoded() throws Exception {
        String url = "/api/v1/array/full/nested/images/tiny_image?format=text/csv&filename=";
        HttpResponse<byte[]> injected = http.get(url + "a.csv%0D%0ASet-Cookie:%20x=1");
        assertEquals(400, injected.statusCode());
        assertTrue(Http.detailOf(injected).asText().contains("filename"));
        assertTrue(injected.headers().allValues("set-cookie").stream().noneMatch(c -> c.startsWith("x=")));

        HttpResponse<byte[]> unicode = http.get(url + "%E6%95%B0%E6%8D%AE%20%C3%A9t%C3%A9%22.csv");
        assertEquals(200, unicode.statusCode());
        assertEquals("attachment; filename=\"__ _t__.csv\"; filename*=UTF-8''%E6%95%B0%E6%8D%AE%20%C3%A9t%C3%A9%22.csv",
                unicode.headers().firstValue("content-disposition").orElseThrow());
        HttpResponse<byte[]> plain = http.get(url + "tiny.csv");
        assertEquals("attachment; filename=\"tiny.csv\"", plain.headers().firstValue("content-disposition").orElseThrow());
    }

    @Test
    void slicesAtTheEndsOfALongAnswerAsNumpyDoes() throws Exception {
        JsonNode whole = http.json("/api/v1/array/full/nested/images/tiny_image?format=application/json");
        // numpy: a[0:10:2**63-1] is a[0:1], a[::-2**63] is a[-1:]; both once summed to nothing through overflow.
        JsonNode corner = http.json("/api/v1/array/full/nested/images/tiny_image?format=application/json"
                + "&slice=0:10:9223372036854775807,::-9223372036854775808");
        assertEquals(Json.mapper().createArrayNode().add(Json.mapper().createArrayNode().add(whole.get(0).get(49))), corner);
        HttpResponse<byte[]> tooBig = http.get("/api/v1/array/full/nested/images/tiny_image?slice=0:99999999999999999999");
        assertEquals(422, tooBig.statusCode());
    }

    @Test
    void aWebPageOfAnotherOriginCannotWrite() throws Exception {
        String body = "{\"id\": \"squatted\", \"structure_family\": \"container\", \"metadata\": {}, \"specs\": [], \"data_sources\": []}";
        for (String origin : new String[] {"http://evil.example", "null", "http://127.0.0.1:1"}) {
            HttpResponse<byte[]> r = http.send("POST", "/api/v1/register/", body.getBytes(StandardCharsets.UTF_8),
                    "Content-Type", "application/json", "Origin", origin);
            assertEquals(403, r.statusCode(), origin + ": " + new String(r.body()));
            assertTrue(Http.detailOf(r).asText().startsWith("Cross-origin POST refused"));
        }
        HttpResponse<byte[]> asText = http.send("POST", "/api/v1/register/", body.getBytes(StandardCharsets.UTF_8), "Content-Type", "text/plain");
        assertEquals(415, asText.statusCode(), "the body a page can send without a preflight");
        assertEquals(404, http.get("/api/v1/metadata/squatted").statusCode(), "nothing was registered");
        HttpResponse<byte[]> read = http.get("/api/v1/metadata/nested", "Origin", "http://evil.example");
        assertEquals(200, read.statusCode(), "reads stay open");
    }

    @Test
    void everyAnswerForbidsContentSniffing() throws Exception {
        for (String target : new String[] {"/api/v1/", "/api/v1/metadata/nope", "/api/v1/array/full/nested/images/tiny_image?format=text/html"}) {
            assertEquals("nosniff", http.get(target).headers().firstValue("x-content-type-options").orElse(null), target);
        }
    }
}
