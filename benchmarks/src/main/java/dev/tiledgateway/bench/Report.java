package dev.tiledgateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One markdown table from the end-to-end and JMH figures, with ratios against their baselines and the targets.
 *
 * <pre>Report E2E.properties [INDEXER.properties] [WRITES.properties] [AWS.properties] [SEARCH.properties] JMH.properties [OUT.md]</pre>
 * Every {@code .properties} argument is read (a missing file: that step did not run); a {@code .md} argument is written.
 */
public final class Report {

    static final double LARGE_READ_TARGET = 0.5;
    static final double COLD_START_TARGET_MS = 1000;
    /** The API function's cold start, as the template runs it, against a hello-world JVM's in the same run. */
    static final double COLD_START_RATIO_TARGET = 3;
    /** Listing: time per page at the end of a large container over time per page at its start, at most this. */
    static final double LISTING_END_TARGET = 1.5;
    /** Catalog indexer: registrations per second on the embedded adapters, at least this. */
    static final double REGISTRATION_TARGET_PER_S = 500;
    /** Catalog indexer: slowest upload to readable on the local server, at most this. */
    static final double UPLOAD_READABLE_TARGET_MS = 2000;
    /** Search: an {@code eq} or {@code fulltext} matching 100 children over listing one page of 100, at most this. */
    static final double SEARCH_TARGET = 3;
    /**
     * Keep-alive: p50 of a read on a kept-alive connection over p50 on a fresh one, at most this. A delayed-ACK stall
     * (~40 ms) makes it 5 or more; a fresh connection costs a handshake more, so without a stall it is about 1 or less.
     */
    static final double KEEPALIVE_TARGET = 1.5;

    /** A strided read of 100 values of {@code big_image}, at most this: upstream Tiled's time for it (issue 16). */
    static final double STRIDED_TARGET_MS = 80;

    /** Warm server time of {@code /metadata} (a node at depth 3) and of an 8 MiB {@code /array/block}, p50, at most these ({@link ServerTime}). */
    static final double SERVER_METADATA_TARGET_MS = 0.2;
    static final double SERVER_BLOCK_TARGET_MS = 3;

    private final Results r;
    private final StringBuilder md = new StringBuilder();

    Report(Results r) { this.r = r; }

    public static void main(String[] args) throws IOException {
        Results r = new Results();
        Path out = null;
        for (String a : args) {
            if (a.endsWith(".md")) out = Path.of(a);
            else r.putAll(Results.load(Path.of(a)));
        }
        String text = new Report(r).render();
        System.out.print(text);
        if (out != null) Files.writeString(out, text);
    }

