package dev.tiledgateway.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /api/v1/array/full} of {@code big_image} (10000x10000 float64, uncompressed 4096x4096 chunks) as a client
 * sees it: the request, the 307 to the presigned {@code /_blob/} download, and the download, drained. Compared with
 * reading the chunk files the selection touches straight from disk ({@code Files.readAllBytes}, one after another).
 *
 * <p>Each "computed" sample asks for a selection not asked for before (same size, same chunks), so the server really
 * reads, slices and stores the result; "repeat" samples ask for one selection again and are redirected to the stored
 * result without recomputing. Each sample's time up to the 307 (read, slice, store) and the download's are logged apart.
 *
 * <p>Each sample is also taken by curl in a process of its own ({@link #fetchByCurl}), on selections of its own (never
 * asked before either, same size, same chunks), in turns with the others: the driver's {@code HttpClient} runs in
 * the server's JVM and drains a download at a few hundred MB/s, so its rows weigh the client as much as the gateway.
 *
 * <p>On its own: {@code ArrayThroughput --data-dir DIR --out FILE [--cases 8mb,100mb]} (a fresh demo server in this JVM).
 */
final class ArrayThroughput {

    public static void main(String[] args) throws Exception {
        Path dataDir = null, out = null;
        List<String> names = List.of("8mb", "100mb");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--cases" -> names = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("usage: ArrayThroughput --data-dir DIR --out FILE [--cases 8mb,100mb]");
            }
        }
        if (dataDir == null || out == null) throw new IllegalArgumentException("usage: ArrayThroughput --data-dir DIR --out FILE [--cases 8mb,100mb]");
        Files.createDirectories(dataDir);
        Results r = new Results();
        r.put("e2e.load_start", Load.now());
        dev.tiledgateway.local.Main.Running running = dev.tiledgateway.local.Main.serveDemo("127.0.0.1", 0, dataDir, 4_500_000);
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(java.time.Duration.ofSeconds(5)).build()) {
            List<Case> cases = new ArrayList<>();
            for (String n : names) cases.add(switch (n) {
                case "8mb" -> MB_8;
                case "100mb" -> MB_100;
                default -> throw new IllegalArgumentException("no case " + n);
            });
            r.putAll(new ArrayThroughput(http, "http://127.0.0.1:" + running.server().port(), dataDir).run(cases));
        } finally {
            running.server().close();
        }
        r.put("e2e.load_end", Load.now());
        r.save(out);
        System.exit(0); // the demo's dynamic-array ticker is not stopped by closing the server
    }

    static final String ARRAY = "nested/images/big_image";
    static final long SIDE = 10_000;
    static final int CHUNK = 4096;
    static final int ITEMSIZE = 8;

    /** Rows [r0, r1) by columns [c0, c1) of big_image. */
    record Box(long r0, long r1, long c0, long c1) {
        String slice() { return r0 + ":" + r1 + "," + (c0 == 0 && c1 == SIDE ? ":" : c0 + ":" + c1); }

        String shape() { return (r1 - r0) + "," + (c1 - c0); }

        long bytes() { return (r1 - r0) * (c1 - c0) * ITEMSIZE; }

        /** Zarr v2 chunk keys ({@code i.j}) of the chunks this box touches. */
        List<String> chunkKeys() {
            List<String> keys = new ArrayList<>();
            for (long i = r0 / CHUNK; i <= (r1 - 1) / CHUNK; i++)
                for (long j = c0 / CHUNK; j <= (c1 - 1) / CHUNK; j++) keys.add(i + "." + j);
            return keys;
        }
    }

    /**
     * One request size: the selections to time (the first is the one named in the report), the ones curl times, and
     * the ones to warm up with; all distinct, all in the same chunks.
     */
    record Case(String name, List<Box> measured, List<Box> byCurl, List<Box> warmup) {}

    static final Case MB_8 = new Case("8mb",
            List.of(new Box(0, 1000, 0, 1000), new Box(1000, 2000, 0, 1000), new Box(2000, 3000, 0, 1000),
                    new Box(3000, 4000, 0, 1000), new Box(0, 1000, 1000, 2000)),
            List.of(new Box(1000, 2000, 1000, 2000), new Box(2000, 3000, 1000, 2000), new Box(3000, 4000, 1000, 2000),
                    new Box(0, 1000, 2000, 3000), new Box(1000, 2000, 2000, 3000)),
            List.of(new Box(3000, 4000, 3000, 4000), new Box(2000, 3000, 3000, 4000), new Box(1000, 2000, 3000, 4000),
                    new Box(0, 1000, 3000, 4000), new Box(3000, 4000, 2000, 3000), new Box(2000, 3000, 2000, 3000)));
    static final Case MB_100 = new Case("100mb",
            List.of(new Box(0, 1250, 0, SIDE), new Box(500, 1750, 0, SIDE), new Box(1000, 2250, 0, SIDE),
                    new Box(1500, 2750, 0, SIDE), new Box(2000, 3250, 0, SIDE)),
            List.of(new Box(250, 1500, 0, SIDE), new Box(750, 2000, 0, SIDE), new Box(1250, 2500, 0, SIDE),
                    new Box(1750, 3000, 0, SIDE), new Box(2250, 3500, 0, SIDE)),
            // Warm-ups until the server's time per read settles (about five 100 MB reads in a fresh JVM). The results
            // stored in all stay under the local server's 2 GiB cap, so none of the timed ones is evicted before its repeats.
            List.of(new Box(2846, 4096, 0, SIDE), new Box(125, 1375, 0, SIDE), new Box(625, 1875, 0, SIDE), new Box(1125, 2375, 0, SIDE),
                    new Box(1625, 2875, 0, SIDE), new Box(2125, 3375, 0, SIDE)));

    private final HttpClient client;
    private final String base;
    private final Path chunkDir;
    /** Where the raw writes go: the data folder, on the file system of the server's results. */
    private final Path scratchDir;

    ArrayThroughput(HttpClient client, String base, Path dataDir) {
        this.client = client;
        this.base = base;
        this.chunkDir = dataDir.resolve("objects/demo").resolve(ARRAY);
        this.scratchDir = dataDir;
    }

    Results run() throws IOException, InterruptedException { return run(List.of(MB_8, MB_100)); }

    Results run(List<Case> cases) throws IOException, InterruptedException {
        Results r = new Results();
        // The demo makes big_image's chunks on first read: make the three the cases touch before timing anything.
        Box touchAll = new Box(4000, 4096, 0, SIDE);
        long t0 = System.nanoTime();
        fetch(touchAll);
        r.put("tp.first_touch_ms", Stats.millis(System.nanoTime() - t0));
        // Flush the ~400 MB of new chunk files now, so their write-back does not compete with the timed reads.
        for (String key : touchAll.chunkKeys()) {
            try (FileChannel ch = FileChannel.open(chunkDir.resolve(key), StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        }
        verify(new Box(3000, 4000, 3000, 4000));
        for (Case c : cases) measure(c, r);
        return r;
    }

    private void measure(Case c, Results r) throws IOException, InterruptedException {
        Box canonical = c.measured().get(0);
        List<Path> files = canonical.chunkKeys().stream().map(chunkDir::resolve).toList();
        List<Box> all = new ArrayList<>(c.measured());
        all.addAll(c.byCurl());
        all.addAll(c.warmup());
        if (all.stream().map(Box::slice).distinct().count() != all.size()) throw new IllegalStateException("case " + c.name() + " repeats a selection");
        for (Box b : all)
            if (!b.chunkKeys().equals(canonical.chunkKeys())) throw new IllegalStateException("case " + c.name() + " mixes chunk sets");
        for (Box b : c.warmup()) fetch(b);
        readRaw(files);

        long[] raw = new long[c.measured().size()];
        long[] computed = new long[c.measured().size()];
        long[] repeat = new long[c.measured().size()];
        long[] curlComputed = new long[c.byCurl().size()];
        long[] curlRepeat = new long[c.byCurl().size()];
        long[] written = new long[c.measured().size()];
        List<Path> writes = new ArrayList<>();
        if (curlComputed.length != computed.length) throw new IllegalStateException("case " + c.name() + ": as many curl samples as others");
        boolean curl = true;
        for (int i = 0; i < computed.length; i++) {
            raw[i] = readRaw(files);
            computed[i] = fetch(c.measured().get(i));
            EndToEnd.log(String.format(Locale.ROOT, "%s raw %.1f ms, computed %s %.1f ms (%.1f ms to the download's head)", c.name(), Stats.millis(raw[i]),
                    c.measured().get(i).slice(), Stats.millis(computed[i]), Stats.millis(lastHeadersNanos)));
            if (curl) {
                curlComputed[i] = fetchByCurl(c.byCurl().get(i));
                curl = curlComputed[i] >= 0;
                if (curl) EndToEnd.log(String.format(Locale.ROOT, "%s computed by curl %s %.1f ms (%.1f ms to the download's head)", c.name(),
                        c.byCurl().get(i).slice(), Stats.millis(curlComputed[i]), Stats.millis(lastHeadersNanos)));
            }
            Path w = Files.createTempFile(scratchDir, ".bench-write-", "");
            writes.add(w);
            written[i] = writeRaw(w, canonical.bytes());
            EndToEnd.log(String.format(Locale.ROOT, "%s %,d bytes written into a new file %.1f ms", c.name(), canonical.bytes(), Stats.millis(written[i])));
        }
        for (Path w : writes) Files.deleteIfExists(w);
        for (int i = 0; i < repeat.length; i++) {
            repeat[i] = fetch(canonical);
            EndToEnd.log(String.format(Locale.ROOT, "%s repeat %s %.1f ms (%.1f ms to the download's head)", c.name(), canonical.slice(),
                    Stats.millis(repeat[i]), Stats.millis(lastHeadersNanos)));
            if (curl) {
                curlRepeat[i] = fetchByCurl(canonical);
                EndToEnd.log(String.format(Locale.ROOT, "%s repeat by curl %s %.1f ms (%.1f ms to the download's head)", c.name(), canonical.slice(),
                        Stats.millis(curlRepeat[i]), Stats.millis(lastHeadersNanos)));
            }
        }

        long chunkBytes = 0;
        for (Path f : files) chunkBytes += Files.size(f);
        String k = "tp." + c.name() + ".";
        r.put(k + "slice", canonical.slice());
        r.put(k + "bytes", canonical.bytes());
        r.put(k + "chunks", files.size());
        r.put(k + "chunk_bytes", chunkBytes);
        r.put(k + "samples", computed.length);
        r.put(k + "raw_ms", Stats.millis(Stats.median(raw)));
        r.put(k + "computed_ms", Stats.millis(Stats.median(computed)));
        r.put(k + "repeat_ms", Stats.millis(Stats.median(repeat)));
        r.put(k + "write_ms", Stats.millis(Stats.median(written)));
        if (curl) {
            r.put(k + "curl.samples", curlComputed.length);
            r.put(k + "curl.computed_ms", Stats.millis(Stats.median(curlComputed)));
            r.put(k + "curl.repeat_ms", Stats.millis(Stats.median(curlRepeat)));
        } else {
            EndToEnd.log("  " + c.name() + " by curl not measured (no curl)");
        }
    }

    /**
     * Writes {@code bytes} bytes into {@code file} (new, kept until the case ends, like a stored result) in pieces of
     * 8 MiB, as the server writes a result band by band; nanoseconds. What storing a result costs at the least, here.
     */
    private static long writeRaw(Path file, long bytes) throws IOException {
        byte[] piece = new byte[8 << 20];
        Arrays.fill(piece, (byte) 1);
        long t0 = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long left = bytes; left > 0; ) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(piece, 0, (int) Math.min(piece.length, left));
                while (b.hasRemaining()) left -= ch.write(b);
            }
        }
        return System.nanoTime() - t0;
    }

    /** Reads every file whole, one after another; nanoseconds. */
    private static long readRaw(List<Path> files) throws IOException {
        long t0 = System.nanoTime();
        long n = 0;
        for (Path f : files) n += Files.readAllBytes(f).length;
        long t = System.nanoTime() - t0;
        if (n == 0) throw new IllegalStateException("no chunk bytes read");
        return t;
    }

    private String url(Box b) { return base + "/api/v1/array/full/" + ARRAY + "?slice=" + b.slice() + "&expected_shape=" + b.shape(); }

    private HttpRequest request(Box b) {
        return HttpRequest.newBuilder(URI.create(url(b)))
                .header("Accept", "application/octet-stream").GET().build();
    }

    /** The full client-visible read, drained without keeping the bytes; nanoseconds. Fails unless it was redirected. */
    private long fetch(Box b) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        HttpResponse<InputStream> resp = client.send(request(b), HttpResponse.BodyHandlers.ofInputStream());
        long headers = System.nanoTime() - t0;
        long n = 0;
        try (InputStream in = resp.body()) {
            byte[] buf = new byte[1 << 20];
            for (int k; (k = in.read(buf)) >= 0; ) n += k;
        }
        long t = System.nanoTime() - t0;
        check(b, resp, n);
        lastHeadersNanos = headers;
        return t;
    }

    /**
     * The same read by curl, in a process of its own, on a fresh connection: the request, the 307 it follows and the
     * download, written to nowhere; nanoseconds by curl's own clock (its {@code time_total}, which leaves out the
     * process's start). Fails unless it was one redirect to a 200 of the selection's size; -1 when there is no curl.
     */
    private long fetchByCurl(Box b) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("curl", "--silent", "--show-error", "--location", "--max-redirs", "1", "--output", "/dev/null",
                    "--header", "Accept: application/octet-stream",
                    "--write-out", "%{http_code} %{num_redirects} %{size_download} %{time_total} %{time_starttransfer}", url(b))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            if (EndToEnd.programMissing(e)) return -1;
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim();
        int exit = p.waitFor();
        String[] f = out.split(" ");
        if (exit != 0 || f.length != 5 || !f[0].equals("200") || !f[1].equals("1") || Long.parseLong(f[2]) != b.bytes())
            throw new IllegalStateException(b.slice() + " by curl: exit " + exit + ", '" + out + "', expected 200 after one redirect and " + b.bytes() + " bytes");
        lastHeadersNanos = (long) (Double.parseDouble(f[4]) * 1e9);
        return (long) (Double.parseDouble(f[3]) * 1e9);
    }

    /** For the log: nanoseconds from the request to the download's response head (the 307 included). */
    private long lastHeadersNanos;

    private static void check(Box b, HttpResponse<?> resp, long n) {
        if (resp.statusCode() != 200) throw new IllegalStateException(b.slice() + ": status " + resp.statusCode());
        if (n != b.bytes()) throw new IllegalStateException(b.slice() + ": got " + n + " bytes, expected " + b.bytes());
        if (resp.previousResponse().map(p -> p.statusCode() != 307).orElse(true))
            throw new IllegalStateException(b.slice() + ": expected a 307 redirect to the stored result");
    }

    /** The served bytes of {@code b} (inside chunk 0.0) match that chunk file's, first and last row. */
    private void verify(Box b) throws IOException, InterruptedException {
        HttpResponse<byte[]> resp = client.send(request(b), HttpResponse.BodyHandlers.ofByteArray());
        check(b, resp, resp.body().length);
        byte[] chunk = Files.readAllBytes(chunkDir.resolve("0.0"));
        int rowBytes = (int) (b.c1() - b.c0()) * ITEMSIZE;
        for (long row : new long[] {0, b.r1() - b.r0() - 1}) {
            int src = (int) (((b.r0() + row) * CHUNK + b.c0()) * ITEMSIZE);
            int dst = (int) (row * rowBytes);
            if (!Arrays.equals(chunk, src, src + rowBytes, resp.body(), dst, dst + rowBytes))
                throw new IllegalStateException(b.slice() + ": served bytes differ from chunk 0.0 at row " + row);
        }
    }
}
