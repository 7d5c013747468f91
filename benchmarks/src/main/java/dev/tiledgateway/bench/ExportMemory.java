package dev.tiledgateway.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.tiledgateway.core.route.GatewayConfig;
import dev.tiledgateway.local.Main;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap of the local server while it answers two concurrent JSON exports of about 300 MB each (the most the
 * response limit lets through), with the bounds it enforces: the limit on the bytes of the requested format, one
 * large result's payload in memory per slot, output streamed into the store. Runs in a JVM of its own with a fixed
 * {@code -Xmx} (see {@code benchmarks/run}); server and client share it, the client drains its downloads.
 *
 * <p>Heap is sampled every 5 ms (used, garbage included) and after every collection (what survived it). The baseline
 * is what the exports cannot do without: the heap before they start plus their two payloads (the raw float64
 * selections). Also timed: the refusal of an export over the limit, and metadata requests during the exports.
 *
 * <pre>ExportMemory --data-dir DIR --out FILE [--rows 1450]</pre>
 */
public final class ExportMemory {

    private static final String ARRAY = "nested/images/big_image";
    private static final long SIDE = 10_000;
    private static final int CHUNK = 4096;

    private ExportMemory() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = null, out = null;
        int rows = 1450; // 14.5 M float64: about 290 MB of JSON, estimated within the limit
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--rows" -> rows = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (dataDir == null || out == null) throw new IllegalArgumentException("usage: ExportMemory --data-dir DIR --out FILE [--rows N]");
        Files.createDirectories(dataDir);
        Results r = new Results();
        r.put("exp.load_start", Load.now());
        GatewayConfig config = GatewayConfig.defaults();
        r.put("exp.limit_bytes", config.responseByteLimit());
        r.put("exp.max_materialising", config.maxMaterialising());
        r.put("exp.xmx_bytes", Runtime.getRuntime().maxMemory());
        Main.Running running = Main.serveDemo("127.0.0.1", 0, dataDir, config.maxInlineBytes());
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            String base = "http://127.0.0.1:" + running.server().port() + "/api/v1/";
            // The demo makes big_image's chunks on first read and stores them in the background: do that first.
            log("making the chunks of big_image's first " + CHUNK + " rows");
            drain(http, base + "array/full/" + ARRAY + "?slice=" + (CHUNK - 10) + ":" + CHUNK, "application/octet-stream");
            Path chunks = dataDir.resolve("objects/demo").resolve(ARRAY);
            long chunkBytes = (long) CHUNK * CHUNK * 8;
            for (long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos(); ; Thread.sleep(200)) {
                boolean stored = true;
                for (int j = 0; j * CHUNK < SIDE; j++) {
                    Path f = chunks.resolve("0." + j);
                    stored &= Files.exists(f) && Files.size(f) == chunkBytes;
                }
                if (stored) break;
                if (System.nanoTime() > deadline) throw new IllegalStateException("the chunks of big_image were not stored");
            }

