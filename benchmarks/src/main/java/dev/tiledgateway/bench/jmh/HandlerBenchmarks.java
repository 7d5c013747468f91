package dev.tiledgateway.bench.jmh;

import dev.tiledgateway.api.ApiHandler;
import dev.tiledgateway.bench.Events;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The API function in-process, as Lambda calls it: v2.0 event JSON in, response event JSON out, against the demo
 * data in {@code TILED_GATEWAY_DATA_DIR} (the handler's own no-argument constructor).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Fork(1)
@Warmup(iterations = 6, time = 1) // on 2 shared cores the handler paths take ~5 s of warm-up to reach steady state
@Measurement(iterations = 3, time = 1)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandlerBenchmarks {

    private ApiHandler handler;
    private byte[] metadataRoot;
    private byte[] metadataArray;
    private byte[] block;
    private byte[] blockIdentity;

    @Setup
    public void setup() {
        handler = new ApiHandler();
        metadataRoot = Events.metadataRoot();
        metadataArray = Events.get("/api/v1/metadata/nested/images/medium_image", "", "application/json");
        // medium_image is 1000x1000 float64 in zstd chunks of 250x100: one 200,000-byte block, base64 in the response event.
        block = Events.get("/api/v1/array/block/nested/images/medium_image", "block=1,2", "application/octet-stream");
        blockIdentity = Events.get("/api/v1/array/block/nested/images/medium_image", "block=1,2", "application/octet-stream", false);
        for (byte[] e : new byte[][] {metadataRoot, metadataArray, block, blockIdentity}) {
            int status = Events.status(handler.handle(e));
            if (status != 200) throw new IllegalStateException("handler answered " + status + "; is TILED_GATEWAY_DATA_DIR the demo data?");
        }
    }

    /** {@code GET /api/v1/metadata/} (the recorded event). */
    @Benchmark
    public byte[] metadataRoot() { return handler.handle(metadataRoot); }

    /** {@code GET /api/v1/metadata/nested/images/medium_image}. */
    @Benchmark
    public byte[] metadataArray() { return handler.handle(metadataArray); }

    /**
     * {@code GET /api/v1/array/block/nested/images/medium_image?block=1,2} with the recorded {@code accept-encoding: gzip,
     * deflate}: read, zstd-decode, compress the response as the client allows, base64 in the event.
     */
    @Benchmark
    public byte[] blockMediumImage() { return handler.handle(block); }

    /** The same block without {@code accept-encoding}: no response compression. */
    @Benchmark
    public byte[] blockMediumImageIdentity() { return handler.handle(blockIdentity); }
}
