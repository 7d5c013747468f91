package dev.tiledgateway.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The warm cost of authorization per request: {@code GET /api/v1/metadata/} on the running demo (public), answered
 * for an anonymous request (the authorizer finds no credential) and for one with a key (one SHA-256 and one lookup
 * by hash in the key store, then the scope check), interleaved one by one so that drift favours neither; medians
 * and their ratio.
 */
final class AuthOverhead {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;
    private final String key;

    AuthOverhead(String base, String key) {
        this.url = base + "/api/v1/metadata/";
        this.key = key;
    }

    Results run(int warmup, int n) throws IOException, InterruptedException {
        HttpRequest anonymous = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json").GET().build();
        HttpRequest withKey = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json").header("Authorization", "Apikey " + key).GET().build();
        long[] a = new long[n], k = new long[n];
        for (int i = -warmup; i < n; i++) {
            long ta = time(anonymous);
            long tk = time(withKey);
            if (i >= 0) {
                a[i] = ta;
                k[i] = tk;
            }
        }
        Results r = new Results();
        r.put("auth.requests", n);
        r.put("auth.public_p50_ms", Stats.millis(Stats.median(a)));
        r.put("auth.key_p50_ms", Stats.millis(Stats.median(k)));
        r.put("auth.ratio", (double) Stats.median(k) / Stats.median(a));
        return r;
    }

    private long time(HttpRequest req) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        long t = System.nanoTime() - t0;
        if (r.statusCode() != 200) throw new IllegalStateException(req.uri() + " answered " + r.statusCode() + " " + new String(r.body()));
        return t;
    }
}
