package dev.tiledgateway.bench;

import dev.tiledgateway.core.backend.Backend;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.embedded.catalog.SqliteCatalog;
import dev.tiledgateway.embedded.store.FileBlobStore;
import dev.tiledgateway.formats.zarr.V2Compressor;
import dev.tiledgateway.formats.zarr.ZarrV2Writer;
import dev.tiledgateway.indexer.DeadLetters;
import dev.tiledgateway.indexer.IndexerHandler;
import dev.tiledgateway.indexer.IndexerSettings;
import dev.tiledgateway.local.Main;
import dev.tiledgateway.testkit.S3EventPayloads;
import dev.tiledgateway.testkit.S3EventPayloads.Record;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The catalog indexer ({@code catalog-indexer}) on the embedded adapters:
 * <ol>
 *   <li>registrations per second through {@link IndexerHandler#handleRequest}, SQLite catalog + folder of files: the
 *       same objects registered with one S3 notification (one record) per invocation, and with SQS batches of
 *       {@value #BATCH} messages (one notification each) per invocation. Two workloads: CSV files (one object, one
 *       event, one table node) and small Zarr v2 arrays ({@code .zarray}, {@code .zattrs} and one chunk: three
 *       events, one array node). Each pass registers into a fresh catalog; the objects are written beforehand and
 *       the payloads built beforehand, so a pass times the handler alone (parsing, planning, store reads, catalog
 *       writes). {@code warmups} untimed rounds, then {@code rounds} timed ones, each running all four passes
 *       (two workloads, two modes) in a rotating order; the median per pass is reported;</li>
 *   <li>upload to readable on the local server ({@link Main#serveDirectory}): a small Zarr array folder written into a
 *       staging folder, then renamed into the served folder (half the uploads) or copied in file by file (the other
 *       half); {@code GET /api/v1/metadata/<name>} every {@value #POLL_MILLIS} ms until 200, timed from the moment
 *       the move or copy returned.</li>
 * </ol>
 * Writes its figures to a properties file for {@link Report}; a step that fails leaves its figures out.
 *
 * <p>{@code serveDirectory} keeps its catalog under {@code $XDG_CACHE_HOME/tiled-gateway/} (default
 * {@code ~/.cache}); {@code benchmarks/run} points XDG_CACHE_HOME into its temporary folder so nothing stays behind.
 *
 * <pre>IndexerBench --data-dir DIR --out FILE [--objects 2000] [--warmups 2] [--rounds 5] [--uploads 20]</pre>
 */
public final class IndexerBench {

    static final int BATCH = 100;
    static final int PER_FOLDER = 100;
    static final int POLL_MILLIS = 10;
    static final long QUIET_MILLIS = 300; // DirectoryWatcher's quiet period
    static final Duration READABLE_TIMEOUT = Duration.ofSeconds(15);
    static final String BUCKET = "bench-bucket";

    private IndexerBench() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = null, out = null;
        int objects = 2000, warmups = 2, rounds = 5, uploads = 20;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--objects" -> objects = Integer.parseInt(args[++i]);
                case "--warmups" -> warmups = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--uploads" -> uploads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (dataDir == null || out == null || objects < 1 || warmups < 0 || rounds < 1 || uploads < 2)
            throw new IllegalArgumentException("usage: IndexerBench --data-dir DIR --out FILE [--objects N] [--warmups N] [--rounds N] [--uploads N>=2]");
        Path work = Files.createTempDirectory(Files.createDirectories(dataDir), "indexer-");
        Results r = new Results();
        r.put("idx.load_start", Load.now());
        int failures = 0;
        try {
            failures += rates(r, work, objects, warmups, rounds);
        } catch (Exception | AssertionError e) {
            failures++;
            log("registrations failed: " + e);
            e.printStackTrace();
        }
        r.save(out);
        try {
            uploadToReadable(r, work.resolve("served"), work.resolve("staging"), uploads);
        } catch (Exception | AssertionError e) {
            failures++;
            log("upload to readable failed: " + e);
            e.printStackTrace();
        }
        r.put("idx.load_end", Load.now());
        r.save(out);
        deleteTree(work);
        log(failures == 0 ? "done" : "done, " + failures + " step(s) failed");
        System.exit(failures == 0 ? 0 : 1); // the server's watcher and executor threads
    }

    // ---- 1. registrations per second

    enum Workload {
        CSV("csv"), ZARR("zarr");

        final String label;

        Workload(String label) { this.label = label; }

        /** Writes node {@code i}'s objects into the store; returns their keys in upload order. */
        List<String> write(BlobStore store, int i) throws IOException {
            String folder = String.format(Locale.ROOT, "d%03d/", i / PER_FOLDER);
            return switch (this) {
                case CSV -> {
                    String key = folder + String.format(Locale.ROOT, "t%06d.csv", i);
                    store.put(key, ("x,y,label\n" + i + "," + (i * 0.5) + ",a\n" + (i + 1) + "," + (i * 0.25) + ",b\n").getBytes(StandardCharsets.UTF_8));
                    yield List.of(key);
                }
                case ZARR -> {
                    String prefix = folder + String.format(Locale.ROOT, "a%06d.zarr/", i);
                    writeZarr(store, prefix, i);
                    yield List.of(prefix + ".zarray", prefix + ".zattrs", prefix + "0.0");
                }
            };
        }
    }

    /** A 4 x 4 float64 Zarr v2 array, one uncompressed chunk, with attributes (so three objects). */
    static void writeZarr(BlobStore store, String prefix, int i) throws IOException {
        ZarrV2Writer w = ZarrV2Writer.create(store, prefix, DataType.Builtin.parse("<f8"), new long[] {4, 4}, new int[] {4, 4},
                V2Compressor.none(), 0.0, Map.of("index", i, "_ARRAY_DIMENSIONS", List.of("y", "x")));
        ByteBuffer b = ByteBuffer.allocate(16 * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < 16; k++) b.putDouble(i + k / 16.0);
        w.writeChunk(new long[] {0, 0}, b.array());
    }

    /** One registration pass's invocations, built before the clock starts. */
    private record Payloads(List<byte[]> invocations, int events) {}

    /** One workload's objects in their store and its payloads in both shapes, built before any clock starts. */
    private record Prepared(Workload workload, Path dir, FileBlobStore store, Payloads single, Payloads batch) {}

    /**
     * Both workloads, both modes: {@code warmups} untimed rounds, then {@code rounds} timed ones; every round runs all four
     * passes, in an order that rotates from round to round, so that JIT progress and drift on the machine favour none.
     * A workload whose pass fails is dropped from the remaining rounds (its figures stay out).
     */
    static int rates(Results r, Path work, int nodes, int warmups, int rounds) throws IOException {
        List<Prepared> prepared = new ArrayList<>();
        AtomicLong seq = new AtomicLong(0x1000);
        for (Workload w : Workload.values()) {
            Path dir = work.resolve(w.label);
            FileBlobStore store = new FileBlobStore(Files.createDirectories(dir.resolve("data")));
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < nodes; i++) keys.addAll(w.write(store, i));
            Map<String, Long> sizes = new TreeMap<>();
            for (String k : keys) sizes.put(k, store.size(k).orElseThrow());
            prepared.add(new Prepared(w, dir, store, single(keys, sizes, seq), batched(keys, sizes, seq)));
            log(String.format(Locale.ROOT, "%s: %,d nodes (%,d objects) written", w.label, nodes, keys.size()));
        }
        log(String.format(Locale.ROOT, "%d warm-up and %d timed rounds of: one notification per invocation, SQS batches of %d, for each workload",
                warmups, rounds, BATCH));
        Map<Workload, long[]> single = new TreeMap<>(), batch = new TreeMap<>();
        for (Prepared p : prepared) {
            single.put(p.workload(), new long[rounds]);
            batch.put(p.workload(), new long[rounds]);
        }
        List<Workload> failed = new ArrayList<>();
        for (int round = -warmups; round < rounds; round++) {
            String label = round < 0 ? "warm-up" : "round " + round;
            int n = 2 * prepared.size();
            for (int j = 0; j < n; j++) {
                int slot = Math.floorMod(j + round, n);
                Prepared p = prepared.get(slot / 2);
                boolean isBatch = slot % 2 == 1;
                if (failed.contains(p.workload())) continue;
                try {
                    long t = pass(p, isBatch, label, nodes);
                    if (round >= 0) (isBatch ? batch : single).get(p.workload())[round] = t;
                } catch (IOException | RuntimeException e) {
                    failed.add(p.workload());
                    log(p.workload().label + " registrations failed: " + e);
                    e.printStackTrace();
                }
            }
        }
        for (Prepared p : prepared) {
            Workload w = p.workload();
            if (failed.contains(w)) continue;
            String k = "idx." + w.label + ".";
            long[] s = single.get(w), b = batch.get(w);
            r.put(k + "nodes", nodes);
            r.put(k + "events", p.single().events());
            r.put(k + "rounds", rounds);
            r.put(k + "warmups", warmups);
            r.put(k + "single.invocations", p.single().invocations().size());
            r.put(k + "batch.invocations", p.batch().invocations().size());
            r.put(k + "batch.size", BATCH);
            r.put(k + "single.seconds", Stats.median(s) / 1e9);
            r.put(k + "batch.seconds", Stats.median(b) / 1e9);
            r.put(k + "single.per_s", nodes / (Stats.median(s) / 1e9));
            r.put(k + "batch.per_s", nodes / (Stats.median(b) / 1e9));
            r.put(k + "single.rounds_per_s", perSecond(nodes, s));
            r.put(k + "batch.rounds_per_s", perSecond(nodes, b));
            log(String.format(Locale.ROOT, "%s: one per invocation %,.0f nodes/s (rounds %s), batches of %d %,.0f nodes/s (rounds %s)", w.label,
                    r.num(k + "single.per_s"), r.text(k + "single.rounds_per_s"), BATCH, r.num(k + "batch.per_s"), r.text(k + "batch.rounds_per_s")));
        }
        return failed.size();
    }

    private static String perSecond(int nodes, long[] nanos) {
        return String.join(" ", Arrays.stream(nanos).mapToObj(t -> String.format(Locale.ROOT, "%.0f", nodes / (t / 1e9))).toList());
    }

    private static Record put(String key, Map<String, Long> sizes, AtomicLong seq) {
        return Record.put(BUCKET, key, sizes.get(key), String.format(Locale.ROOT, "%018X", seq.incrementAndGet()));
    }

    /** One S3 notification of one record per invocation, as S3 invokes a function directly. */
    private static Payloads single(List<String> keys, Map<String, Long> sizes, AtomicLong seq) {
        List<byte[]> p = new ArrayList<>(keys.size());
        for (String k : keys) p.add(S3EventPayloads.notification(List.of(put(k, sizes, seq))).toString().getBytes(StandardCharsets.UTF_8));
        return new Payloads(p, keys.size());
    }

    /** SQS events of {@value #BATCH} messages, each one S3 notification of one record, as an SQS event source mapping delivers them. */
    private static Payloads batched(List<String> keys, Map<String, Long> sizes, AtomicLong seq) {
        List<byte[]> p = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += BATCH) {
            List<List<Record>> messages = new ArrayList<>();
            for (String k : keys.subList(from, Math.min(keys.size(), from + BATCH))) messages.add(List.of(put(k, sizes, seq)));
            p.add(S3EventPayloads.sqsOfNotifications(messages).toString().getBytes(StandardCharsets.UTF_8));
        }
        return new Payloads(p, keys.size());
    }

    /** Registers every payload into a fresh catalog; returns the nanoseconds the handler took; checks every node registered once. */
    private static long pass(Prepared prepared, boolean isBatch, String round, int nodes) throws IOException {
        Workload w = prepared.workload();
        Payloads payloads = isBatch ? prepared.batch() : prepared.single();
        FileBlobStore store = prepared.store();
        Path dir = prepared.dir();
        String name = isBatch ? "batch" : "single";
        Path db = dir.resolve("catalog-" + name + ".db");
        Map<String, Integer> outcomes = new TreeMap<>();
        long nanos;
        try (SqliteCatalog catalog = new SqliteCatalog(db)) {
            IndexerHandler handler = new IndexerHandler(IndexerHandler.indexer(new Backend(catalog, store), IndexerSettings.defaults()),
                    DeadLetters.none(), line -> outcomes.merge(action(line), 1, Integer::sum));
            byte[] ok = "{\"batchItemFailures\":[]}".getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream response = new ByteArrayOutputStream(64);
            long t0 = System.nanoTime();
            for (byte[] p : payloads.invocations()) {
                response.reset();
                handler.handleRequest(new ByteArrayInputStream(p), response, null);
                if (!Arrays.equals(response.toByteArray(), ok)) throw new IllegalStateException(name + ": " + response.toString(StandardCharsets.UTF_8));
            }
            nanos = System.nanoTime() - t0;
            long registered = 0;
            int folders = (nodes + PER_FOLDER - 1) / PER_FOLDER;
            for (int f = 0; f < folders; f++) registered += catalog.countChildren(NodePath.of(String.format(Locale.ROOT, "d%03d", f)));
            if (catalog.countChildren(NodePath.ROOT) != folders || registered != nodes)
                throw new IllegalStateException(name + ": " + registered + " nodes in the catalog, expected " + nodes + "; outcomes " + outcomes);
            // CSV: one REGISTERED per file. Zarr: .zarray registers, .zattrs finds the same node (UNCHANGED), and the chunk's
            // event moves the array's fingerprint on (REGISTERED: the data changed, so a new revision).
            Map<String, Integer> expected = w == Workload.CSV ? Map.of("REGISTERED", nodes)
                    : Map.of("REGISTERED", 2 * nodes, "UNCHANGED", nodes);
            if (!outcomes.equals(new TreeMap<>(expected))) throw new IllegalStateException(name + ": outcomes " + outcomes + ", expected " + expected);
        } catch (java.sql.SQLException e) {
            throw new IOException(e);
        } finally {
            for (String suffix : List.of("", "-wal", "-shm")) Files.deleteIfExists(dir.resolve("catalog-" + name + ".db" + suffix));
        }
        log(String.format(Locale.ROOT, "  %s: %s %s: %,d invocations, %,d events, %,d nodes in %.2f s: %,.0f nodes/s", round, w.label, name,
                payloads.invocations().size(), payloads.events(), nodes, nanos / 1e9, nodes / (nanos / 1e9)));
        return nanos;
    }

    /** The action of an outcome line {@code {"indexer":"REGISTERED",...}}. */
    private static String action(String line) {
        int from = line.indexOf("\"indexer\":\"");
        if (from < 0) return "?";
        from += 11;
        return line.substring(from, line.indexOf('"', from));
    }

    // ---- 2. upload to readable

    static void uploadToReadable(Results r, Path served, Path staging, int uploads) throws Exception {
        Files.createDirectories(served);
        Files.createDirectories(staging);
        FileBlobStore stagingStore = new FileBlobStore(staging);
        Main.Running running = Main.serveDirectory("127.0.0.1", 0, served, 4_500_000);
        log("upload to readable: " + uploads + " small Zarr arrays (+1 warm-up) into the served folder, by rename and by copy in turns; "
                + "polling /api/v1/metadata every " + POLL_MILLIS + " ms");
        List<Long> moved = new ArrayList<>(), copied = new ArrayList<>();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build()) {
            String base = "http://127.0.0.1:" + running.server().port() + "/api/v1/metadata/";
            for (int i = -1; i < uploads; i++) { // upload -1 is the warm-up
                String name = String.format(Locale.ROOT, "upload%03d", i + 1);
                writeZarr(stagingStore, name + ".zarr/", i + 1);
                Path from = staging.resolve(name + ".zarr"), to = served.resolve(name + ".zarr");
                boolean move = Math.floorMod(i, 2) == 0;
                if (move) {
                    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    Files.createDirectory(to);
                    try (Stream<Path> files = Files.list(from)) {
                        for (Path f : files.sorted(Comparator.comparing(Path::toString)).toList()) Files.copy(f, to.resolve(f.getFileName()));
                    }
                }
                long t0 = System.nanoTime();
                HttpRequest req = HttpRequest.newBuilder(URI.create(base + name)).header("Accept", "application/json")
                        .header("Authorization", "Apikey " + running.apiKey()).GET().build(); // a served folder is private
                int polls = 0;
                while (true) {
                    HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
                    polls++;
                    if (resp.statusCode() == 200) {
                        if (!resp.body().contains("\"" + name + "\"")) throw new IllegalStateException(name + ": unexpected body " + resp.body());
                        break;
                    }
                    if (resp.statusCode() != 404) throw new IllegalStateException(name + ": status " + resp.statusCode() + ": " + resp.body());
                    if (System.nanoTime() - t0 > READABLE_TIMEOUT.toNanos())
                        throw new IllegalStateException(name + " not readable after " + READABLE_TIMEOUT.toSeconds() + " s (" + polls + " polls)");
                    Thread.sleep(POLL_MILLIS);
                }
                long t = System.nanoTime() - t0;
                log(String.format(Locale.ROOT, "  %s %s: readable after %.0f ms (%d polls)%s", name, move ? "renamed in" : "copied in", Stats.millis(t), polls,
                        i < 0 ? " (warm-up, not counted)" : ""));
                if (i >= 0) (move ? moved : copied).add(t);
            }
        } finally {
            running.server().close();
        }
        long[] m = moved.stream().mapToLong(Long::longValue).toArray(), c = copied.stream().mapToLong(Long::longValue).toArray();
        long[] all = Stream.concat(moved.stream(), copied.stream()).mapToLong(Long::longValue).toArray();
        r.put("idx.upload.poll_ms", POLL_MILLIS);
        r.put("idx.upload.quiet_ms", QUIET_MILLIS);
        for (var e : Map.of("move", m, "copy", c, "all", all).entrySet()) {
            String k = "idx.upload." + e.getKey() + ".";
            r.put(k + "n", e.getValue().length);
            r.put(k + "p50_ms", Stats.millis(Stats.median(e.getValue())));
            r.put(k + "max_ms", Stats.millis(Arrays.stream(e.getValue()).max().orElse(0)));
            r.put(k + "min_ms", Stats.millis(Arrays.stream(e.getValue()).min().orElse(0)));
        }
        log(String.format(Locale.ROOT, "upload to readable: p50 %.0f ms, max %.0f ms over %d uploads", r.num("idx.upload.all.p50_ms"),
                r.num("idx.upload.all.max_ms"), all.length));
    }

    /** Removes what the driver wrote (thousands of small files), best effort. */
    private static void deleteTree(Path dir) {
        try {
            Trees.delete(dir);
        } catch (IOException | RuntimeException e) {
            log("could not remove " + dir + ": " + e);
        }
    }

    static void log(String s) {
        System.err.println("[indexer] " + s);
    }
}
