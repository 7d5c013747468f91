package dev.tiledgateway.bench;

import dev.tiledgateway.core.auth.ApiKeySecrets;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.write.WriteLimits;
import dev.tiledgateway.embedded.store.FileBlobStore;
import dev.tiledgateway.local.Main;

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
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Writes through the gateway against their baselines, on {@code serve catalog} (SQLite + files) in this JVM, over real
 * sockets with one keep-alive {@link HttpClient} sending one request after another:
 * <ol>
 *   <li>block writes: {@code PUT /api/v1/array/block} of float64 blocks of {@code --block-mib} MiB (pseudo-random
 *       values, so compression cannot shortcut the work) into a Zarr v2 array of {@code --blocks} chunks, against
 *       {@link FileBlobStore#put} of the same bytes (the embedded store's own atomic write: a temporary file renamed
 *       into place). After one untimed pass, each round writes every block through the gateway then puts every block
 *       raw; MB/s from the median time per block. The last block written is read back and compared;</li>
 *   <li>{@code update_metadata}: {@code PATCH /api/v1/metadata/{path}} with a JSON Patch replacing one value (each a
 *       new revision, as the client's {@code update_metadata} does), against {@code GET /api/v1/metadata/{path}} of the
 *       same node, taken in turns after a warm-up; the last value patched is read back.</li>
 * </ol>
 *
 * <pre>WriteBench --data-dir DIR --out FILE [--blocks 16] [--block-mib 4] [--rounds 3] [--samples 300]</pre>
 */
public final class WriteBench {

    static final int COLUMNS = 1024;

    private WriteBench() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = null, out = null;
        int blocks = 16, blockMib = 4, rounds = 3, samples = 300;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--blocks" -> blocks = Integer.parseInt(args[++i]);
                case "--block-mib" -> blockMib = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        long blockBytes = (long) blockMib << 20;
        if (dataDir == null || out == null || blocks < 1 || rounds < 1 || samples < 10 || blockMib < 1 || blockBytes > WriteLimits.MAX_BODY_BYTES)
            throw new IllegalArgumentException("usage: WriteBench --data-dir DIR --out FILE [--blocks N] [--block-mib 1-4] [--rounds N] [--samples N>=10]");
        Path work = Files.createTempDirectory(Files.createDirectories(dataDir), "writes-");
        Results r = new Results();
        r.put("wr.load_start", Load.now());
        String key = ApiKeySecrets.generate();
        Main.Running running = Main.serveCatalog("127.0.0.1", 0, work.resolve("catalog"), key);
        int failures = 0;
        // Redirects followed: reading the written block back may be answered with a 307 to its materialised copy.
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            Client c = new Client(http, "http://127.0.0.1:" + running.server().port(), key);
            c.send("POST", "/api/v1/metadata/", "application/json", ("{\"structure_family\": \"container\", \"metadata\": {}, \"specs\": [],"
                    + " \"data_sources\": [], \"id\": \"bench\"}").getBytes(StandardCharsets.UTF_8));
            try {
                blocks(r, c, new FileBlobStore(work.resolve("raw")), blocks, (int) (blockBytes / 8 / COLUMNS), rounds);
            } catch (Exception | AssertionError e) {
                failures++;
                log("block writes failed: " + e);
                e.printStackTrace();
            }
            r.save(out);
            try {
                metadata(r, c, samples);
            } catch (Exception | AssertionError e) {
                failures++;
                log("metadata updates failed: " + e);
                e.printStackTrace();
            }
        } finally {
            running.close();
        }
        r.put("wr.load_end", Load.now());
        r.save(out);
        Trees.delete(work);
        log(failures == 0 ? "done" : "done, " + failures + " step(s) failed");
        System.exit(failures == 0 ? 0 : 1); // the server's sweeper threads
    }

    /** One keep-alive client with the server's key. */
    record Client(HttpClient http, String base, String key) {
        byte[] send(String method, String path, String type, byte[] body) throws IOException, InterruptedException {
            return send(method, path, type, body, "application/json");
        }

        /** The raw bytes of an array route, as the client asks for them. */
        byte[] data(String path) throws IOException, InterruptedException {
            return send("GET", path, null, null, "application/octet-stream");
        }

        byte[] send(String method, String path, String type, byte[] body, String accept) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                    .header("Authorization", "Apikey " + key).header("Accept", accept);
            if (body != null) b.header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
            else b.method(method, HttpRequest.BodyPublishers.noBody());
            HttpResponse<byte[]> res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (res.statusCode() != 200)
                throw new AssertionError(method + " " + path + " -> " + res.statusCode() + " " + new String(res.body(), StandardCharsets.UTF_8));
            return res.body();
        }
    }

    private static void blocks(Results r, Client c, FileBlobStore raw, int blocks, int rowsPerBlock, int rounds) throws Exception {
        long rows = (long) blocks * rowsPerBlock;
        c.send("POST", "/api/v1/metadata/bench", "application/json", ("{\"structure_family\": \"array\", \"metadata\": {}, \"specs\": [], \"id\": \"blocks\","
                + " \"data_sources\": [{\"structure_family\": \"array\", \"structure\": {\"data_type\": {\"endianness\": \"little\", \"kind\": \"f\","
                + " \"itemsize\": 8, \"dt_units\": null}, \"shape\": [" + rows + ", " + COLUMNS + "], \"chunks\": [" + chunks(blocks, rowsPerBlock)
                + ", [" + COLUMNS + "]], \"dims\": null, \"resizable\": false}, \"mimetype\": null, \"parameters\": {}, \"properties\": {},"
                + " \"assets\": [], \"management\": \"writable\"}]}").getBytes(StandardCharsets.UTF_8));
        byte[][] data = new byte[blocks][];
        SplittableRandom random = new SplittableRandom(14);
        for (int b = 0; b < blocks; b++) {
            ByteBuffer buf = ByteBuffer.allocate(rowsPerBlock * COLUMNS * 8).order(ByteOrder.LITTLE_ENDIAN);
            while (buf.hasRemaining()) buf.putDouble(random.nextDouble() * 1000);
            data[b] = buf.array();
        }
        long[] gateway = new long[rounds * blocks], store = new long[rounds * blocks];
        for (int round = -1; round < rounds; round++) { // round -1: warm-up, not counted
            for (int b = 0; b < blocks; b++) {
                long t0 = System.nanoTime();
                c.send("PUT", "/api/v1/array/block/bench/blocks?block=" + b + ",0", "application/octet-stream", data[b]);
                if (round >= 0) gateway[round * blocks + b] = System.nanoTime() - t0;
            }
            for (int b = 0; b < blocks; b++) {
                long t0 = System.nanoTime();
                raw.put("raw/" + b, data[b]);
                if (round >= 0) store[round * blocks + b] = System.nanoTime() - t0;
            }
        }
        byte[] back = c.data("/api/v1/array/block/bench/blocks?block=" + (blocks - 1) + ",0");
        if (!Arrays.equals(back, data[blocks - 1])) throw new AssertionError("block " + (blocks - 1) + " does not read back as written");
        double bytes = data[0].length;
        double gwMs = Stats.millis(Stats.median(gateway)), rawMs = Stats.millis(Stats.median(store));
        r.put("wr.block.bytes", (long) bytes);
        r.put("wr.block.blocks", blocks);
        r.put("wr.block.samples", gateway.length);
        r.put("wr.block.gateway_ms", gwMs);
        r.put("wr.block.gateway_p90_ms", Stats.millis(Stats.percentile(gateway, 90)));
        r.put("wr.block.raw_ms", rawMs);
        r.put("wr.block.gateway_mbps", bytes / 1e6 / (gwMs / 1000));
        r.put("wr.block.raw_mbps", bytes / 1e6 / (rawMs / 1000));
        log(String.format(java.util.Locale.ROOT, "block writes: gateway p50 %.1f ms, raw put p50 %.1f ms per %d B block", gwMs, rawMs, (long) bytes));
    }

    private static String chunks(int blocks, int rowsPerBlock) {
        StringBuilder s = new StringBuilder("[");
        for (int b = 0; b < blocks; b++) s.append(b == 0 ? "" : ", ").append(rowsPerBlock);
        return s.append("]").toString();
    }

    private static void metadata(Results r, Client c, int samples) throws Exception {
        c.send("POST", "/api/v1/metadata/bench", "application/json", ("{\"structure_family\": \"container\", \"metadata\": {\"counter\": 0,"
                + " \"sample\": \"Fe2O3\", \"notes\": [\"a\", \"b\"]}, \"specs\": [], \"data_sources\": [], \"id\": \"annotated\"}").getBytes(StandardCharsets.UTF_8));
        String path = "/api/v1/metadata/bench/annotated";
        int warmup = Math.max(5, samples / 10);
        long[] patch = new long[samples], get = new long[samples];
        int value = 0;
        for (int i = -warmup; i < samples; i++) {
            long t0 = System.nanoTime();
            c.send("GET", path, null, null);
            long t1 = System.nanoTime();
            byte[] body = ("{\"content-type\": \"application/json-patch+json\", \"metadata\": [{\"op\": \"replace\", \"path\": \"/counter\", \"value\": "
                    + (++value) + "}], \"specs\": null}").getBytes(StandardCharsets.UTF_8);
            c.send("PATCH", path, "application/json", body);
            long t2 = System.nanoTime();
            if (i >= 0) {
                get[i] = t1 - t0;
                patch[i] = t2 - t1;
            }
        }
        int counter = Json.parse(c.send("GET", path, null, null)).at("/data/attributes/metadata/counter").asInt();
        if (counter != value) throw new AssertionError("the last patch is not read back: counter " + counter + ", expected " + value);
        r.put("wr.md.samples", samples);
        r.put("wr.md.revisions", value);
        r.put("wr.md.patch_p50_ms", Stats.millis(Stats.median(patch)));
        r.put("wr.md.patch_p99_ms", Stats.millis(Stats.percentile(patch, 99)));
        r.put("wr.md.get_p50_ms", Stats.millis(Stats.median(get)));
        r.put("wr.md.get_p99_ms", Stats.millis(Stats.percentile(get, 99)));
        log(String.format(java.util.Locale.ROOT, "update_metadata: PATCH p50 %.2f ms, GET p50 %.2f ms", Stats.millis(Stats.median(patch)),
                Stats.millis(Stats.median(get))));
    }

    static void log(String s) {
        System.err.println("[writes] " + s);
    }
}
