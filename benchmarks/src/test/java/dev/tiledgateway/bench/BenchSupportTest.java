package dev.tiledgateway.bench;

import dev.tiledgateway.api.HttpApiEvents;
import dev.tiledgateway.core.http.Request;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver's helpers; nothing here is timed (benchmarks run only through {@code benchmarks/run}). */
class BenchSupportTest {

    @Test
    void medianAndPercentile() {
        assertEquals(3, Stats.median(new long[] {5, 1, 3}));
        assertEquals(2.5, Stats.median(new long[] {4, 1, 2, 3}));
        assertEquals(99, Stats.percentile(java.util.stream.LongStream.rangeClosed(1, 100).toArray(), 99));
        assertTrue(Double.isNaN(Stats.median(new long[0])));
    }

    @Test
    void boxesNameTheirSliceAndChunks() {
        var whole = new ArrayThroughput.Box(0, 1250, 0, ArrayThroughput.SIDE);
        assertEquals("0:1250,:", whole.slice());
        assertEquals(100_000_000, whole.bytes());
        assertEquals(List.of("0.0", "0.1", "0.2"), whole.chunkKeys());
        var small = new ArrayThroughput.Box(0, 1000, 0, 1000);
        assertEquals("0:1000,0:1000", small.slice());
        assertEquals("1000,1000", small.shape());
        assertEquals(List.of("0.0"), small.chunkKeys());
    }

    @Test
    void recordedEventIsAnApiGatewayV2MetadataRequest() throws Exception {
        Request r = HttpApiEvents.toRequest(Json.parse(Events.metadataRoot()));
        assertEquals("GET", r.method());
        assertEquals("/api/v1/metadata/", r.path());
        Request block = HttpApiEvents.toRequest(Json.parse(Events.get("/api/v1/array/block/a", "block=1,2", "application/octet-stream", false)));
        assertEquals("/api/v1/array/block/a", block.path());
        assertTrue(block.headers().get("accept-encoding").isEmpty());
    }

    @Test
    void reportSaysWhatWasNotMeasured() {
        Results r = new Results();
        r.put("cold.hello_ms", 50.0).put("cold.rounds", 5).put("cold.handler_ms", 400.0).put("cold.handler_c1_ms", 300.0)
                .put("cold.server_ms", 1200.0).put("cold.handler_init_ms", 100.0).put("cold.handler_handle_ms", 200.0);
        String md = new Report(r).render();
        assertTrue(md.contains("| `/array/full` 8 MB | not measured"), md);
        assertTrue(md.contains("8.00×"), md);
        assertTrue(md.contains("< 1 s: met"), md);
        assertTrue(md.contains("< 1 s: **not met**"), md);
        assertTrue(md.contains("| JMH microbenchmarks | not measured"), md);
    }
}