            log("refusal: JSON of 3749 rows (300 MB of float64, about 750 MB of JSON)");
            long t0 = System.nanoTime();
            HttpResponse<byte[]> refused = http.send(HttpRequest.newBuilder(URI.create(base + "array/full/" + ARRAY + "?slice=0:3749&format=json")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            r.put("exp.refused_ms", Stats.millis(System.nanoTime() - t0));
            r.put("exp.refused_status", refused.statusCode());

            for (int i = 0; i < 20; i++) drain(http, base + "metadata/" + ARRAY, null); // warm, so latencies below are the exports' doing
            System.gc();
            Thread.sleep(500);
            System.gc();
            long idle = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            r.put("exp.idle_heap_bytes", idle);

            Heap heap = new Heap();
            List<String> slices = List.of("0:" + rows, rows + ":" + (2 * rows));
            log("two concurrent JSON exports: big_image[" + slices.get(0) + "] and [" + slices.get(1) + "]");
            List<Long> latencies = new ArrayList<>();
            long started = System.nanoTime();
            List<Future<long[]>> exports = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                heap.start();
                for (String s : slices)
                    exports.add(pool.submit(() -> {
                        long t = System.nanoTime();
                        long n = drain(http, base + "array/full/" + ARRAY + "?slice=" + s + "&format=json", null);
                        return new long[] {n, System.nanoTime() - t};
                    }));
                while (exports.stream().anyMatch(f -> !f.isDone())) {
                    long t = System.nanoTime();
                    drain(http, base + "metadata/" + ARRAY, null);
                    latencies.add(System.nanoTime() - t);
                    Thread.sleep(20);
                }
                heap.stop();
            }
            r.put("exp.elapsed_ms", Stats.millis(System.nanoTime() - started));
            for (int i = 0; i < exports.size(); i++) {
                long[] e = exports.get(i).get();
                r.put("exp.export" + i + ".bytes", e[0]);
                r.put("exp.export" + i + ".ms", Stats.millis(e[1]));
            }
            r.put("exp.rows", rows);
            r.put("exp.payload_bytes", rows * SIDE * 8);
            r.put("exp.peak_heap_bytes", heap.peakUsed.get());
            r.put("exp.peak_after_gc_bytes", heap.peakAfterGc.get());
            r.put("exp.gcs", heap.collections.get());
            r.put("exp.longest_gc_ms", heap.longestGcMs.get());
            long[] lat = latencies.stream().mapToLong(Long::longValue).toArray();
            r.put("exp.metadata.n", lat.length);
            r.put("exp.metadata.p50_ms", Stats.millis(Stats.median(lat)));
            r.put("exp.metadata.p90_ms", Stats.millis(Stats.percentile(lat, 90)));
            r.put("exp.metadata.max_ms", Stats.millis(Stats.percentile(lat, 100)));
        } finally {
            running.server().close();
        }
        r.put("exp.load_end", Load.now());
        r.save(out);
        log("done: peak heap " + r.text("exp.peak_heap_bytes") + " B sampled, " + r.text("exp.peak_after_gc_bytes") + " B after collections");
        System.exit(0); // the demo's dynamic-array ticker is not stopped by closing the server
    }

    /** GET, following the redirect, drained; the bytes received. Fails unless it ends in 200. */
    private static long drain(HttpClient http, String url, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10));
        if (accept != null) b.header("Accept", accept);
        HttpResponse<InputStream> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        long n = 0;
        try (InputStream in = resp.body()) {
            byte[] buf = new byte[1 << 16];
            for (int k; (k = in.read(buf)) >= 0; ) n += k;
        }
        if (resp.statusCode() != 200) throw new IllegalStateException(url + ": status " + resp.statusCode());
        return n;
    }

    /** The heap's peaks while it runs: sampled used bytes, and the used bytes after each collection. */
    static final class Heap {
        final AtomicLong peakUsed = new AtomicLong();
        final AtomicLong peakAfterGc = new AtomicLong();
        final AtomicLong collections = new AtomicLong();
        final AtomicLong longestGcMs = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean();
        private Thread sampler;
        private final javax.management.NotificationListener listener = (n, handback) -> {
            if (!running.get() || !n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) return;
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            long after = 0;
            for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) if (heapPool(e.getKey())) after += e.getValue().getUsed();
            peakAfterGc.accumulateAndGet(after, Math::max);
            collections.incrementAndGet();
            longestGcMs.accumulateAndGet(info.getGcInfo().getDuration(), Math::max);
        };
        private final List<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP).map(java.lang.management.MemoryPoolMXBean::getName).toList();

        private boolean heapPool(String name) { return heapPools.contains(name); }

        void start() {
            running.set(true);
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
                if (gc instanceof NotificationEmitter e) e.addNotificationListener(listener, null, null);
            sampler = Thread.ofPlatform().daemon().start(() -> {
                while (running.get()) {
                    MemoryUsage u = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                    peakUsed.accumulateAndGet(u.getUsed(), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        void stop() throws InterruptedException {
            running.set(false);
            sampler.join();
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter e) {
                    try {
                        e.removeNotificationListener(listener);
                    } catch (javax.management.ListenerNotFoundException ignored) {
                        // not registered on this collector
                    }
                }
            }
        }
    }

    static void log(String s) { System.err.println("[exports] " + s); }
}
