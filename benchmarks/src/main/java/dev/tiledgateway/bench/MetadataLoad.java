package dev.tiledgateway.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /api/v1/metadata/{path}} from N concurrent clients, each its own {@link HttpClient} (own keep-alive
 * connection) sending one request after another over real sockets. Requests that start after the warm-up and finish
 * before the end of the window are counted.
 */
final class MetadataLoad {

    static final List<String> PATHS = List.of("", "nested", "nested/images", "nested/images/medium_image", "scalars/pi");

    private final String base;

    MetadataLoad(String base) { this.base = base; }

    Results run(int clients, Duration warmup, Duration window) throws InterruptedException {
        List<URI> uris = PATHS.stream().map(p -> URI.create(base + "/api/v1/metadata/" + p)).toList();
        long start = System.nanoTime();
        long from = start + warmup.toNanos();
        long until = from + window.toNanos();
        AtomicLong errors = new AtomicLong();
        long[][] latencies = new long[clients][];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int id = c;
            threads.add(Thread.ofPlatform().name("metadata-client-" + c).start(() ->
                    latencies[id] = client(uris, id, from, until, errors)));
        }
        for (Thread t : threads) t.join();
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).toArray();
        Results r = new Results();
        r.put("md.clients", clients);
        r.put("md.window_s", window.toMillis() / 1000.0);
        r.put("md.requests", all.length);
        r.put("md.errors", errors.get());
        r.put("md.rps", all.length / (window.toNanos() / 1e9));
        r.put("md.p50_ms", Stats.millis(Stats.percentile(all, 50)));
        r.put("md.p99_ms", Stats.millis(Stats.percentile(all, 99)));
        return r;
    }

    private static long[] client(List<URI> uris, int id, long from, long until, AtomicLong errors) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        long[] lat = new long[1 << 14];
        int n = 0;
        for (int i = id; ; i++) {
            long t0 = System.nanoTime();
            if (t0 >= until) break;
            HttpRequest req = HttpRequest.newBuilder(uris.get(i % uris.size())).header("Accept", "application/json").GET().build();
            boolean ok;
            try {
                ok = http.send(req, HttpResponse.BodyHandlers.ofByteArray()).statusCode() == 200;
            } catch (IOException e) {
                ok = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long t1 = System.nanoTime();
            if (!ok) errors.incrementAndGet();
            else if (t0 >= from && t1 <= until) {
                if (n == lat.length) lat = Arrays.copyOf(lat, n * 2);
                lat[n++] = t1 - t0;
            }
        }
        http.close();
        return Arrays.copyOf(lat, n);
    }
}
