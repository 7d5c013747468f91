package dev.tiledgateway.bench;

import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The demo's {@code tables/long_table} (100,000 rows in five Parquet part files of 20,000) as a client sees it,
 * against reading the stored part files straight from disk ({@code Files.readAllBytes}).
 *
 * <p>Partitions: {@code GET /table/partition?partition=i} as Arrow IPC files, partitions in turn, from 1 and from N
 * concurrent clients (each its own {@link HttpClient}, own keep-alive connection), time-boxed after a warm-up; the
 * baseline is the same number of threads reading {@code part.i.parquet} whole in the same order for the same time.
 * The physical reference is pyarrow doing the work a partition read asks for, on the same part files, from as many
 * threads in the same order for the same window: {@code pq.read_table} of the part, written as Arrow IPC file bytes
 * (a python3 with pyarrow; without one its figures are left out and the report says "not measured"). The same reads
 * are also made by curl from processes of its own, so that a client's cost is not this JVM's (which runs the server):
 * the pyarrow target is judged on them.
 *
 * <p>Exports: {@code GET /table/full?format=csv|parquet}, the whole client-visible read (request, a 307 to the
 * {@code /_blob/} download when the body is above the inline ceiling, drained). "computed" samples ask for a request
 * never asked before (the columns A, B, C in another order: same rows, same work), "repeat" samples ask for the
 * canonical request (no {@code column=}) again. Whether a repeat was answered from the stored result is checked, not
 * assumed: a materialised result that is rewritten (its file replaced) during a repeat was computed again.
 */
final class TableThroughput {

    static final String TABLE = "tables/long_table";
    static final int PARTS = 5;
    static final int ROWS_PER_PART = 20_000;
    static final String ARROW = "application/vnd.apache.arrow.file";

    /** Column orders: the canonical request first (no {@code column=}), then requests never asked before. */
    static final List<List<String>> MEASURED = List.of(List.of(), List.of("B", "A", "C"), List.of("B", "C", "A"),
            List.of("C", "A", "B"), List.of("C", "B", "A"));
    /** Warm-up requests: distinct from the measured ones (a repeated name is dropped from the output, not from the request). */
    static final List<List<String>> WARMUP = List.of(List.of("A", "B", "C", "A"), List.of("A", "B", "C", "B"),
            List.of("A", "B", "C", "C"), List.of("A", "C", "B"));

    private final String base;
    private final Path objects;
    private final Path[] partFiles = new Path[PARTS];

    TableThroughput(String base, Path dataDir) {
        this.base = base;
        this.objects = dataDir.resolve("objects");
        for (int i = 0; i < PARTS; i++) partFiles[i] = objects.resolve("demo").resolve(TABLE).resolve("part." + i + ".parquet");
    }

