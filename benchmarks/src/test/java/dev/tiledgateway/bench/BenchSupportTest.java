package dev.tiledgateway.bench;

import dev.tiledgateway.api.HttpApiEvents;
import dev.tiledgateway.core.http.Request;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void arrayReadTargetIsJudgedOnCurlsReads() {
        Results r = new Results();
        r.put("tp.100mb.slice", "0:1250,:").put("tp.100mb.bytes", 100_000_000).put("tp.100mb.chunks", 3).put("tp.100mb.chunk_bytes", 402_653_184)
                .put("tp.100mb.samples", 5).put("tp.100mb.raw_ms", 80.0).put("tp.100mb.computed_ms", 400.0).put("tp.100mb.repeat_ms", 200.0);
        String md = new Report(r).render();
        // HttpClient rows never carry the target; without curl the target row says it was not measured
        assertTrue(md.contains("| `/array/full` 100 MB, `slice=0:1250,:`, computed, by the driver's `HttpClient` (in the server's JVM), n=5 | "
                + "400.0 ms (250 MB/s delivered) | raw read of 3 chunk file(s), 402.7 MB: 80.0 ms (5,033 MB/s) | 0.20 | (informational: includes the client's cost) |"), md);
        assertTrue(md.contains("| `/array/full` 100 MB, computed, by curl | not measured (no curl) | raw read of 3 chunk file(s), 402.7 MB: 80.0 ms (5,033 MB/s) |  | ≥ 0.5 |"), md);
        r.put("tp.100mb.curl.samples", 5).put("tp.100mb.curl.computed_ms", 160.0).put("tp.100mb.curl.repeat_ms", 50.0);
        md = new Report(r).render();
        assertTrue(md.contains("| `/array/full` 100 MB, other selections of the same size and chunks, computed, by curl (a process of its own), n=5 | "
                + "160.0 ms (625 MB/s delivered) | raw read of 3 chunk file(s), 402.7 MB: 80.0 ms (5,033 MB/s) | 0.50 | ≥ 0.5: met |"), md);
        assertTrue(md.contains("the same selections of the same size and chunks, repeat, by curl (a process of its own), n=5 | 50.0 ms"), md);
        r.put("tp.100mb.write_ms", 20.0);
        assertTrue(new Report(r).render().contains("| … writing the result's 100.0 MB into a new file, kept (what storing it costs at the least), taken in turns with the reads | "
                + "20.0 ms (5,000 MB/s) |  |  | (informational) |"), new Report(r).render());
        r.put("tp.100mb.curl.computed_ms", 161.0);
        assertTrue(new Report(r).render().contains("| 0.50 | ≥ 0.5: **not met** |") || new Report(r).render().contains("| 0.49 | ≥ 0.5: **not met** |"));
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
        assertTrue(md.contains("| AWS adapters on moto | not measured"), md);
    }

    @Test
    void reportHoldsTheTemplatesColdStartToThreeHelloWorlds() {
        Results r = new Results();
        r.put("cold.hello_ms", 50.0).put("cold.rounds", 5).put("cold.handler_ms", 400.0).put("cold.handler_c1_ms", 300.0)
                .put("cold.server_ms", 1200.0).put("cold.handler_init_ms", 100.0).put("cold.handler_handle_ms", 200.0)
                .put("cold.handler_c1_init_ms", 150.0).put("cold.handler_c1_handle_ms", 100.0)
                .put("cold.primed_prime_ms", 250.0).put("cold.primed_handle_ms", 5.0);
        String md = new Report(r).render();
        // The handler on the local server's storage is informational; without the deployed function, the target is not measured.
        assertTrue(md.contains("| 300.0 ms (construct 150.0 ms, first event 100.0 ms) | hello-world JVM 50.0 ms | 6.00× | (informational) |"), md);
        assertTrue(md.contains("on S3 + DynamoDB (moto) | not measured |  |  | ≤ 3×: not measured |"), md);
        // The API function as deployed is the judged row.
        r.put("cold.aws_c1_ms", 300.0).put("cold.aws_c1_init_ms", 150.0).put("cold.aws_c1_handle_ms", 100.0)
                .put("cold.aws_primed_prime_ms", 250.0).put("cold.aws_primed_handle_ms", 5.0).put("cold.handler_c1_ms", 100.0);
        md = new Report(r).render();
        assertTrue(md.contains("S3 + DynamoDB on moto, n=5 | 300.0 ms (construct 150.0 ms, first event 100.0 ms) | hello-world JVM 50.0 ms | 6.00× | ≤ 3×: **not met** |"), md);
        assertTrue(md.contains("| 5.0 ms (priming 250.0 ms, before the snapshot) | unprimed 100.0 ms | 0.05 | (informational) |"), md);
        assertFalse(md.contains("the AWS SDK's share alone"), md);
        // The SDK's share alone, measured beside it, says how much of the function's time is the gateway's own.
        r.put("cold.aws_sdk_ms", 240.0).put("cold.aws_sdk_init_ms", 180.0).put("cold.aws_sdk_handle_ms", 20.0);
        md = new Report(r).render();
        assertTrue(md.contains("(GetItem of the root); no handler, router or response (`ColdStartSdkFloor`), n=5 | 240.0 ms (clients and secret 180.0 ms, "
                + "GetItem 20.0 ms); the function's time beyond it: 60.0 ms | hello-world JVM 50.0 ms | 4.80× | (informational) |"), md);
        r.put("cold.aws_c1_ms", 150.0);
        assertTrue(new Report(r).render().contains("| 3.00× | ≤ 3×: met |"));
        r.put("cold.authorizer_ms", 300.0).put("cold.authorizer_c1_ms", 250.0).put("cold.authorizer_c1_handle_ms", 40.0)
                .put("cold.authorizer_primed_prime_ms", 60.0).put("cold.authorizer_primed_handle_ms", 2.0);
        md = new Report(r).render();
        assertTrue(md.contains("| … first event after `AuthorizerHandler.prime()` (what SnapStart's snapshot holds; the restore itself not measured), n=5 | "
                + "2.0 ms (priming 60.0 ms, before the snapshot) | unprimed 40.0 ms | 0.05 | (informational) |"), md);
    }

    @Test
    void reportCallsAKeepAliveReadSlowerThanAFreshConnectionAStall() {
        Results r = new Results();
        assertTrue(new Report(r).render().contains("| Local HTTP server: keep-alive and Jetty vs the JDK's HttpServer | not measured"));
        r.put("srv.rounds", 2).put("srv.seconds", 5).put("srv.jdk_nodelay", "false");
        for (String server : ServerCompare.SERVERS) {
            for (String what : new String[] {"array", "metadata"}) {
                r.put("srv." + server + ".seq.fresh." + what + ".p50_ms", 5.0).put("srv." + server + ".seq.fresh." + what + ".p90_ms", 9.0)
                        .put("srv." + server + ".seq.keepalive." + what + ".n", 400).put("srv." + server + ".seq.keepalive." + what + ".p90_ms", 50.0)
                        .put("srv." + server + ".seq.keepalive." + what + ".p50_ms", what.equals("array") ? 44.0 : 4.0);
            }
            for (String load : new String[] {"c1", "c16", "c64", "hostile"})
                r.put("srv." + server + "." + load + ".rps", server.equals("jetty") ? 3000.0 : 2000.0).put("srv." + server + "." + load + ".p50_ms", 4.0)
                        .put("srv." + server + "." + load + ".p99_ms", 20.0).put("srv." + server + "." + load + ".errors", 0)
                        .put("srv." + server + "." + load + ".slow_answers", 40);
        }
        String md = new Report(r).render();
        assertTrue(md.contains("Jetty (the local server), keep-alive connection vs a fresh one each time, 1 client, n=400 | p50 44.00 ms, p90 50.00 ms "
                + "| fresh: p50 5.00 ms, p90 9.00 ms | 8.80 | ≤ 1.5 (no delayed-ACK stall): **not met** |"), md);
        assertTrue(md.contains("`/metadata` of `tiny_image`, Jetty (the local server), keep-alive connection vs a fresh one each time, 1 client, n=400 "
                + "| p50 4.00 ms, p90 50.00 ms | fresh: p50 5.00 ms, p90 9.00 ms | 0.80 | ≤ 1.5 (no delayed-ACK stall): met |"), md);
        assertTrue(md.contains("JDK HttpServer without TCP_NODELAY"), md);
        assertTrue(md.contains("| Jetty vs JDK HttpServer, 16 keep-alive clients + 4 slow clients + 100 idle connections, array and metadata alternating, "
                + "2 × 5 s | 3,000 req/s, p50 4.00 ms, p99 20.00 ms, 0 errors; 40 slow answers | JDK: 2,000 req/s"), md);
        assertTrue(md.contains("| 1.50 | (informational: req/s ratio) |"), md);
    }

    @Test
    void reportShowsTheAwsAdapterRatios() {
        Results r = new Results();
        r.put("aws.demo_install_ms", 5000.0).put("aws.block.samples", 100).put("aws.block.served_bytes", 200_000)
                .put("aws.block.object_bytes", 187_719).put("aws.block.gateway_ms", 20.0).put("aws.block.raw_ms", 5.0)
                .put("aws.list.children", 100_000).put("aws.list.limit", 300).put("aws.list.pages", 334).put("aws.list.pages_fetched", 20)
                .put("aws.list.ends", 10).put("aws.list.first_ms", 2000.0).put("aws.list.last_ms", 3200.0).put("aws.list.load_s", 35.0)
                .put("aws.depth.samples", 200).put("aws.depth.d1_p50_ms", 10.0).put("aws.depth.d8_p50_ms", 11.0)
                .put("aws.depth.d1_p99_ms", 20.0).put("aws.depth.d8_p99_ms", 21.0);
        String md = new Report(r).render();
        assertTrue(md.contains("| 20.00 ms | raw S3 GET of `demo/nested/images/medium_image/1.1` (187,719 B, zstd), SDK client: 5.00 ms | 4.00× |"), md);
        assertTrue(md.contains("over 100,000 children"), md);
        assertTrue(md.contains("first and last 10 of 334 pages"), md);
        assertTrue(md.contains("| 3,200.0 ms | first 10 pages: 2,000.0 ms | 1.60 | ≈ 1 (≤ 1.5): **not met** |"), md);
        assertTrue(md.contains("| 11.00 ms (21.00 ms) | depth 1 `/metadata/a`: 10.00 ms (20.00 ms) | 1.10× |"), md);
        assertTrue(md.contains("100,000 children bulk-loaded in 35.0 s"), md);
        r.put("aws.list.pages_fetched", 334);
        assertTrue(new Report(r).render().contains("all 334 pages walked"));
    }

    @Test
    void reportShowsTheTableRatios() {
        Results r = new Results();
        assertTrue(new Report(r).render().contains("| `tables/long_table` partitions and exports | not measured"));
        r.put("tbl.parts", 5).put("tbl.stored_bytes", 2_400_000).put("tbl.part.arrow_bytes", 650_000.0).put("tbl.part.concurrent", 4)
                .put("tbl.part.c1.gw.reads", 250).put("tbl.part.c1.gw.seconds", 5.0).put("tbl.part.c1.gw.bytes", 162_500_000)
                .put("tbl.part.c1.gw.p50_ms", 15.0).put("tbl.part.c1.gw.p99_ms", 30.0)
                .put("tbl.part.c1.raw.reads", 25_000).put("tbl.part.c1.raw.seconds", 2.5).put("tbl.part.c1.raw.bytes", 12_000_000_000L)
                .put("tbl.csv.bytes", 5_700_000).put("tbl.csv.redirected", "true").put("tbl.csv.samples", 5).put("tbl.csv.raw_ms", 0.5)
                .put("tbl.csv.computed_ms", 100.0).put("tbl.csv.repeat_ms", 50.0).put("tbl.csv.repeat_rewritten", 0)
                .put("tbl.parquet.bytes", 2_400_000).put("tbl.parquet.redirected", "false").put("tbl.parquet.samples", 5)
                .put("tbl.parquet.raw_ms", 0.5).put("tbl.parquet.computed_ms", 50.0).put("tbl.parquet.repeat_ms", 50.0);
        String md = new Report(r).render();
        assertTrue(md.contains("(650,000 B each), 1 client, 5 s, n=250 | 50.0 reads/s, 33 MB/s delivered; p50 15.00 ms, p99 30.00 ms | "
                + "raw read of `part.<i>.parquet` (480,000 B on average), 1 thread: 10,000 reads/s, 4,800 MB/s | 0.0050 |"), md);
        assertTrue(md.contains("| `tables/long_table` partitions, 4 client(s) | not measured"), md);
        assertTrue(md.contains("`/table/full/tables/long_table?format=csv` (5.7 MB), computed, n=5 | 100.0 ms (57 MB/s delivered; 307 to `/_blob/`) | "
                + "raw read of the 5 part files, 2.4 MB: 0.50 ms (4,800 MB/s) | 0.0050 |"), md);
        assertTrue(md.contains("stored result rewritten on 0 of 5 repeats: reused) |"), md);
        // pyarrow measured, curl not: the target is judged on curl's reads, not on the driver's HttpClient
        r.put("tbl.pyarrow.version", "25.0.1").put("tbl.part.c1.pyarrow.reads", 2500).put("tbl.part.c1.pyarrow.seconds", 5.0);
        md = new Report(r).render();
        assertTrue(md.contains("1 thread: 500.0 reads/s | 0.10 | (informational: includes the client's cost) |"), md);
        assertTrue(md.contains("| … the same partitions read by curl, against pyarrow doing the same work | not measured (no curl) |"), md);
        r.put("tbl.part.c1.curl.reads", 2000).put("tbl.part.c1.curl.seconds", 5.0).put("tbl.part.c1.curl.p50_ms", 2.0).put("tbl.part.c1.curl.p99_ms", 4.0);
        md = new Report(r).render();
        assertTrue(md.contains("read by curl (1 process, one keep-alive connection each), against pyarrow doing the same work, n=2000 | "
                + "400.0 reads/s; p50 2.00 ms, p99 4.00 ms | pyarrow 25.0.1: `pq.read_table(part)` written as an Arrow IPC file, 1 thread: 500.0 reads/s | 0.80 | ≥ 0.5: met |"), md);
        r.put("tbl.part.c1.curl.reads", 1000);
        assertTrue(new Report(r).render().contains("| 0.40 | ≥ 0.5: **not met** |"));
        assertTrue(md.contains("`/table/full/tables/long_table?format=parquet` (2.4 MB), repeat, n=5 | 50.0 ms (48 MB/s delivered; answered inline"), md);
    }

    @Test
    void bulkLoadedChildrenSortByKeyInCreationOrder() {
        assertEquals("n0000001", BulkChildren.key(1));
        assertTrue(BulkChildren.key(99_999).compareTo(BulkChildren.key(100_000)) < 0);
        assertEquals("a/b/c/d/e/f/g/h", AwsAdapters.DEEP.joined());
        assertEquals(8, AwsAdapters.DEEP.depth());
    }

    @Test
    void reportJudgesTheReadMemoryAgainstOneGigabyte() {
        Results r = new Results();
        r.put("mem.s3.peak_rss_bytes", 1_100_000_000L).put("mem.s3.peak_heap_bytes", 800_000_000L).put("mem.s3.peak_after_gc_bytes", 500_000_000L)
                .put("mem.s3.idle_heap_bytes", 8_000_000L).put("mem.s3.ms", 900.0).put("mem.s3.query", "slice=0:1250,:");
        String md = new Report(r).render();
        assertTrue(md.contains("1100.0 MB (heap 800.0 MB sampled, 500.0 MB after collections)") && md.contains("< 1 GB: **not met**"), md);
        assertTrue(md.contains("on files (`serve demo`), `-Xmx1g`: peak RSS | not measured"), md);
        r.put("mem.s3.peak_rss_bytes", 450_000_000L);
        assertTrue(new Report(r).render().contains("< 1 GB: met"));
    }
}
