package dev.tiledgateway.bench;

import dev.tiledgateway.api.ApiHandler;
import dev.tiledgateway.aws.AwsBackendFactory;
import dev.tiledgateway.local.Main;
import dev.tiledgateway.testkit.MotoServer;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The memory of the API function answering one computed 100 MB read ({@code big_image} rows 1,250 at a time as
 * {@code application/octet-stream}: read, sliced and stored as a result, answered with a 307), in a JVM whose
 * heap is capped at 1 GB ({@code -Xmx1g}, a Lambda function of 1 GB). Heap is sampled every 5 ms and after each
 * collection ({@link ExportMemory.Heap}); the peak resident set is the kernel's high-water mark, reset just before
 * the read. The chunks the read touches are made first (a read of other rows of them), so the read finds them.
 *
 * <p>By default the {@link ApiHandler} of {@code serve demo} on a folder, in this JVM. With {@code --s3} the demo is
 * installed in a bucket and a DynamoDB table on moto, and a JVM of its own (started with {@code -Xmx1g}) builds the
 * handler from its environment as Lambda does and answers one v2.0 event: ranged S3 reads of the chunks, the result
 * uploaded in parts. Moto runs in a process of its own.
 *
 * <pre>ReadMemory --data-dir DIR --out FILE [--s3]</pre>
 */
public final class ReadMemory {

    private ReadMemory() {}

    static final String PATH = "/api/v1/array/full/" + ArrayThroughput.ARRAY;
    static final String BUCKET = "read-memory";
    static final String TABLE = "read-memory";

    public static void main(String[] args) throws Exception {
        Path dataDir = null, out = null;
        boolean s3 = false, child = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--s3" -> s3 = true;
                case "--child" -> child = true;
                default -> throw new IllegalArgumentException("usage: ReadMemory --data-dir DIR --out FILE [--s3]");
            }
        }
        if (out == null || (dataDir == null && !child)) throw new IllegalArgumentException("usage: ReadMemory --data-dir DIR --out FILE [--s3]");
        Results r = new Results();
        if (child) {
            // As Lambda: the handler from the environment, one event.
            measure(new ApiHandler(), "mem.s3.", r);
            r.save(out);
            System.exit(0);
        }
        Files.createDirectories(dataDir);
        String k = s3 ? "mem.s3." : "mem.";
        r.put(k + "load_start", Load.now());
        if (!s3) {
            try (Main.Running running = Main.serveDemo("127.0.0.1", 0, dataDir, 4_500_000)) {
                ApiHandler api = handlerOf(running);
                touch(api);
                measure(api, k, r);
            }
        } else {
            try (MotoServer moto = MotoServer.start()) {
                String endpoint = moto.endpoint().toString();
                try (Main.Running running = Main.serveDemoOnAws("127.0.0.1", 0, endpoint, endpoint, BUCKET, TABLE, true, 4_500_000)) {
                    touch(handlerOf(running));
                }
                Path childOut = dataDir.resolve("read-memory-child.properties");
                List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
                cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> !a.startsWith("-Xmx")).toList());
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ReadMemory.class.getName(), "--child", "--out", childOut.toString()));
                ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
                Map<String, String> env = pb.environment();
                env.put(AwsBackendFactory.BUCKET, BUCKET);
                env.put(AwsBackendFactory.TABLE, TABLE);
                env.put(AwsBackendFactory.S3_ENDPOINT, endpoint);
                env.put(AwsBackendFactory.DYNAMODB_ENDPOINT, endpoint);
                env.put(dev.tiledgateway.core.auth.Access.PUBLIC, "true"); // as the demo serves: public reads
                env.put("AWS_REGION", "us-east-1");
                env.putIfAbsent("AWS_ACCESS_KEY_ID", "testing");
                env.putIfAbsent("AWS_SECRET_ACCESS_KEY", "testing");
                int rc = pb.start().waitFor();
                if (rc != 0) throw new IllegalStateException("the function's JVM exited with " + rc);
                r.putAll(Results.load(childOut));
            }
        }
        r.put(k + "load_end", Load.now());
        r.save(out);
        System.exit(0); // the demo's dynamic-array ticker is not stopped by closing the server
    }

    private static ApiHandler handlerOf(Main.Running running) throws Exception {
        var m = running.server().getClass().getDeclaredMethod("handler");
        m.setAccessible(true);
        return (ApiHandler) m.invoke(running.server());
    }

    /** Makes the three chunks of the first row of chunks (the demo makes big_image's chunks on first read). */
    private static void touch(ApiHandler api) {
        int status = Events.status(api.handle(Events.get(PATH, "slice=4000:4096,:", "application/octet-stream", false)));
        if (status != 307) throw new IllegalStateException("making the chunks: status " + status);
    }

    private static void measure(ApiHandler api, String k, Results r) throws Exception {
        // A selection no earlier run stored (the result key is the node's data key and the selection): computed here.
        long r0 = System.currentTimeMillis() % 2800;
        String query = "slice=" + r0 + ":" + (r0 + 1250) + ",:&expected_shape=1250,10000";
        System.gc();
        long idle = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        resetPeakRss();
        ExportMemory.Heap heap = new ExportMemory.Heap();
        heap.start();
        long t0 = System.nanoTime();
        byte[] response = api.handle(Events.get(PATH, query, "application/octet-stream", false));
        long t = System.nanoTime() - t0;
        heap.stop();
        int status = Events.status(response);
        if (status != 307) throw new IllegalStateException(query + ": status " + status + ", expected a 307 to the stored result: "
                + new String(response, java.nio.charset.StandardCharsets.UTF_8));
        r.put(k + "query", query);
        r.put(k + "max_heap_bytes", Runtime.getRuntime().maxMemory());
        r.put(k + "idle_heap_bytes", idle);
        r.put(k + "peak_heap_bytes", heap.peakUsed.get());
        r.put(k + "peak_after_gc_bytes", heap.peakAfterGc.get());
        r.put(k + "peak_rss_bytes", peakRss());
        r.put(k + "ms", Stats.millis(t));
        log(String.format(java.util.Locale.ROOT, "%s%s: %.1f ms, heap peak %d MB sampled, %d MB after collections, peak RSS %d MB (idle heap %d MB)",
                k, query, Stats.millis(t), heap.peakUsed.get() >> 20, heap.peakAfterGc.get() >> 20, peakRss() >> 20, idle >> 20));
    }

    /** Resets the kernel's resident-set high-water mark of this process (Linux; elsewhere the peak is since start). */
    private static void resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (Exception e) {
            log("cannot reset the peak RSS: " + e);
        }
    }

    /** The resident-set high-water mark (VmHWM), bytes; -1 where the kernel does not say. */
    private static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }

    static void log(String s) { System.err.println("[read-memory] " + s); }
}
