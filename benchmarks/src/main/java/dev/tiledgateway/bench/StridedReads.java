package dev.tiledgateway.bench;

import dev.tiledgateway.local.Main;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A strided read of {@code big_image}: {@code /array/full?slice=k::1000,k::1000} (100 values from all nine of its
 * uncompressed 4096 × 4096 chunks, 134 MB each), on {@code serve demo}, warm (the chunk files written and in the page
 * cache). Each sample starts at another {@code k}, so no result is reused. Compared with reading the nine chunk
 * files whole, which is what a read of whole chunks costs at the least.
 *
 * <pre>StridedReads --data-dir DIR --out FILE [--samples 7]</pre>
 */
public final class StridedReads {

    static final long STEP = 1000;
    static final int GRID = 3;
    static final long CHUNK_BYTES = (long) ArrayThroughput.CHUNK * ArrayThroughput.CHUNK * ArrayThroughput.ITEMSIZE;

    public static void main(String[] args) throws Exception {
        Path dataDir = null, out = null;
        int samples = 7;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: StridedReads --data-dir DIR --out FILE [--samples N]");
            }
        }
        if (dataDir == null || out == null) throw new IllegalArgumentException("usage: StridedReads --data-dir DIR --out FILE [--samples N]");
        Results r = new Results();
        r.put("strided.load_start", Load.now());
        Main.Running running = Main.serveDemo("127.0.0.1", 0, dataDir, 4_500_000);
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(5)).build()) {
            new StridedReads(http, "http://127.0.0.1:" + running.server().port(), dataDir).run(r, samples);
        } finally {
            running.server().close();
        }
        r.put("strided.load_end", Load.now());
        r.save(out);
        System.exit(0); // the demo's dynamic-array ticker is not stopped by closing the server
    }

    private final HttpClient client;
    private final String base;
    private final Path chunkDir;

    StridedReads(HttpClient client, String base, Path dataDir) {
        this.client = client;
        this.base = base;
        this.chunkDir = dataDir.resolve("objects/demo").resolve(ArrayThroughput.ARRAY);
    }

    private List<Path> chunkFiles() {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < GRID; i++) for (int j = 0; j < GRID; j++) files.add(chunkDir.resolve(i + "." + j));
        return files;
    }

    private boolean allStored() throws IOException {
        for (Path f : chunkFiles()) if (!Files.isRegularFile(f) || Files.size(f) != CHUNK_BYTES) return false;
        return true;
    }

    void run(Results r, int samples) throws IOException, InterruptedException {
        // The demo makes big_image's chunks on first read and stores them in the background: read until all nine are files.
        long t0 = System.nanoTime();
        fetch(0);
        r.put("strided.first_ms", Stats.millis(System.nanoTime() - t0));
        for (int round = 0; !allStored(); round++) {
            if (round == 120) throw new IllegalStateException("big_image's chunk files were not all stored after 2 minutes");
            Thread.sleep(1000);
            if (round % 20 == 19) fetch(0); // a chunk generated beyond the store's pending budget is made again on its next read
        }
        for (Path f : chunkFiles()) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        }
        verify(7);
        readRaw(); // into the page cache
        fetch(1);
        long[] raw = new long[samples], strided = new long[samples];
        for (int k = 0; k < samples; k++) {
            raw[k] = readRaw();
            strided[k] = fetch(2 + k);
            EndToEnd.log(String.format(Locale.ROOT, "strided %d::%d: %.1f ms (raw read of the 9 chunk files %.1f ms)", 2 + k, STEP,
                    Stats.millis(strided[k]), Stats.millis(raw[k])));
        }
        r.put("strided.slice", "k::1000,k::1000");
        r.put("strided.samples", samples);
        r.put("strided.chunks", GRID * GRID);
        r.put("strided.chunk_bytes", GRID * GRID * CHUNK_BYTES);
        r.put("strided.ms", Stats.millis(Stats.median(strided)));
        r.put("strided.max_ms", Stats.millis(java.util.Arrays.stream(strided).max().orElseThrow()));
        r.put("strided.raw_ms", Stats.millis(Stats.median(raw)));
    }

    private long readRaw() throws IOException {
        long t0 = System.nanoTime(), n = 0;
        for (Path f : chunkFiles()) n += Files.readAllBytes(f).length;
        if (n != GRID * GRID * CHUNK_BYTES) throw new IllegalStateException("chunk files hold " + n + " bytes");
        return System.nanoTime() - t0;
    }

    private HttpRequest request(long k) {
        return HttpRequest.newBuilder(URI.create(base + "/api/v1/array/full/" + ArrayThroughput.ARRAY + "?slice=" + k + "::" + STEP + ","
                + k + "::" + STEP + "&expected_shape=10,10")).header("Accept", "application/octet-stream").GET().build();
    }

    /** Nanoseconds for the whole read; fails unless it served the 100 values. */
    private long fetch(long k) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> resp = client.send(request(k), HttpResponse.BodyHandlers.ofByteArray());
        long t = System.nanoTime() - t0;
        if (resp.statusCode() != 200 || resp.body().length != 100 * ArrayThroughput.ITEMSIZE)
            throw new IllegalStateException("k=" + k + ": status " + resp.statusCode() + ", " + resp.body().length + " bytes");
        return t;
    }

    /** Every served value equals the one in its chunk file. */
    private void verify(long k) throws IOException, InterruptedException {
        HttpResponse<byte[]> resp = client.send(request(k), HttpResponse.BodyHandlers.ofByteArray());
        ByteBuffer got = ByteBuffer.wrap(resp.body()).order(ByteOrder.LITTLE_ENDIAN);
        for (int a = 0; a < 10; a++) {
            for (int b = 0; b < 10; b++) {
                long row = k + a * STEP, col = k + b * STEP;
                Path f = chunkDir.resolve((row / ArrayThroughput.CHUNK) + "." + (col / ArrayThroughput.CHUNK));
                ByteBuffer one = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                try (FileChannel ch = FileChannel.open(f)) {
                    ch.read(one, ((row % ArrayThroughput.CHUNK) * ArrayThroughput.CHUNK + col % ArrayThroughput.CHUNK) * 8);
                }
                if (one.getDouble(0) != got.getDouble((a * 10 + b) * 8))
                    throw new IllegalStateException("value [" + row + ", " + col + "] differs from its chunk file");
            }
        }
    }
}