    String render() {
        md.append("## tiled-gateway benchmarks\n\n");
        md.append(String.format(Locale.ROOT, "Java %s (%s), %d CPUs, %s %s; %s.%n%n", System.getProperty("java.version"),
                System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), "client and local server share the machine; files are read through the page cache"));
        StringBuilder loads = new StringBuilder();
        String[][] steps = {{"e2e", "end-to-end"}, {"strided", "strided reads"}, {"st", "server time"}, {"exp", "exports"}, {"mem", "read memory"}, {"mem.s3", "read memory on moto"}, {"aws", "AWS adapters"}, {"idx", "catalog indexer"},
                {"wr", "writes"}, {"search", "search"}, {"srv", "servers"}, {"jmh", "JMH"}};
        for (String[] step : steps)
            if (r.has(step[0] + ".load_start"))
                loads.append(loads.isEmpty() ? "" : ", ").append(step[1]).append(' ').append(r.text(step[0] + ".load_start")).append('/')
                        .append(r.has(step[0] + ".load_end") ? r.text(step[0] + ".load_end") : "?");
        if (!loads.isEmpty())
            md.append("1-minute load average at start/end: ").append(loads)
                    .append(" (above the CPU count means other work shared the CPUs).\n\n");
        md.append("| Measure | Result | Baseline | Ratio | Target |\n|---|---|---|---|---|\n");
        throughput("8mb", "8 MB");
        throughput("100mb", "100 MB");
        strided();
        readMemory();
        tables();
        exports();
        metadata();
        serverTime();
        servers();
        authorization();
        coldStarts();
        indexer();
        writes();
        aws();
        search();
        jmh();
        md.append("\n").append("""
                Array reads: ratio = raw chunk-file read time / gateway time, i.e. the gateway's rate as a fraction of reading \
                the chunk files the selection touches (`Files.readAllBytes`, one after another). Gateway time is the whole \
                client-visible read: request, 307, presigned `/_blob/` download, drained. "computed" selections were never \
                asked for before (the server reads, slices and stores them); "repeat" asks again and is redirected to the stored \
                result. Each sample is taken by the driver's `HttpClient` and, on selections of its own, by curl in a process \
                of its own (its `time_total`: fresh connection, request, 307 and download), in turns; the target is judged on \
                curl's reads, since the `HttpClient` shares the server's JVM and drains a download at a few hundred MB/s. \
                Medians of the samples shown. Cold starts: median from process start to first answer, after one \
                discarded round; ratio is against the hello-world JVM launched the same way. The API function as the \
                template deploys it: `api-lambda.jar` unpacked into a folder (Lambda unpacks a package into `/var/task`), \
                started with the template's `JAVA_TOOL_OPTIONS` tiering, its backend S3 and DynamoDB and the server's key \
                in Secrets Manager, all on moto in a process of its own (bucket, table, root and secret made before the \
                timed rounds). Its SDK share alone (`ColdStartSdkFloor`) runs in the same folder and environment, in the \
                same rounds: the clients built and the requests made that the function needs before its first answer, \
                sequentially, and nothing else. The handler rows on the local server's storage run the same handler from the benchmark's \
                jar on SQLite and a folder: no AWS client is built there. JMH: 1 fork, 3 x 1 s measurement \
                after 2 x 1 s warm-up (6 x 1 s for the handler); error is JMH's 99.9% interval. The handler events carry the \
                recorded `accept-encoding: gzip, deflate` except `blockMediumImageIdentity`.
                """);
        if (r.has("tbl.part.c1.gw.reads")) md.append("\n").append("""
                Tables (`tables/long_table`: 100,000 rows, float64 A, B, C and the pandas `index`, stored as five zstd Parquet \
                part files): partitions are read in turn (0, 1, … 4, 0, …) by each client, its own `HttpClient` and \
                connection, one request after another, counted over the window after a 2 s warm-up; every response is \
                checked for status and size (and one per partition decoded). Baseline: as many threads reading the part \
                files whole (`Files.readAllBytes`) in the same order for half the time (at least 1 s); ratio = gateway \
                reads/s / raw reads/s. Physical reference: pyarrow in as many threads, in the same order, for the same \
                window after the same warm-up, reading each part (`pq.read_table`) and writing it as Arrow IPC file bytes, \
                the work a partition read asks for; ratio = gateway reads/s / pyarrow reads/s. The same partitions are \
                also read by curl, one process per client over one keep-alive connection each, in the same order and \
                window, each transfer checked for status and size: curl's work is outside the driver's JVM, which also \
                runs the server (and its GC) and whose `HttpClient` costs milliseconds per 650 KB read; the target is \
                judged on curl's reads. Exports: ratio = raw read time of all five part files / gateway time, the whole \
                client-visible read (request, any 307 and `/_blob/` download, drained); "computed" requests were never \
                asked before (A, B, C in other orders: same rows and bytes), "repeat" asks the first one (no `column=`) \
                again; "rewritten" counts repeats during which the stored result's file was replaced, i.e. the server \
                computed it again instead of redirecting to what it had stored. Medians of the samples shown.
                """);
        if (r.has("exp.peak_after_gc_bytes")) md.append("\n").append("""
                Exports: the local server in a JVM of its own with a fixed `-Xmx` (client in the same JVM, draining its \
                downloads), after big_image's chunks were made and stored. Two JSON exports of big_image row bands \
                (float64, the largest JSON estimated within the response limit) are sent at once and followed to their \
                presigned downloads; meanwhile `/metadata` of the array is asked every 20 ms (after 20 warm-up requests). \
                Heap is sampled every 5 ms ("sampled": used, garbage included) and read after every collection \
                ("after collections": what survived, the figure the bounds govern). Baseline: the heap before the \
                exports plus their two payloads (the raw selections, which a slot holds while its result is written); \
                ratio = peak after collections / baseline. The refusal is a JSON export of 3749 rows (300 MB of \
                float64, about 750 MB of JSON): answered 400 from its estimate before any data is read.
                """);
        if (r.has("idx.csv.single.per_s") || r.has("idx.zarr.single.per_s") || r.has("idx.upload.all.n")) md.append("\n").append("""
                Catalog indexer: `IndexerHandler.handleRequest` in this JVM with the embedded adapters (`SqliteCatalog` + \
                `FileBlobStore` in a temporary folder, `IndexerSettings.defaults()`), payloads in AWS's shapes (testkit \
                `S3EventPayloads`) built before the clock starts and every object written beforehand, so a pass times the \
                handler alone: parsing, planning (store reads), sequencer-conditional catalog writes and its outcome lines. \
                Nodes sit in folders of 100, whose containers the first registration creates. Each pass registers every \
                node into a fresh catalog and is checked (no `batchItemFailures`, every node counted in the catalog, the \
                expected outcomes); after untimed warm-up rounds, each timed round runs all four passes in a rotating order, \
                and the median pass is shown. Ratio = batched rate / one-per-invocation rate: in-process, so it leaves out \
                Lambda's own per-invocation cost, which is what batching saves on AWS. Upload to readable: \
                `Main.serveDirectory` on an empty temporary folder; a 4 × 4 float64 Zarr v2 array (`.zarray`, `.zattrs`, one \
                chunk) is written in a staging folder on the same file system, then renamed into the served folder or copied \
                in file by file (turns), and `/api/v1/metadata/<name>` is polled every 10 ms from the moment the rename or \
                copy returned until it answers 200 (one warm-up upload not counted). The folder watcher gathers changes for \
                a 300 ms quiet period before it hands them to the indexer, so that is the floor (the baseline; ratio = p50 / \
                300 ms).
                """);
        if (r.has("wr.block.gateway_ms") || r.has("wr.md.patch_p50_ms")) md.append("\n").append("""
                Writes: `serve catalog` (SQLite catalog + files) in the driver's JVM, one keep-alive `HttpClient` with the \
                server's key sending one request after another. Block writes: `PUT /array/block` of pseudo-random float64 \
                blocks into a Zarr v2 array (the gateway checks the body, compresses the chunk with zstd and stores it with \
                an atomic rename), against `FileBlobStore.put` of the same bytes (temporary file, rename); after one untimed \
                pass, each round writes every block through the gateway, then puts every block raw; MB/s from the median time \
                per block, ratio = gateway MB/s / raw MB/s; the last block is read back and compared. `update_metadata`: \
                `PATCH /metadata` with a one-operation JSON Patch (a new revision each time: the previous document is kept as a \
                revision and the node rewritten) against `GET /metadata` of the same node, taken in turns after a warm-up; \
                ratio = PATCH p50 / GET p50; the last value is read back.
                """);
        if (r.has("aws.demo_install_ms")) md.append("\n").append("""
                AWS adapters: moto (S3 and DynamoDB) in a child process on 127.0.0.1, answering one request at a time; the \
                gateway is the local server in the driver's JVM, serving the demo from S3 and DynamoDB on it; the driver's \
                client is a `java.net.http.HttpClient`. Gateway and baseline samples are taken in turns after a warm-up. Block \
                read: the gateway's node lookup (GetItem), S3 GET of the chunk, zstd decoding and response, against the SDK's \
                GET of the same object; ratio = gateway / raw. Listing: the children are written with BatchWriteItem in the \
                item layout of `functions/aws/TABLE-DESIGN.md` (items, per-block tallies, exact counters: as registrations \
                would leave them, checked through the catalog and by every page listing the expected children in order); \
                ratio = median time per page of the last pages / of the first pages. moto's index Query sorts the whole \
                table on every call, so absolute page times are moto's (the Query share is shown), and it compares every \
                index entry before a page's start, so moto alone makes deep pages dearer than the first ones; the request \
                counts show the gateway's cost per page independently of the emulator.
                """);
        if (r.has("srv.rounds")) md.append("\n").append("""
                Local HTTP server (`ServerCompare`): the demo behind Jetty, as `serve demo` runs it, and behind the JDK's \
                `com.sun.net.httpserver` (virtual threads, `sun.net.httpserver.nodelay` as the JDK rows say, the same body limits) in front \
                of the same API function and API Gateway emulation, in one JVM; raw-socket HTTP/1.1 clients, the two servers \
                in turns within each round, samples pooled over the rounds. "fresh" times include connecting. Slow clients \
                send a byte every 10 ms and read 512 bytes at a time; idle connections hold half a request line.
                """);
        if (r.has("search.sizes")) md.append("\n").append(String.format(Locale.ROOT, """
                Search: `SearchBench`, the catalogs called in-process (no HTTP). Containers of %s children, all in the same \
                table (the same SQLite file); in every run of n/100 children one is `"color": "teal"` and another has \
                `"note": "zanzibar harbour"`, the others another colour and `"note": "harbour"`. So `eq color teal` and \
                `fulltext zanzibar` each match 100, spread over the container; the baseline is `children(container, [], 0, \
                100)`, the first page of 100 in creation order; every call asks for 100 and is checked against the expected \
                children. DynamoDB: the children bulk-loaded with BatchWriteItem in the catalog's own item layout (node items, \
                their search index items and `ix` lists, tallies, counters, `ixd`), made by its code (`CreationItems`) and \
                checked against the first %d children written through `put`; requests counted per call by operation with \
                the entries its Queries returned. SQLite: children written through `put`, one transaction each; each call is \
                one read transaction on the catalog's file. Calls taken \
                in turns (all sizes and queries, rotating order) after %s warm-up rounds; medians. moto answers one request \
                at a time, spends most of a call on the items it returns (a BatchGetItem of 100 takes it ~0.2 s), and walks \
                its whole table on every Query; both containers share the table, so that walk costs the same at both sizes. \
                The driver's moto takes a Query's items from an unsorted walk of the table, where moto's own sorts the whole \
                table on every Query (~1.4 s per Query at 70,000 items, more than proportionally beyond); no answer changes. \
                moto also sorts the whole partition a Query names before it applies the key condition: the `eq` reads the \
                value partition of `color`, which holds an entry for every child, so moto's `eq` slows as the container \
                grows while DynamoDB reads only the 100 entries of `teal` (the entries column). So the times are moto's; \
                the request and entry counts are what carries over to DynamoDB.
                """, String.join(" and ", java.util.Arrays.stream(r.text("search.sizes").split(",")).map(n -> String.format(Locale.ROOT, "%,d", Long.parseLong(n))).toList()),
                (long) r.num("search.dynamo.direct"),
                r.has("search.dynamo.warmup") ? (long) r.num("search.dynamo.warmup") + " (DynamoDB) / " + (long) r.num("search.sqlite.warmup") + " (SQLite)"
                        : String.valueOf((long) r.num("search.sqlite.warmup"))));
        if ("true".equals(r.text("aws.list.fields_reappended")))
            md.append("The server's `links.next` drops `fields=`; the driver put it back on every page so that all pages ask for keys only.\n");
        return md.toString();
    }

    private void row(String measure, String result, String baseline, String ratio, String target) {
        md.append("| ").append(measure).append(" | ").append(result).append(" | ").append(baseline).append(" | ")
                .append(ratio).append(" | ").append(target).append(" |\n");
    }

    private void throughput(String key, String label) {
        String k = "tp." + key + ".";
        if (!r.has(k + "raw_ms")) {
            row("`/array/full` " + label, "not measured", "", "", "");
            return;
        }
        double bytes = r.num(k + "bytes"), chunkBytes = r.num(k + "chunk_bytes"), raw = r.num(k + "raw_ms");
        String baseline = String.format(Locale.ROOT, "raw read of %d chunk file(s), %s: %s ms (%s)", (long) r.num(k + "chunks"),
                mb(chunkBytes), f1(raw), mbps(chunkBytes, raw));
        for (String kind : new String[] {"computed", "repeat"}) {
            double ms = r.num(k + kind + "_ms");
            row(String.format(Locale.ROOT, "`/array/full` %s, `slice=%s`, %s, by the driver's `HttpClient` (in the server's JVM), n=%d", label,
                            r.text(k + "slice"), kind, (long) r.num(k + "samples")),
                    String.format(Locale.ROOT, "%s ms (%s delivered)", f1(ms), mbps(bytes, ms)), baseline, f2(raw / ms),
                    "(informational: includes the client's cost)");
        }
        if (r.has(k + "write_ms")) {
            double ms = r.num(k + "write_ms");
            row(String.format(Locale.ROOT, "… writing the result's %s into a new file, kept (what storing it costs at the least), taken in turns with the reads", mb(bytes)),
                    String.format(Locale.ROOT, "%s ms (%s)", f1(ms), mbps(bytes, ms)), "", "", "(informational)");
        }
        String target = "≥ " + LARGE_READ_TARGET;
        if (!r.has(k + "curl.computed_ms")) {
            row("`/array/full` " + label + ", computed, by curl", "not measured (no curl)", baseline, "", target);
            return;
        }
        for (String kind : new String[] {"computed", "repeat"}) {
            double ms = r.num(k + "curl." + kind + "_ms");
            double ratio = raw / ms;
            row(String.format(Locale.ROOT, "`/array/full` %s, %s selections of the same size and chunks, %s, by curl (a process of its own), n=%d",
                            label, kind.equals("computed") ? "other" : "the same", kind, (long) r.num(k + "curl.samples")),
                    String.format(Locale.ROOT, "%s ms (%s delivered)", f1(ms), mbps(bytes, ms)), baseline, f2(ratio),
                    kind.equals("computed") ? meets(ratio >= LARGE_READ_TARGET, target) : "(informational)");
        }
    }

    /** 100 values spread over all of {@code big_image}'s uncompressed chunks: {@link StridedReads}. */
    private void strided() {
        if (!r.has("strided.ms")) {
            row("`/array/full` strided, `big_image[k::1000, k::1000]`", "not measured", "", "", "");
            return;
        }
        double ms = r.num("strided.ms"), raw = r.num("strided.raw_ms");
        row(String.format(Locale.ROOT, "`/array/full` strided, `big_image[k::1000, k::1000]` (100 values from %d uncompressed chunks), warm, n=%d: median (max)",
                        (long) r.num("strided.chunks"), (long) r.num("strided.samples")),
                String.format(Locale.ROOT, "%s ms (%s); first read in a fresh server (its chunks made if absent): %s ms", f1(ms), f1(r.num("strided.max_ms")), f1(r.num("strided.first_ms"))),
                String.format(Locale.ROOT, "raw read of the %d chunk files whole, %s: %s ms", (long) r.num("strided.chunks"), mb(r.num("strided.chunk_bytes")), f1(raw)),
                f2(raw / ms), meets(ms <= STRIDED_TARGET_MS, "≤ " + (long) STRIDED_TARGET_MS + " ms (upstream)"));
    }

    /** The API function's memory while it answers one computed 100 MB read, in a 1 GB heap: {@link ReadMemory}. */
    private void readMemory() {
        readMemory("mem.s3.", "on S3 + DynamoDB (moto), a JVM of its own built from its environment as on Lambda");
        readMemory("mem.", "on files (`serve demo`)");
    }

    private void readMemory(String k, String where) {
        String measure = "`/array/full` 100 MB computed, the `ApiHandler` given a v2.0 event, " + where + ", `-Xmx1g`: peak RSS";
        if (!r.has(k + "peak_rss_bytes")) {
            row(measure, "not measured", "", "", "");
            return;
        }
        double rss = r.num(k + "peak_rss_bytes"), heap = r.num(k + "peak_heap_bytes");
        row(measure + " (`" + r.text(k + "query") + "`)",
                String.format(Locale.ROOT, "%s (heap %s sampled, %s after collections); %s ms", mb(rss), mb(heap), mb(r.num(k + "peak_after_gc_bytes")), f1(r.num(k + "ms"))),
                "heap before the read: " + mb(r.num(k + "idle_heap_bytes")), "", meets(rss > 0 && rss < 1e9 && heap < 1e9, "< 1 GB"));
    }

    /** Two concurrent ~300 MB JSON exports: peak heap against the payloads they hold, and the refusal of one over the limit: {@link ExportMemory}. */
    private void exports() {
        if (!r.has("exp.peak_after_gc_bytes")) {
            row("Two concurrent JSON exports of ~300 MB", "not measured", "", "", "");
            return;
        }
        long rows = (long) r.num("exp.rows");
        double payloads = 2 * r.num("exp.payload_bytes"), idle = r.num("exp.idle_heap_bytes"), peak = r.num("exp.peak_after_gc_bytes");
        String bound = String.format(Locale.ROOT, "bounds: %,d B per response in its format, %d large results at once, output streamed to the store",
                (long) r.num("exp.limit_bytes"), (long) r.num("exp.max_materialising"));
        row(String.format(Locale.ROOT, "Two concurrent JSON exports, `big_image[0:%d]` and `[%d:%d]` (%s and %s of JSON), peak heap", rows, rows, 2 * rows,
                        mb(r.num("exp.export0.bytes")), mb(r.num("exp.export1.bytes"))),
                String.format(Locale.ROOT, "%s after collections (sampled, garbage included: %s) with `-Xmx` %s; %d collections, longest %d ms; both done in %s s",
                        mb(peak), mb(r.num("exp.peak_heap_bytes")), mb(r.num("exp.xmx_bytes")), (long) r.num("exp.gcs"),
                        (long) r.num("exp.longest_gc_ms"), f1(r.num("exp.elapsed_ms") / 1000)),
                String.format(Locale.ROOT, "heap before, %s, + the two float64 payloads, 2 × %s = %s", mb(idle), mb(r.num("exp.payload_bytes")), mb(idle + payloads)),
                f2(peak / (idle + payloads)), bound);
        row("`/metadata` of the array every 20 ms during those exports",
                String.format(Locale.ROOT, "%d answered: p50 %s ms, p90 %s ms, max %s ms", (long) r.num("exp.metadata.n"), f1(r.num("exp.metadata.p50_ms")),
                        f1(r.num("exp.metadata.p90_ms")), f1(r.num("exp.metadata.max_ms"))), "", "", "(informational)");
        boolean refused = r.num("exp.refused_status") == 400;
        row("JSON export of `big_image[0:3749]` (300 MB of float64, about 750 MB of JSON)",
                String.format(Locale.ROOT, "%d in %s ms", (long) r.num("exp.refused_status"), f1(r.num("exp.refused_ms"))), "", "",
                meets(refused, "refused (400) before any data is read"));
    }

    /** {@code tables/long_table}: partitions as Arrow from 1 and N clients, and the CSV and Parquet exports: {@link TableThroughput}. */
    private void tables() {
        String t = "`" + TableThroughput.TABLE + "`";
        if (!r.has("tbl.part.c1.gw.reads")) {
            row(t + " partitions and exports", "not measured", "", "", "");
            return;
        }
        double arrow = r.num("tbl.part.arrow_bytes"), stored = r.num("tbl.stored_bytes");
        long parts = (long) r.num("tbl.parts");
        for (String c : new String[] {"1", r.text("tbl.part.concurrent")}) {
            String k = "tbl.part.c" + c + ".";
            if (!r.has(k + "gw.reads")) {
                row(t + " partitions, " + c + " client(s)", "not measured", "", "", "");
                continue;
            }
            double gwRate = r.num(k + "gw.reads") / r.num(k + "gw.seconds"), rawRate = r.num(k + "raw.reads") / r.num(k + "raw.seconds");
            String who = c.equals("1") ? "1 client" : c + " concurrent clients";
            row(String.format(Locale.ROOT, "`/table/partition/%s?partition=0…%d` as Arrow IPC file (%,d B each), %s, %.0f s, n=%d",
                            TableThroughput.TABLE, parts - 1, (long) arrow, who, r.num(k + "gw.seconds"), (long) r.num(k + "gw.reads")),
                    String.format(Locale.ROOT, "%,.1f reads/s, %s delivered; p50 %s ms, p99 %s ms", gwRate,
                            mbps(r.num(k + "gw.bytes"), r.num(k + "gw.seconds") * 1000), f2(r.num(k + "gw.p50_ms")), f2(r.num(k + "gw.p99_ms"))),
                    String.format(Locale.ROOT, "raw read of `part.<i>.parquet` (%,d B on average), %s: %,.0f reads/s, %s", (long) (stored / parts),
                            c.equals("1") ? "1 thread" : c + " threads", rawRate, mbps(r.num(k + "raw.bytes"), r.num(k + "raw.seconds") * 1000)),
                    small(gwRate / rawRate), "(informational)");
            String threads = c.equals("1") ? "1 thread" : c + " threads";
            if (!r.has(k + "pyarrow.reads")) {
                row("… the same partitions, against pyarrow doing the same work", "not measured (no python3 with pyarrow)", "", "", "≥ 0.5");
                continue;
            }
            double pyRate = r.num(k + "pyarrow.reads") / r.num(k + "pyarrow.seconds");
            String reference = String.format(Locale.ROOT, "pyarrow %s: `pq.read_table(part)` written as an Arrow IPC file, %s: %,.1f reads/s",
                    r.text("tbl.pyarrow.version"), threads, pyRate);
            row("… the same partitions read by Java's `HttpClient` in the driver's JVM (which also runs the server), against pyarrow doing the same work",
                    String.format(Locale.ROOT, "%,.1f reads/s", gwRate), reference, f2(gwRate / pyRate), "(informational: includes the client's cost)");
            if (r.has(k + "curl.reads")) {
                double curlRate = r.num(k + "curl.reads") / r.num(k + "curl.seconds");
                row(String.format(Locale.ROOT, "… the same partitions read by curl (%s, one keep-alive connection each), against pyarrow doing the same work, n=%d",
                                c.equals("1") ? "1 process" : c + " processes", (long) r.num(k + "curl.reads")),
                        String.format(Locale.ROOT, "%,.1f reads/s; p50 %s ms, p99 %s ms", curlRate, f2(r.num(k + "curl.p50_ms")), f2(r.num(k + "curl.p99_ms"))),
                        reference, f2(curlRate / pyRate), meets(curlRate / pyRate >= 0.5, "≥ 0.5"));
            } else {
                row("… the same partitions read by curl, against pyarrow doing the same work", "not measured (no curl)", reference, "", "≥ 0.5");
            }
        }
        for (String format : new String[] {"csv", "parquet"}) {
            String k = "tbl." + format + ".";
            if (!r.has(k + "computed_ms")) {
                row("`/table/full/" + TableThroughput.TABLE + "?format=" + format + "`", "not measured", "", "", "");
                continue;
            }
            double bytes = r.num(k + "bytes"), raw = r.num(k + "raw_ms");
            boolean redirected = "true".equals(r.text(k + "redirected"));
            String baseline = String.format(Locale.ROOT, "raw read of the %d part files, %s: %s ms (%s)", parts, mb(stored), f2(raw), mbps(stored, raw));
            for (String kind : new String[] {"computed", "repeat"}) {
                double ms = r.num(k + kind + "_ms");
                String how;
                if (!redirected) how = kind.equals("computed") ? "answered inline, under the inline ceiling: not stored"
                        : "answered inline from the bodies the server keeps in memory by ETag";
                else if (kind.equals("computed")) how = "307 to `/_blob/`";
                else if (r.has(k + "repeat_rewritten"))
                    how = String.format(Locale.ROOT, "307 to `/_blob/`; stored result rewritten on %d of %d repeats%s", (long) r.num(k + "repeat_rewritten"),
                            (long) r.num(k + "samples"), r.num(k + "repeat_rewritten") > 0 ? ": recomputed, not reused" : ": reused");
                else how = "307 to `/_blob/`";
                row(String.format(Locale.ROOT, "`/table/full/%s?format=%s` (%s), %s, n=%d", TableThroughput.TABLE, format, mb(bytes), kind,
                                (long) r.num(k + "samples")),
                        String.format(Locale.ROOT, "%s ms (%s delivered; %s)", f1(ms), mbps(bytes, ms), how), baseline, small(raw / ms), "(informational)");
            }
        }
    }

    private void metadata() {
        if (!r.has("md.rps")) {
            row("Metadata under load", "not measured", "", "", "");
            return;
        }
        row(String.format(Locale.ROOT, "`/api/v1/metadata/…`, %d concurrent HttpClients, %.0f s", (long) r.num("md.clients"), r.num("md.window_s")),
                String.format(Locale.ROOT, "%,.0f req/s; p50 %.2f ms, p99 %.2f ms; %d errors", r.num("md.rps"), r.num("md.p50_ms"),
                        r.num("md.p99_ms"), (long) r.num("md.errors")), "—", "—", "(informational)");
    }

    /** Warm server time of a metadata read and of an 8 MiB block, around the in-process router: {@link ServerTime}. */
    private void serverTime() {
        if (!r.has("st.metadata_p50_ms")) {
            row("Server time, warm: `/metadata` and an 8 MiB `/array/block`", "not measured", "", "", "");
            return;
        }
        long n = (long) r.num("st.samples");
        row(String.format(Locale.ROOT, "Server time, warm, `/metadata` of an array at depth 3 (router in-process, SQLite), n=%d: p50 (p99)", n),
                String.format(Locale.ROOT, "%.3f ms (%.3f); process CPU %.3f ms per request", r.num("st.metadata_p50_ms"), r.num("st.metadata_p99_ms"),
                        r.num("st.metadata_cpu_ms")), "—", "—",
                meets(r.num("st.metadata_p50_ms") <= SERVER_METADATA_TARGET_MS, "≤ " + SERVER_METADATA_TARGET_MS + " ms"));
        row(String.format(Locale.ROOT, "Server time, warm, `/array/block` of one %s uncompressed chunk (inline), n=%d: p50 (p99)", mb(r.num("st.block_bytes")), n),
                String.format(Locale.ROOT, "%.2f ms (%.2f); process CPU %.2f ms per request", r.num("st.block_p50_ms"), r.num("st.block_p99_ms"),
                        r.num("st.block_cpu_ms")), "—", "—",
                meets(r.num("st.block_p50_ms") <= SERVER_BLOCK_TARGET_MS, "≤ " + (long) SERVER_BLOCK_TARGET_MS + " ms"));
    }

    /** Keep-alive vs fresh connections, and Jetty (the local server) vs the JDK's HttpServer: {@link ServerCompare}. */
    private void servers() {
        if (!r.has("srv.rounds")) {
            row("Local HTTP server: keep-alive and Jetty vs the JDK's HttpServer", "not measured", "", "", "");
            return;
        }
        for (String server : ServerCompare.SERVERS) {
            String name = server.equals("jetty") ? "Jetty (the local server)"
                    : "JDK HttpServer " + ("false".equals(r.text("srv.jdk_nodelay")) ? "without" : "with") + " TCP_NODELAY";
            for (String what : new String[] {"array", "metadata"}) {
                String ka = "srv." + server + ".seq.keepalive." + what, fresh = "srv." + server + ".seq.fresh." + what;
                double ratio = r.num(ka + ".p50_ms") / r.num(fresh + ".p50_ms");
                row(String.format(Locale.ROOT, "%s, %s, keep-alive connection vs a fresh one each time, 1 client, n=%d",
                                what.equals("array") ? "20,000-byte `/array/full` (`tiny_image`)" : "`/metadata` of `tiny_image`", name, (long) r.num(ka + ".n")),
                        "p50 " + f2(r.num(ka + ".p50_ms")) + " ms, p90 " + f2(r.num(ka + ".p90_ms")) + " ms",
                        "fresh: p50 " + f2(r.num(fresh + ".p50_ms")) + " ms, p90 " + f2(r.num(fresh + ".p90_ms")) + " ms", f2(ratio),
                        server.equals("jetty") ? meets(ratio <= KEEPALIVE_TARGET, "≤ " + KEEPALIVE_TARGET + " (no delayed-ACK stall)") : "(informational)");
            }
        }
        for (String load : new String[] {"c1", "c16", "c64", "hostile"}) {
            String what = load.equals("hostile") ? "16 keep-alive clients + 4 slow clients + 100 idle connections"
                    : load.substring(1) + " keep-alive client(s)";
            row("Jetty vs JDK HttpServer, " + what + ", array and metadata alternating, " + (long) r.num("srv.rounds") + " × "
                            + (long) r.num("srv.seconds") + " s", serverLoad("jetty", load), "JDK: " + serverLoad("jdk", load),
                    f2(r.num("srv.jetty." + load + ".rps") / r.num("srv.jdk." + load + ".rps")), "(informational: req/s ratio)");
        }
    }

    private String serverLoad(String server, String load) {
        String k = "srv." + server + "." + load;
        String slow = load.equals("hostile") ? String.format(Locale.ROOT, "; %d slow answers", (long) r.num(k + ".slow_answers")) : "";
        return String.format(Locale.ROOT, "%,.0f req/s, p50 %.2f ms, p99 %.2f ms, %d errors%s", r.num(k + ".rps"), r.num(k + ".p50_ms"),
                r.num(k + ".p99_ms"), (long) r.num(k + ".errors"), slow);
    }

    /** The warm cost of authorization per request: {@link AuthOverhead}. */
    private void authorization() {
        if (!r.has("auth.ratio")) {
            row("Authorization per request, `/metadata/` with a key vs anonymous", "not measured", "", "", "");
            return;
        }
        row("Authorization per request: `/metadata/` with a key (lookup by hash) vs anonymous, public demo, sequential, n="
                        + (long) r.num("auth.requests") + " each",
                "p50 " + f2(r.num("auth.key_p50_ms")) + " ms", "anonymous: p50 " + f2(r.num("auth.public_p50_ms")) + " ms",
                f2(r.num("auth.ratio")), "(informational)");
    }

    private void coldStarts() {
        if (!r.has("cold.hello_ms")) {
            row("Cold starts", "not measured", "", "", "");
            return;
        }
        double floor = r.num("cold.hello_ms");
        String n = ", n=" + (long) r.num("cold.rounds");
        String base = "hello-world JVM " + f1(floor) + " ms";
        row("Cold start: hello-world JVM (floor)" + n, f1(floor) + " ms", "—", "1.00", "—");
        coldRow("Cold start: `ApiHandler` + 1 recorded event on the local server's storage, the JVM's defaults" + n, "cold.handler_ms", base, floor);
        row("… of which in `main`: construct handler / first `handle()`",
                f1(r.num("cold.handler_init_ms")) + " ms / " + f1(r.num("cold.handler_handle_ms")) + " ms", "", "", "");
        coldRow("Cold start: same, `" + ColdStart.LAMBDA_TIERED + "` (Lambda's default)" + n, "cold.handler_c1_ms", base, floor);
        String target = "≤ " + (int) COLD_START_RATIO_TARGET + "×";
        if (r.has("cold.aws_c1_ms")) {
            double c1 = r.num("cold.aws_c1_ms");
            row("Cold start of the API function as the template deploys it (`" + ColdStart.LAMBDA_TIERED + "`), no SnapStart, vs hello-world: "
                            + "its jar unpacked as Lambda does, S3 + DynamoDB on moto" + n,
                    f1(c1) + " ms (construct " + f1(r.num("cold.aws_c1_init_ms")) + " ms, first event " + f1(r.num("cold.aws_c1_handle_ms")) + " ms)",
                    base, f2(c1 / floor) + "×", meets(c1 <= COLD_START_RATIO_TARGET * floor, target));
            row("… first event after `ApiHandler.prime()` (what SnapStart's snapshot holds; the restore itself not measured)" + n,
                    f1(r.num("cold.aws_primed_handle_ms")) + " ms (priming " + f1(r.num("cold.aws_primed_prime_ms")) + " ms, before the snapshot)",
                    "unprimed " + f1(r.num("cold.aws_c1_handle_ms")) + " ms",
                    f2(r.num("cold.aws_primed_handle_ms") / r.num("cold.aws_c1_handle_ms")), "(informational)");
            if (r.has("cold.aws_sdk_ms")) {
                double sdk = r.num("cold.aws_sdk_ms");
                row("… the AWS SDK's share alone, in the same folder, environment and moto: the Secrets Manager client and the server's key, "
                                + "the DynamoDB client as the function builds it, and the first event's catalog read (GetItem of the root); "
                                + "no handler, router or response (`ColdStartSdkFloor`)" + n,
                        f1(sdk) + " ms (clients and secret " + f1(r.num("cold.aws_sdk_init_ms")) + " ms, GetItem " + f1(r.num("cold.aws_sdk_handle_ms"))
                                + " ms); the function's time beyond it: " + f1(c1 - sdk) + " ms",
                        base, f2(sdk / floor) + "×", "(informational)");
            }
        } else {
            row("Cold start of the API function as the template deploys it, on S3 + DynamoDB (moto)", "not measured", "", "", target + ": not measured");
        }
        if (r.has("cold.handler_c1_init_ms")) {
            double c1 = r.num("cold.handler_c1_ms");
            row("Cold start: the same handler (`" + ColdStart.LAMBDA_TIERED + "`) on the local server's storage (SQLite and a folder), "
                            + "from the benchmark's jar, vs hello-world" + n,
                    f1(c1) + " ms (construct " + f1(r.num("cold.handler_c1_init_ms")) + " ms, first event " + f1(r.num("cold.handler_c1_handle_ms")) + " ms)",
                    base, f2(c1 / floor) + "×", "(informational)");
            row("… first event after `ApiHandler.prime()`, on the same storage" + n,
                    f1(r.num("cold.primed_handle_ms")) + " ms (priming " + f1(r.num("cold.primed_prime_ms")) + " ms, before the snapshot)",
                    "unprimed " + f1(r.num("cold.handler_c1_handle_ms")) + " ms",
                    f2(r.num("cold.primed_handle_ms") / r.num("cold.handler_c1_handle_ms")), "(informational)");
        }
        if (r.has("cold.authorizer_ms")) {
            coldRow("Cold start: `AuthorizerHandler` + 1 authorizer event with a key (key store: SQLite here, DynamoDB on Lambda)" + n,
                    "cold.authorizer_ms", base, floor);
            coldRow("Cold start: same, `" + ColdStart.LAMBDA_TIERED + "`" + n, "cold.authorizer_c1_ms", base, floor);
            if (r.has("cold.authorizer_primed_handle_ms"))
                row("… first event after `AuthorizerHandler.prime()` (what SnapStart's snapshot holds; the restore itself not measured)" + n,
                        f1(r.num("cold.authorizer_primed_handle_ms")) + " ms (priming " + f1(r.num("cold.authorizer_primed_prime_ms")) + " ms, before the snapshot)",
                        "unprimed " + f1(r.num("cold.authorizer_c1_handle_ms")) + " ms",
                        f2(r.num("cold.authorizer_primed_handle_ms") / r.num("cold.authorizer_c1_handle_ms")), "(informational)");
        }
        coldRow("Cold start: `tiled-gateway.jar serve demo` to first 200, the JVM's options only" + n, "cold.server_ms", base, floor);
        if (r.has("cold.server_launcher_ms"))
            coldRow("Cold start: `serve demo` as `./tiled-gateway` starts it (the JDK's AOT cache of this build, recorded once)" + n,
                    "cold.server_launcher_ms", base, floor);
        if (r.has("cold.server_first_ms"))
            row("First `serve demo` on an empty data dir (builds the demo tree), n=1", f1(r.num("cold.server_first_ms")) + " ms", "—", "—",
                    "(informational)");
    }

    private void coldRow(String measure, String key, String base, double floor) {
        double ms = r.num(key);
        row(measure, f1(ms) + " ms", base, f2(ms / floor) + "×", meets(ms < COLD_START_TARGET_MS, "< 1 s"));
    }

    /** The catalog indexer: registrations/s one event and 100 messages per invocation, and upload to readable: {@link IndexerBench}. */
    private void indexer() {
        for (String w : new String[] {"csv", "zarr"}) {
            String k = "idx." + w + ".";
            String what = w.equals("csv")
                    ? "CSV files (1 object, 1 event → 1 table node)"
                    : "Zarr v2 arrays (`.zarray`, `.zattrs`, 1 chunk: 3 events → 1 array node)";
            if (!r.has(k + "single.per_s")) {
                row("Catalog indexer registrations/s, " + what, "not measured", "", "", "");
                continue;
            }
            double single = r.num(k + "single.per_s"), batch = r.num(k + "batch.per_s");
            double perNode = r.num(k + "events") / r.num(k + "nodes");
            String target = "≥ " + (long) REGISTRATION_TARGET_PER_S + "/s";
            String common = String.format(Locale.ROOT, "%s, SQLite + files, %,d nodes, median of %d passes", what, (long) r.num(k + "nodes"),
                    (long) r.num(k + "rounds"));
            row(String.format(Locale.ROOT, "Catalog indexer `IndexerHandler.handleRequest`, one S3 notification (1 record) per invocation: %s", common),
                    String.format(Locale.ROOT, "%,.0f registrations/s%s (%,d invocations in %s s)", single, events(perNode, single),
                            (long) r.num(k + "single.invocations"), f2(r.num(k + "single.seconds"))),
                    "—", "—", meets(single >= REGISTRATION_TARGET_PER_S, target));
            row(String.format(Locale.ROOT, "… same, SQS events of %d messages (1 notification each) per invocation", (long) r.num(k + "batch.size")),
                    String.format(Locale.ROOT, "%,.0f registrations/s%s (%,d invocations in %s s)", batch, events(perNode, batch),
                            (long) r.num(k + "batch.invocations"), f2(r.num(k + "batch.seconds"))),
                    String.format(Locale.ROOT, "one per invocation: %,.0f registrations/s", single), f2(batch / single),
                    meets(batch >= REGISTRATION_TARGET_PER_S, target));
        }
        if (!r.has("idx.upload.all.n")) {
            row("Upload to readable on `serve directory`", "not measured", "", "", "");
            return;
        }
        double quiet = r.num("idx.upload.quiet_ms");
        for (String how : new String[] {"move", "copy"}) {
            String k = "idx.upload." + how + ".";
            double p50 = r.num(k + "p50_ms"), max = r.num(k + "max_ms");
            row(String.format(Locale.ROOT, "Upload to readable on `serve directory`: small Zarr array folder %s the served folder, "
                                    + "`/metadata/<name>` polled every %d ms, n=%d: p50 (max)",
                            how.equals("move") ? "renamed into" : "copied file by file into", (long) r.num("idx.upload.poll_ms"), (long) r.num(k + "n")),
                    String.format(Locale.ROOT, "%s ms (%s ms)", f1(p50), f1(max)),
                    String.format(Locale.ROOT, "folder watcher's quiet period: %s ms", f1(quiet)), f2(p50 / quiet),
                    meets(max <= UPLOAD_READABLE_TARGET_MS, "≤ 2 s (max)"));
        }
    }

    private static String events(double perNode, double nodesPerSecond) {
        return perNode == 1 ? "" : String.format(Locale.ROOT, " = %,.0f events/s", perNode * nodesPerSecond);
    }

    /** Block writes against raw store puts, and metadata updates against metadata reads: {@link WriteBench}. */
    private void writes() {
        if (r.has("wr.block.gateway_ms")) {
            double gw = r.num("wr.block.gateway_mbps"), raw = r.num("wr.block.raw_mbps");
            row(String.format(Locale.ROOT, "`PUT /array/block` of %s float64 blocks (Zarr v2, zstd), `serve catalog` on files, keep-alive, %d blocks × %d rounds",
                            mb(r.num("wr.block.bytes")), (long) r.num("wr.block.blocks"), (long) (r.num("wr.block.samples") / r.num("wr.block.blocks"))),
                    String.format(Locale.ROOT, "%,.0f MB/s (p50 %s ms, p90 %s ms per block)", gw, f1(r.num("wr.block.gateway_ms")), f1(r.num("wr.block.gateway_p90_ms"))),
                    String.format(Locale.ROOT, "`FileBlobStore.put` of the same bytes: %,.0f MB/s (p50 %s ms)", raw, f1(r.num("wr.block.raw_ms"))),
                    f2(gw / raw), "(informational)");
        } else {
            row("Block writes through the gateway vs raw store puts", "not measured", "", "", "");
        }
        if (r.has("wr.md.patch_p50_ms")) {
            double patch = r.num("wr.md.patch_p50_ms"), get = r.num("wr.md.get_p50_ms");
            row(String.format(Locale.ROOT, "`update_metadata`: `PATCH /metadata` (JSON Patch, one revision each), `serve catalog` on SQLite, n=%d: p50 (p99)",
                            (long) r.num("wr.md.samples")),
                    String.format(Locale.ROOT, "%s ms (%s ms)", f2(patch), f2(r.num("wr.md.patch_p99_ms"))),
                    String.format(Locale.ROOT, "`GET /metadata` of the same node: %s ms (%s ms)", f2(get), f2(r.num("wr.md.get_p99_ms"))),
                    f2(patch / get) + "×", "(informational)");
        } else {
            row("`update_metadata` vs a metadata read", "not measured", "", "", "");
        }
    }

    /** The AWS adapters (S3 and DynamoDB) on moto through the local server: {@link AwsAdapters}. */
    private void aws() {
        if (!r.has("aws.demo_install_ms")) {
            row("AWS adapters on moto", "not measured", "", "", "");
            return;
        }
        String on = " (S3 + DynamoDB on moto)";
        if (r.has("aws.block.gateway_ms")) {
            double gw = r.num("aws.block.gateway_ms"), raw = r.num("aws.block.raw_ms");
            row(String.format(Locale.ROOT, "`/array/block/%s?block=%s`%s, %,d B served, n=%d", AwsAdapters.BLOCK_ARRAY, AwsAdapters.BLOCK, on,
                            (long) r.num("aws.block.served_bytes"), (long) r.num("aws.block.samples")),
                    f2(gw) + " ms", String.format(Locale.ROOT, "raw S3 GET of `%s` (%,d B, zstd), SDK client: %s ms", AwsAdapters.BLOCK_OBJECT,
                            (long) r.num("aws.block.object_bytes"), f2(raw)),
                    f2(gw / raw) + "×", "(informational)");
        } else {
            row("Block read through the gateway vs raw S3 GET" + on, "not measured", "", "", "");
        }
        if (r.has("aws.list.last_ms")) {
            double first = r.num("aws.list.first_ms"), last = r.num("aws.list.last_ms"), ratio = last / first;
            long ends = (long) r.num("aws.list.ends"), pages = (long) r.num("aws.list.pages"), fetched = (long) r.num("aws.list.pages_fetched");
            String how = fetched >= pages ? "all " + pages + " pages walked"
                    : String.format(Locale.ROOT, "first and last %d of %d pages, two walks by `links.next` taking turns", ends, pages);
            row(String.format(Locale.ROOT, "`/search/%s?page[limit]=%d&fields=` over %,d children%s, %s: median time per page, last %d",
                            AwsAdapters.BIG.joined(), (long) r.num("aws.list.limit"), (long) r.num("aws.list.children"), on, how, ends),
                    f1(last) + " ms", "first " + ends + " pages: " + f1(first) + " ms", f2(ratio),
                    meets(ratio <= LISTING_END_TARGET, "≈ 1 (≤ " + LISTING_END_TARGET + ")"));
            if (r.has("aws.list.probe_end.calls"))
                row(String.format(Locale.ROOT, "… DynamoDB requests behind one page (`DynamoDbCatalog.children`, offset %,d / %,d; the route adds 1 GetItem, the container with its count); ratio of request counts",
                                (long) r.num("aws.list.probe_start.offset"), (long) r.num("aws.list.probe_end.offset")),
                        r.text("aws.list.probe_start.calls") + " / " + r.text("aws.list.probe_end.calls"),
                        String.format(Locale.ROOT, "moto's index Query: %s of %s ms / %s of %s ms", f1(r.num("aws.list.probe_start.query_ms")),
                                f1(r.num("aws.list.probe_start.ms")), f1(r.num("aws.list.probe_end.query_ms")), f1(r.num("aws.list.probe_end.ms"))),
                        f2(r.num("aws.list.probe_end.requests") / r.num("aws.list.probe_start.requests")), "(informational)");
        } else {
            row("Listing a large container page by page" + on, "not measured", "", "", "");
        }
        if (r.has("aws.depth.d8_p50_ms")) {
            double d1 = r.num("aws.depth.d1_p50_ms"), d8 = r.num("aws.depth.d8_p50_ms");
            row(String.format(Locale.ROOT, "Node lookup `/metadata/%s` (depth 8)%s, n=%d: p50 (p99)", AwsAdapters.DEEP.joined(), on,
                            (long) r.num("aws.depth.samples")),
                    String.format(Locale.ROOT, "%s ms (%s ms)", f2(d8), f2(r.num("aws.depth.d8_p99_ms"))),
                    String.format(Locale.ROOT, "depth 1 `/metadata/a`: %s ms (%s ms)", f2(d1), f2(r.num("aws.depth.d1_p99_ms"))),
                    f2(d8 / d1) + "×", "(informational)");
        } else {
            row("Node lookup depth 1 vs depth 8" + on, "not measured", "", "", "");
        }
        String setup = "demo installed in " + f1(r.num("aws.demo_install_ms") / 1000) + " s";
        if (r.has("aws.list.load_s"))
            setup += String.format(Locale.ROOT, "; %,d children bulk-loaded in %s s", (long) r.num("aws.list.children"), f1(r.num("aws.list.load_s")));
        row("Setup on moto, n=1", setup, "—", "—", "(informational)");
    }

    /** {@code eq} and {@code fulltext} matching 100 against listing one page of 100, at two container sizes: {@link SearchBench}. */
    private void search() {
        String sizes = r.text("search.sizes");
        if (sizes == null) {
            row("Search `eq` / `fulltext` matching 100 vs listing a page of 100 (DynamoDB on moto, SQLite)", "not measured", "", "", "");
            return;
        }
        long[] ns = java.util.Arrays.stream(sizes.split(",")).mapToLong(Long::parseLong).toArray();
        for (String b : new String[] {"dynamo", "sqlite"}) {
            boolean dynamo = b.equals("dynamo");
            String on = dynamo ? "DynamoDB on moto" : "SQLite";
            String base = "search." + b + ".";
            if (!r.has(base + "samples")) {
                row("Search `eq` / `fulltext` matching 100 vs listing a page of 100, " + on, "not measured", "", "", "");
                continue;
            }
            long samples = (long) r.num(base + "samples");
            for (SearchBench.Op op : new SearchBench.Op[] {SearchBench.Op.EQ, SearchBench.Op.FULLTEXT}) {
                String what = op == SearchBench.Op.EQ ? "`eq` color = teal" : "`fulltext` zanzibar";
                for (long n : ns) {
                    String k = base + n + ".";
                    if (!r.has(k + op.key + ".ms")) {
                        row(String.format(Locale.ROOT, "`search` %s among %,d children, %s", what, n, on), "not measured", "", "", "");
                        continue;
                    }
                    double ms = r.num(k + op.key + ".ms"), list = r.num(k + "listing.ms"), ratio = ms / list;
                    row(String.format(Locale.ROOT, "`search` %s, 100 of %,d children, page of 100, %s, n=%d: median", what, n, on, samples),
                            f2(ms) + " ms" + (dynamo ? "; " + requests(k + op.key) : ""),
                            "`children`, first page of 100: " + f2(list) + " ms" + (dynamo ? "; " + requests(k + "listing") : ""),
                            f2(ratio), meets(ratio <= SEARCH_TARGET, "≤ " + (long) SEARCH_TARGET));
                }
            }
            if (ns.length >= 2) {
                long small = ns[0], large = ns[ns.length - 1];
                StringBuilder growth = new StringBuilder();
                for (SearchBench.Op op : SearchBench.Op.values()) {
                    double a = r.num(base + small + "." + op.key + ".ms"), z = r.num(base + large + "." + op.key + ".ms");
                    growth.append(growth.isEmpty() ? "" : "; ").append(op.key).append(' ').append(f2(a)).append(" → ").append(f2(z))
                            .append(" ms (").append(f2(z / a)).append("×");
                    if (dynamo) growth.append(", requests ").append((long) r.num(base + small + "." + op.key + ".requests")).append(" → ")
                            .append((long) r.num(base + large + "." + op.key + ".requests"));
                    growth.append(')');
                }
                row(String.format(Locale.ROOT, "… the same calls, %,d → %,d children (%s)", small, large, on), growth.toString(), "", "", "(informational)");
            }
            StringBuilder setup = new StringBuilder();
            for (long n : ns) {
                String k = base + n + ".";
                if (!r.has(k + "load_s")) continue;
                setup.append(setup.isEmpty() ? "" : "; ").append(String.format(Locale.ROOT, "%,d children in %s s", n, f1(r.num(k + "load_s"))));
                if (dynamo) setup.append(String.format(Locale.ROOT, " (%,d items)", (long) r.num(k + "items")));
            }
            row("Search setup, " + on + ", n=1", (dynamo ? "bulk-loaded (BatchWriteItem): " : "written through `put`, one transaction each: ") + setup
                    + (dynamo ? String.format(Locale.ROOT, "; the first %d children of each through `put`, items identical to the bulk ones",
                    (long) r.num(base + "direct")) : ""), "—", "—", "(informational)");
        }
    }

    /** e.g. {@code 4 requests (BatchGetItem 1, GetItem 1, Query 2), 100 index entries}. */
    private String requests(String k) {
        return String.format(Locale.ROOT, "%d requests (%s), %d entries queried", (long) r.num(k + ".requests"), r.text(k + ".calls"),
                (long) r.num(k + ".entries"));
    }

    private void jmh() {
        String names = r.text("jmh.names");
        if (names == null || names.isBlank()) {
            row("JMH microbenchmarks", "not measured", "", "", "");
            return;
        }
        for (String name : names.split(",")) {
            String k = "jmh." + name + ".";
            double score = r.num(k + "score");
            String unit = r.text(k + "unit");
            String per = unit.equals("ops/s") ? String.format(Locale.ROOT, " (%s µs/op)", f2(1e6 / score)) : "";
            row("JMH `" + name + "` (in-process)", String.format(Locale.ROOT, "%,.0f ± %,.0f %s%s", score, r.num(k + "error"), unit, per),
                    "—", "—", "(informational)");
        }
    }

    private static String meets(boolean ok, String target) { return target + (ok ? ": met" : ": **not met**"); }

    private static String mb(double bytes) { return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6); }

    private static String mbps(double bytes, double ms) { return String.format(Locale.ROOT, "%,.0f MB/s", bytes / 1e6 / (ms / 1000)); }

    private static String f1(double v) { return String.format(Locale.ROOT, "%,.1f", v); }

    /** Two significant digits below 0.1 (table ratios are far below 1), else two decimals. */
    private static String small(double v) { return v < 0.1 ? String.format(Locale.ROOT, "%.2g", v) : f2(v); }

    private static String f2(double v) { return String.format(Locale.ROOT, "%.2f", v); }
}
