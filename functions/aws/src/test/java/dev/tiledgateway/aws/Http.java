package dev.tiledgateway.aws;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Plain, unauthenticated HTTP, as a Tiled client following a redirect would do it. */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private Http() {}

    public static HttpResponse<byte[]> get(URI uri) throws IOException {
        try {
            return CLIENT.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The body of a 200 reply; anything else is an IOException naming the status. */
    public static byte[] download(URI uri) throws IOException {
        HttpResponse<byte[]> r = get(uri);
        if (r.statusCode() != 200) throw new IOException("GET " + uri + " answered " + r.statusCode() + ": " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        return r.body();
    }
}
