package dev.tiledgateway.bench;

import dev.tiledgateway.core.auth.Access;
import dev.tiledgateway.core.auth.Authenticator;
import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.backend.Backend;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.http.Headers;
import dev.tiledgateway.core.http.QueryParams;
import dev.tiledgateway.core.http.Request;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.observe.RequestTrace;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.route.Gateway;
import dev.tiledgateway.core.route.GatewayConfig;
import dev.tiledgateway.core.route.Router;
import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.core.structure.StructureJson;
import dev.tiledgateway.embedded.EmbeddedBackendFactory;
import dev.tiledgateway.formats.ZarrArrayReader;
import dev.tiledgateway.formats.zarr.V2Compressor;
import dev.tiledgateway.formats.zarr.ZarrArray;
import dev.tiledgateway.formats.zarr.ZarrV2Writer;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Warm server time of two requests, measured around the in-process router (what a function does between the event
 * and its answer; the transport and Lambda's envelope excluded, as in the {@code Server-Timing} total):
 * {@code GET /api/v1/metadata/a/b/block8m} (an array node at depth 3) and {@code GET /api/v1/array/block/a/b/block8m?block=0,0},
 * one 8 MiB chunk (1024 × 1024 random float64, uncompressed Zarr v2), with the Python client's
 * {@code Accept-Encoding: gzip, deflate, zstd} (random floats do not compress: the body goes out as it is). On SQLite +
 * files (the page cache warm), public, with an inline ceiling above 8 MiB so the block is answered inline. After a
 * warm-up of both, each is asked {@code samples} times in a phase of its own; besides the wall time, the process's CPU
 * time over the phase per request (what a loaded machine inflates less: every thread's work, collections included).
 *
 * <pre>ServerTime --data-dir DIR --out FILE [--samples 1000] [--only metadata|block]</pre>
 * ({@code --only} asks one of the two, for profiling it alone.)
 */
public final class ServerTime {

    static final NodePath NODE = NodePath.of("a/b/block8m");
    static final int SIDE = 1024;
    static final long BLOCK_BYTES = (long) SIDE * SIDE * 8;
    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        Path dataDir = null, out = null;
        int samples = 1000;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--only" -> only = args[++i];
                default -> throw new IllegalArgumentException("usage: ServerTime --data-dir DIR --out FILE [--samples N]");
            }
        }
        if (dataDir == null || out == null) throw new IllegalArgumentException("usage: ServerTime --data-dir DIR --out FILE [--samples N]");
        Results r = new Results();
        r.put("st.load_start", Load.now());
        java.nio.file.Files.createDirectories(dataDir);
        Backend backend = EmbeddedBackendFactory.open(dataDir, (key, ttl) -> URI.create("https://results.invalid/" + key));
        writeArray(backend);
        Router router = Gateway.router(backend.catalog(), backend.store(), GatewayConfig.defaults().withMaxInlineBytes(2 * BLOCK_BYTES),
                new Access(new Authenticator.Settings(Scopes.PUBLIC, null), backend.apiKeys()));
        Request md = get("/api/v1/metadata/" + NODE.joined(), "", "application/json");
        Request block = get("/api/v1/array/block/" + NODE.joined(), "block=0,0", "application/octet-stream");
        // Each request in a phase of its own after a warm-up of both: an 8 MiB block between two metadata reads would
        // time the collection of its garbage into theirs.
        for (int i = 0; i < samples; i++) {
            if (!"block".equals(only)) time(router, md, -1);
            if (!"metadata".equals(only)) time(router, block, BLOCK_BYTES);
        }
        r.put("st.samples", samples);
        r.put("st.block_bytes", BLOCK_BYTES);
        for (String what : new String[] {"metadata", "block"}) {
            if (only != null && !only.equals(what)) continue;
            long[] wall = new long[samples];
            long cpu0 = CPU.getProcessCpuTime();
            for (int i = 0; i < samples; i++)
                wall[i] = what.equals("metadata") ? time(router, md, -1) : time(router, block, BLOCK_BYTES);
            double cpuMs = Stats.millis((double) (CPU.getProcessCpuTime() - cpu0) / samples);
            r.put("st." + what + "_p50_ms", Stats.millis(Stats.median(wall)));
            r.put("st." + what + "_p99_ms", Stats.millis(Stats.percentile(wall, 99)));
            r.put("st." + what + "_cpu_ms", cpuMs);
            System.err.printf(Locale.ROOT, "[server-time] %s: p50 %.3f ms, p99 %.3f ms; process CPU per request %.3f ms%n", what,
                    Stats.millis(Stats.median(wall)), Stats.millis(Stats.percentile(wall, 99)), cpuMs);
        }
        r.put("st.load_end", Load.now());
        r.save(out);
        System.exit(0);
    }

    /** Containers {@code a} and {@code a/b}, and in {@code a/b} one chunk of random float64 (incompressible, as measured data often is). */
    private static void writeArray(Backend backend) throws IOException {
        backend.catalog().put(Node.container(NodePath.of("a"), Json.object(), List.of()));
        backend.catalog().put(Node.container(NodePath.of("a/b"), Json.object(), List.of()));
        String prefix = "arrays/block8m/";
        ZarrV2Writer w = ZarrV2Writer.create(backend.store(), prefix, DataType.Builtin.parse("<f8"), new long[] {SIDE, SIDE},
                new int[] {SIDE, SIDE}, V2Compressor.none(), 0, Map.of());
        byte[] chunk = new byte[(int) BLOCK_BYTES];
        new Random(42).nextBytes(chunk);
        w.writeChunk(new long[] {0, 0}, chunk);
        ZarrArray a = ZarrArray.open(backend.store(), prefix);
        backend.catalog().put(new Node(NODE, StructureFamily.ARRAY, Json.object().put("purpose", "server time"), List.of(),
                StructureJson.array(a.structure()), new DataSource(ZarrArrayReader.MIMETYPE, List.of(new Asset(prefix, true, "data_uri"))), null, 0));
    }

    private static Request get(String path, String query, String accept) {
        return new Request("GET", path, QueryParams.parse(query),
                new Headers(Map.of("accept", accept, "accept-encoding", "gzip, deflate, zstd", "user-agent", "python-tiled/0.2.16")),
                null, "http://127.0.0.1:8000");
    }

    /** The router's time for one request, under a request trace as the handler runs it. */
    private static long time(Router router, Request req, long expectedBytes) {
        long t0 = System.nanoTime();
        RequestTrace.begin(null);
        Response resp;
        try {
            resp = router.handle(req);
        } finally {
            RequestTrace.end();
        }
        long t = System.nanoTime() - t0;
        if (resp.status() != 200) throw new IllegalStateException(req + ": status " + resp.status() + ": " + new String(resp.body(), java.nio.charset.StandardCharsets.UTF_8));
        if (expectedBytes >= 0 && resp.body().length != expectedBytes)
            throw new IllegalStateException(req + ": " + resp.body().length + " bytes, expected " + expectedBytes);
        return t;
    }
}
