package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A real HTTP client against a local server, sending what the Tiled client sends. */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private final String origin;
    /** Sent as {@code Authorization: Apikey ...} with every request that names no Authorization of its own; null: none. */
    private final String apiKey;

    /** Anonymous requests. */
    Http(int port) { this(port, null); }

    Http(int port, String apiKey) {
        this.origin = "http://127.0.0.1:" + port;
        this.apiKey = apiKey;
    }

    /** Requests with the server's own key, as the client given {@code api_key=} sends them. */
    Http(Main.Running running) { this(running.server().port(), running.apiKey()); }

    /** The same server without a key. */
    Http anonymous() { return new Http(Integer.parseInt(origin.substring(origin.lastIndexOf(':') + 1)), null); }

    String origin() { return origin; }

    HttpResponse<byte[]> get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
        return send("GET", pathAndQuery, null, headers);
    }

    HttpResponse<byte[]> send(String method, String pathAndQuery, byte[] body, String... headers) throws IOException, InterruptedException {
        URI uri = pathAndQuery.startsWith("http") ? URI.create(pathAndQuery) : URI.create(origin + pathAndQuery);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("User-Agent", "python-tiled/0.2.16");
        boolean named = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            named |= headers[i].equalsIgnoreCase("Authorization");
        }
        // Not on presigned downloads (absolute URLs elsewhere), which carry their own signature.
        if (apiKey != null && !named && !pathAndQuery.startsWith("http")) b.header("Authorization", "Apikey " + apiKey);
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    JsonNode json(String pathAndQuery, String... headers) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = get(pathAndQuery, headers);
        if (r.statusCode() != 200) throw new AssertionError("GET " + pathAndQuery + " -> " + r.statusCode() + " " + new String(r.body()));
        return Json.parse(r.body());
    }

    /** GET with the client's Accept header, following a redirect to a presigned download as httpx does. */
    byte[] data(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = get(pathAndQuery, "Accept", "application/octet-stream");
        if (r.statusCode() == 307 || r.statusCode() == 302) r = get(r.headers().firstValue("Location").orElseThrow());
        if (r.statusCode() != 200) throw new AssertionError("GET " + pathAndQuery + " -> " + r.statusCode() + " " + new String(r.body()));
        return r.body();
    }

    /** GET with headers, following one redirect to a presigned download; the final response. */
    HttpResponse<byte[]> follow(String pathAndQuery, String... headers) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = get(pathAndQuery, headers);
        if (r.statusCode() == 307 || r.statusCode() == 302) r = get(r.headers().firstValue("Location").orElseThrow());
        return r;
    }

    /**
     * Polls until {@code url} answers {@code status}: the last status seen. Bounded by a count of polls (150,
     * 100 ms apart), generous for a loaded machine; a registration that never happens still fails.
     */
    int await(String url, int status) throws IOException, InterruptedException {
        int last = -1;
        for (int i = 0; i < 150; i++) {
            last = get(url).statusCode();
            if (last == status) return last;
            Thread.sleep(100);
        }
        return last;
    }

    static JsonNode detailOf(HttpResponse<byte[]> r) throws IOException { return Json.parse(r.body()).get("detail"); }
}
