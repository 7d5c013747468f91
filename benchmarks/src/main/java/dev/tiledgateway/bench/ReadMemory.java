package dev.tiledgateway.bench;

import dev.tiledgateway.api.ApiHandler;
import dev.tiledgateway.local.Main;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The memory of the API function answering one 100 MB read ({@code big_image[0:1250,:]} as
 * {@code application/octet-stream}, computed: read, sliced and stored as a result, answered with a 307): the
 * {@link ApiHandler} of {@code serve demo} given an API Gateway v2.0 event, in this JVM, which the run starts with
 * {@code -Xmx1g} (a Lambda function of 1 GB). Heap is sampled every 5 ms and after each collection
 * ({@link ExportMemory.Heap}); the peak resident set is the kernel's high-water mark, reset just before the read.
 * The demo makes the chunks the read touches first (a read of other rows of them), so the measured read finds them.
 *
 * <pre>ReadMemory --data-dir DIR --out FILE</pre>
 */
public final class ReadMemory {

    private ReadMemory() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = null, out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("usage: ReadMemory --data-dir DIR --out FILE");
            }
        }
        if (dataDir == null || out == null) throw new IllegalArgumentException("usage: ReadMemory --data-dir DIR --out FILE");
        Files.createDirectories(dataDir);
        Results r = new Results();
        r.put("mem.load_start", Load.now());
        try (Main.Running running = Main.serveDemo("127.0.0.1", 0, dataDir, 4_500_000)) {
            var m = running.server().getClass().getDeclaredMethod("handler");
            m.setAccessible(true);
            ApiHandler api = (ApiHandler) m.invoke(running.server());
            String path = "/api/v1/array/full/" + ArrayThroughput.ARRAY;
            int touched = Events.status(api.handle(Events.get(path, "slice=4000:4096,:", "application/octet-stream", false)));
            if (touched != 307) throw new IllegalStateException("making the chunks: status " + touched);
            // A selection no earlier run stored (the result key is the node's data key and the selection): computed here.
            long r0 = System.currentTimeMillis() % 2800;
            String query = "slice=" + r0 + ":" + (r0 + 1250) + ",:&expected_shape=1250,10000";
            System.gc();
            long idle = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            resetPeakRss();
            ExportMemory.Heap heap = new ExportMemory.Heap();
            heap.start();
            long t0 = System.nanoTime();
            byte[] response = api.handle(Events.get(path, query, "application/octet-stream", false));
            long t = System.nanoTime() - t0;
            heap.stop();
            int status = Events.status(response);
            if (status != 307) throw new IllegalStateException(query + ": status " + status + ", expected a 307 to the stored result");
            r.put("mem.query", query);
            r.put("mem.max_heap_bytes", Runtime.getRuntime().maxMemory());
            r.put("mem.idle_heap_bytes", idle);
            r.put("mem.peak_heap_bytes", heap.peakUsed.get());
            r.put("mem.peak_after_gc_bytes", heap.peakAfterGc.get());
            r.put("mem.peak_rss_bytes", peakRss());
            r.put("mem.ms", Stats.millis(t));
            log(String.format(java.util.Locale.ROOT, "%s: %.1f ms, heap peak %d MB sampled, %d MB after collections, peak RSS %d MB (idle heap %d MB)",
                    query, Stats.millis(t), heap.peakUsed.get() >> 20, heap.peakAfterGc.get() >> 20, peakRss() >> 20, idle >> 20));
        }
        r.put("mem.load_end", Load.now());
        r.save(out);
        System.exit(0); // the demo's dynamic-array ticker is not stopped by closing the server
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