    /** Adds its figures to {@code r} as they are measured, so a failure part-way keeps the earlier ones. */
    void run(Results r, int concurrent, Duration warmup, Duration window) throws Exception {
        long stored = 0;
        for (Path f : partFiles) stored += Files.size(f);
        r.put("tbl.parts", PARTS);
        r.put("tbl.rows", (long) PARTS * ROWS_PER_PART);
        r.put("tbl.stored_bytes", stored);
        try (HttpClient http = client()) {
            long[] arrowBytes = new long[PARTS];
            for (int i = 0; i < PARTS; i++) arrowBytes[i] = verifyPartition(http, i);
            r.put("tbl.part.arrow_bytes", Arrays.stream(arrowBytes).sum() / (double) PARTS);
            r.put("tbl.part.concurrent", concurrent);
            for (int clients : new int[] {1, concurrent}) {
                EndToEnd.log(String.format(Locale.ROOT, "long_table partitions: %d client(s), %d s warm-up, %d s measured; raw reads the same",
                        clients, warmup.toSeconds(), window.toSeconds()));
                partitions(r, "tbl.part.c" + clients + ".", clients, arrowBytes, warmup, window);
            }
            for (String format : new String[] {"csv", "parquet"}) exports(http, r, format);
        }
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    // ---------------------------------------------------------------------------------------------- partitions

    private URI partitionUri(int i) {
        return URI.create(base + "/api/v1/table/partition/" + TABLE + "?partition=" + i);
    }

    /** Partition {@code i} decodes to 20,000 rows with the demo's values (B = 2A, C = 3A, index from 20,000 i); its size. */
    private long verifyPartition(HttpClient http, int i) throws Exception {
        HttpResponse<byte[]> resp = http.send(HttpRequest.newBuilder(partitionUri(i)).header("Accept", ARROW).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        byte[] b = resp.body();
        if (resp.statusCode() != 200) throw new IllegalStateException("partition " + i + ": status " + resp.statusCode());
        if (b.length < 6 || !new String(b, 0, 6, StandardCharsets.US_ASCII).equals("ARROW1"))
            throw new IllegalStateException("partition " + i + ": not an Arrow IPC file");
        long rows = 0;
        try (RootAllocator alloc = new RootAllocator();
             ArrowFileReader reader = new ArrowFileReader(new ByteArrayReadableSeekableByteChannel(b), alloc)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            while (reader.loadNextBatch()) {
                Float8Vector a = (Float8Vector) root.getVector("A"), bb = (Float8Vector) root.getVector("B"), c = (Float8Vector) root.getVector("C");
                BigIntVector index = (BigIntVector) root.getVector("index");
                for (int k = 0; k < root.getRowCount(); k += 997) {
                    double v = a.get(k);
                    if (bb.get(k) != 2 * v || c.get(k) != 3 * v || index.get(k) != (long) i * ROWS_PER_PART + rows + k)
                        throw new IllegalStateException("partition " + i + ": unexpected values at row " + (rows + k));
                }
                rows += root.getRowCount();
            }
        }
        if (rows != ROWS_PER_PART) throw new IllegalStateException("partition " + i + ": " + rows + " rows, expected " + ROWS_PER_PART);
        return b.length;
    }

    /** One timed read; returns the bytes it got (throws when the answer is wrong). */
    @FunctionalInterface
    private interface Read {
        long read(int partition) throws Exception;
    }

    private void partitions(Results r, String k, int clients, long[] arrowBytes, Duration warmup, Duration window) throws Exception {
        Window gw = timeBoxed(clients, warmup, window, id -> {
            HttpClient http = client();
            HttpRequest[] reqs = new HttpRequest[PARTS];
            for (int i = 0; i < PARTS; i++) reqs[i] = HttpRequest.newBuilder(partitionUri(i)).header("Accept", ARROW).GET().build();
            return new Closing(p -> {
                HttpResponse<InputStream> resp = http.send(reqs[p], HttpResponse.BodyHandlers.ofInputStream());
                long n = drain(resp.body());
                if (resp.statusCode() != 200 || n != arrowBytes[p])
                    throw new IllegalStateException("partition " + p + ": status " + resp.statusCode() + ", " + n + " bytes, expected " + arrowBytes[p]);
                return n;
            }, http);
        });
        Window raw = timeBoxed(clients, Duration.ofMillis(500), Duration.ofMillis(Math.max(1000, window.toMillis() / 2)),
                id -> new Closing(p -> Files.readAllBytes(partFiles[p]).length, null));
        put(r, k + "gw.", gw);
        put(r, k + "raw.", raw);
        Window byCurl = curl(clients, arrowBytes, warmup, window);
        if (byCurl != null) put(r, k + "curl.", byCurl);
        pyarrow(r, k + "pyarrow.", clients, warmup, window);
        EndToEnd.log(String.format(Locale.ROOT, "  gateway %,.1f reads/s (%,.1f MB/s Arrow, p50 %.2f ms); raw %,.0f reads/s (%,.0f MB/s stored)",
                gw.perSecond(), gw.bytes / 1e6 / gw.seconds, Stats.millis(Stats.percentile(gw.latencies, 50)), raw.perSecond(),
                raw.bytes / 1e6 / raw.seconds));
    }

    /** URLs in each curl's list: more than a client can read in a warm-up and a window (about 2,000 reads/s here). */
    private static final int CURL_URLS = 60_000;

    /**
     * The same reads by curl, whose work is not in this JVM (which also runs the server and its GC): one curl process
     * per client, reading its list of partition URLs (client t from partition t, in turn, as {@link #timeBoxed} asks
     * for them) over one keep-alive connection, stopped with the window. curl writes one line per transfer (status,
     * size, connections opened) to its standard error as the transfer ends: a read is the wait for the next line, so
     * its time is the transfer's plus curl's turn between two. Every transfer must be a 200 of the partition's size,
     * and a client may open only its one connection. Null (and the report says "not measured") without curl.
     */
    private Window curl(int clients, long[] arrowBytes, Duration warmup, Duration window) throws Exception {
        long[] connects = new long[clients];
        Window w;
        try {
            w = timeBoxed(clients, warmup, window, id -> {
                StringBuilder cfg = new StringBuilder("silent\nshow-error\nmax-time = 60\nheader = \"Accept: " + ARROW + "\"\n"
                        + "write-out = \"%{stderr}%{http_code} %{size_download} %{num_connects}\\n\"\n");
                for (int i = 0; i < CURL_URLS; i++)
                    cfg.append("url = \"").append(partitionUri((id + i) % PARTS)).append("\"\noutput = \"/dev/null\"\n");
                Path config = Files.writeString(Files.createTempFile("curl-partitions", ".cfg"), cfg);
                // The lines go to standard error, which curl does not buffer: each arrives as its transfer ends.
                Process curl = new ProcessBuilder("curl", "--config", config.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                var lines = new java.io.BufferedReader(new java.io.InputStreamReader(curl.getErrorStream(), StandardCharsets.US_ASCII));
                return new Closing(p -> {
                    String line = lines.readLine();
                    if (line == null) throw new IllegalStateException("curl stopped (exit " + curl.waitFor() + ") before the window ended");
                    String[] f = line.trim().split(" ");
                    if (f.length != 3 || !f[0].equals("200") || Long.parseLong(f[1]) != arrowBytes[p])
                        throw new IllegalStateException("curl, partition " + p + ": '" + line + "', expected 200 and " + arrowBytes[p] + " bytes");
                    connects[id] += Long.parseLong(f[2]);
                    return arrowBytes[p];
                }, () -> {
                    curl.destroyForcibly().waitFor();
                    Files.deleteIfExists(config);
                });
            });
        } catch (IllegalStateException e) {
            if (!EndToEnd.programMissing(e.getCause())) throw e;
            EndToEnd.log("  curl not measured: " + e.getCause().getMessage());
            return null;
        }
        for (int c = 0; c < clients; c++)
            if (connects[c] != 1) throw new IllegalStateException("curl client " + c + " opened " + connects[c] + " connections, expected its one keep-alive connection");
        EndToEnd.log(String.format(Locale.ROOT, "  curl (%d process(es), one keep-alive connection each): %,.1f reads/s, p50 %.2f ms",
                clients, w.perSecond(), Stats.millis(Stats.percentile(w.latencies, 50))));
        return w;
    }

    /** pyarrow reading and writing the same partitions (see the class comment); nothing recorded when it cannot run. */
    private void pyarrow(Results r, String k, int threads, Duration warmup, Duration window) {
        try {
            Path script = Files.createTempFile("pyarrow_partitions", ".py");
            try {
                try (InputStream in = TableThroughput.class.getResourceAsStream("pyarrow_partitions.py")) {
                    Files.write(script, Objects.requireNonNull(in, "pyarrow_partitions.py").readAllBytes());
                }
                List<String> cmd = new ArrayList<>(List.of("python3", script.toString(), String.valueOf(warmup.toMillis() / 1000.0),
                        String.valueOf(window.toMillis() / 1000.0), String.valueOf(threads)));
                for (Path f : partFiles) cmd.add(f.toString());
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (p.waitFor() != 0 || !out.startsWith("{")) {
                    EndToEnd.log("  pyarrow reference not measured: " + (out.length() > 300 ? out.substring(out.length() - 300) : out));
                    return;
                }
                com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out);
                r.put(k + "reads", j.path("reads").asLong());
                r.put(k + "seconds", j.path("seconds").asDouble());
                r.put(k + "bytes", j.path("bytes").asLong());
                r.put("tbl.pyarrow.version", j.path("pyarrow").asText());
                EndToEnd.log(String.format(Locale.ROOT, "  pyarrow read_table + Arrow IPC file: %,.1f reads/s (pyarrow %s)",
                        j.path("reads").asLong() / j.path("seconds").asDouble(), j.path("pyarrow").asText()));
            } finally {
                Files.deleteIfExists(script);
            }
        } catch (IOException | InterruptedException e) {
            EndToEnd.log("  pyarrow reference not measured: " + e);
        }
    }

    private static void put(Results r, String k, Window w) {
        r.put(k + "reads", w.latencies.length);
        r.put(k + "bytes", w.bytes);
        r.put(k + "seconds", w.seconds);
        r.put(k + "p50_ms", Stats.millis(Stats.percentile(w.latencies, 50)));
        r.put(k + "p99_ms", Stats.millis(Stats.percentile(w.latencies, 99)));
    }

    /** A reader for one thread, and what to close when it is done (may be null). */
    private record Closing(Read read, AutoCloseable resource) {}

    /** Reads counted in the window: those that started after the warm-up and finished before its end. */
    private record Window(long[] latencies, long bytes, double seconds) {
        double perSecond() { return latencies.length / seconds; }
    }

    @FunctionalInterface
    private interface ReaderFactory {
        Closing open(int id) throws Exception;
    }

    /** {@code threads} threads, each reading partitions in turn (thread t starts at partition t), for warm-up + window. */
    private static Window timeBoxed(int threads, Duration warmup, Duration window, ReaderFactory factory) throws Exception {
        long from = System.nanoTime() + warmup.toNanos();
        long until = from + window.toNanos();
        long[][] lat = new long[threads][];
        AtomicLong bytes = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts.add(Thread.ofPlatform().name("table-reader-" + t).start(() -> {
                long[] l = new long[1 << 12];
                int n = 0;
                try {
                    Closing c = factory.open(id);
                    try {
                        for (int i = id; ; i++) {
                            long t0 = System.nanoTime();
                            if (t0 >= until || failure.get() != null) break;
                            long got = c.read().read(i % PARTS);
                            long t1 = System.nanoTime();
                            if (t0 >= from && t1 <= until) {
                                if (n == l.length) l = Arrays.copyOf(l, n * 2);
                                l[n++] = t1 - t0;
                                bytes.addAndGet(got);
                            }
                        }
                    } finally {
                        if (c.resource() != null) c.resource().close();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
                lat[id] = Arrays.copyOf(l, n);
            }));
        }
        for (Thread t : ts) t.join();
        if (failure.get() != null) throw new IllegalStateException("a reader failed: " + failure.get(), failure.get());
        long[] all = Arrays.stream(lat).flatMapToLong(Arrays::stream).toArray();
        return new Window(all, bytes.get(), window.toNanos() / 1e9);
    }

    // ------------------------------------------------------------------------------------------------- exports

    private URI exportUri(String format, List<String> columns) {
        StringBuilder q = new StringBuilder(base + "/api/v1/table/full/" + TABLE + "?format=" + format);
        for (String c : columns) q.append("&column=").append(c);
        return URI.create(q.toString());
    }

    /** One client-visible export, drained. */
    private record Fetch(long nanos, long bytes, boolean redirected, String blobKey) {}

    private Fetch export(HttpClient http, String format, List<String> columns, long expectedBytes) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        HttpResponse<InputStream> resp = http.send(HttpRequest.newBuilder(exportUri(format, columns)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long n = drain(resp.body());
        long t = System.nanoTime() - t0;
        if (resp.statusCode() != 200) throw new IllegalStateException(format + " " + columns + ": status " + resp.statusCode());
        if (expectedBytes >= 0 && n != expectedBytes)
            throw new IllegalStateException(format + " " + columns + ": got " + n + " bytes, expected " + expectedBytes);
        boolean redirected = resp.previousResponse().map(p -> p.statusCode() == 307).orElse(false);
        String path = resp.uri().getPath();
        String key = redirected && path.startsWith("/_blob/") ? path.substring("/_blob/".length()) : null;
        return new Fetch(t, n, redirected, key);
    }

    /** The canonical export's body checked: CSV has a header and 100,000 rows; Parquet has its magic at both ends. */
    private long verifyExport(HttpClient http, String format) throws IOException, InterruptedException {
        HttpResponse<byte[]> resp = http.send(HttpRequest.newBuilder(exportUri(format, List.of())).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        byte[] b = resp.body();
        if (resp.statusCode() != 200) throw new IllegalStateException(format + ": status " + resp.statusCode());
        long rows = (long) PARTS * ROWS_PER_PART;
        if (format.equals("csv")) {
            long lines = 0;
            for (byte x : b) if (x == '\n') lines++;
            String header = new String(b, 0, Math.min(b.length, 64), StandardCharsets.UTF_8).split("\n", 2)[0];
            if (lines != rows + 1 || !header.contains("A,B,C"))
                throw new IllegalStateException("csv: " + lines + " lines (expected " + (rows + 1) + "), header '" + header + "'");
        } else {
            String head = new String(b, 0, 4, StandardCharsets.US_ASCII), tail = new String(b, b.length - 4, 4, StandardCharsets.US_ASCII);
            if (!head.equals("PAR1") || !tail.equals("PAR1")) throw new IllegalStateException("parquet: no PAR1 magic at both ends");
        }
        return b.length;
    }

    private void exports(HttpClient http, Results r, String format) throws Exception {
        String k = "tbl." + format + ".";
        EndToEnd.log("long_table " + format + " export: " + WARMUP.size() + " warm-up, " + MEASURED.size() + " computed, "
                + MEASURED.size() + " repeat");
        for (List<String> w : WARMUP) export(http, format, w, -1);
        List<Path> parts = List.of(partFiles);
        readRaw(parts);
        int n = MEASURED.size();
        long[] raw = new long[n], computed = new long[n], repeat = new long[n];
        long bytes = -1;
        boolean redirected = false;
        String canonicalKey = null;
        for (int i = 0; i < n; i++) {
            raw[i] = readRaw(parts);
            Fetch f = export(http, format, MEASURED.get(i), bytes);
            computed[i] = f.nanos();
            if (i == 0) {
                bytes = f.bytes();
                redirected = f.redirected();
                canonicalKey = f.blobKey();
            } else if (f.redirected() != redirected) {
                throw new IllegalStateException(format + ": some exports were redirected and some not");
            }
            EndToEnd.log(String.format(Locale.ROOT, "  %s raw %.1f ms, computed %s %.1f ms", format, Stats.millis(raw[i]), MEASURED.get(i),
                    Stats.millis(computed[i])));
        }
        if (verifyExport(http, format) != bytes) throw new IllegalStateException(format + ": the checked body differs in size");
        // A repeat answered from the stored result leaves its file alone; one recomputed replaces it.
        Path stored = canonicalKey == null ? null : objects.resolve(canonicalKey);
        int rewritten = 0;
        for (int i = 0; i < n; i++) {
            Object before = stored == null ? null : identity(stored);
            Fetch f = export(http, format, MEASURED.get(0), bytes);
            repeat[i] = f.nanos();
            if (stored != null && !Objects.equals(before, identity(stored))) rewritten++;
            if (!Objects.equals(f.blobKey(), canonicalKey)) throw new IllegalStateException(format + ": the repeat went elsewhere");
            EndToEnd.log(String.format(Locale.ROOT, "  %s repeat %.1f ms", format, Stats.millis(repeat[i])));
        }
        r.put(k + "bytes", bytes);
        r.put(k + "redirected", Boolean.toString(redirected));
        r.put(k + "samples", n);
        r.put(k + "raw_ms", Stats.millis(Stats.median(raw)));
        r.put(k + "computed_ms", Stats.millis(Stats.median(computed)));
        r.put(k + "repeat_ms", Stats.millis(Stats.median(repeat)));
        if (stored != null) r.put(k + "repeat_rewritten", rewritten);
    }

    /** The stored file's identity and modification time: changes when it is replaced or rewritten. */
    private static Object identity(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime().toString());
    }

    /** Reads every file whole, one after another; nanoseconds. */
    private static long readRaw(List<Path> files) throws IOException {
        long t0 = System.nanoTime();
        long n = 0;
        for (Path f : files) n += Files.readAllBytes(f).length;
        long t = System.nanoTime() - t0;
        if (n == 0) throw new IllegalStateException("no part bytes read");
        return t;
    }

    private static long drain(InputStream body) throws IOException {
        long n = 0;
        try (InputStream in = body) {
            byte[] buf = new byte[1 << 16];
            for (int k; (k = in.read(buf)) >= 0; ) n += k;
        }
        return n;
    }
}
