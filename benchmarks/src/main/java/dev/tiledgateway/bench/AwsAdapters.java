package dev.tiledgateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.aws.catalog.DynamoDbCatalog;
import dev.tiledgateway.aws.store.S3BlobStore;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.local.Main;
import dev.tiledgateway.testkit.MotoServer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The AWS adapters (S3 and DynamoDB) on moto, on 127.0.0.1, through the local server: the demo served by
 * {@link Main#serveDemoOnAws}, then
 * <ol>
 *   <li>a block read through the gateway vs a raw S3 GET of the same chunk object (SDK client);</li>
 *   <li>node lookup at depth 1 vs depth 8 ({@code /metadata/a} vs {@code /metadata/a/b/c/d/e/f/g/h});</li>
 *   <li>a container of many children (bulk-loaded, {@link BulkChildren}) listed page by page by following
 *       {@code links.next}: time per page at the start vs at the end.</li>
 * </ol>
 * Writes its figures to a properties file for {@link Report}; a step that fails leaves its figures out.
 *
 * <pre>AwsAdapters --out FILE [--children 100000] [--page-limit 300] [--samples 100] [--walk-all]</pre>
 * Without {@code --walk-all} the listing fetches the first and the last {@value #ENDS} pages only (see {@link #listing}).
 */
public final class AwsAdapters {

    static final String BUCKET = "bench-demo";
    static final String TABLE = "bench-catalog";
    static final String BLOCK_ARRAY = "nested/images/medium_image";
    static final String BLOCK = "1,1";
    /** The chunk {@link #BLOCK} of {@link #BLOCK_ARRAY} (Zarr v2, zstd) as an object key in the bucket. */
    static final String BLOCK_OBJECT = "demo/" + BLOCK_ARRAY + "/1.1";
    static final NodePath DEEP = NodePath.of("a/b/c/d/e/f/g/h");
    static final NodePath BIG = NodePath.of("many");
    /** Pages timed at each end of the listing. */
    static final int ENDS = 10;

    public static void main(String[] args) throws Exception {
        Path out = null;
        int children = 100_000, pageLimit = 300, samples = 100;
        boolean walkAll = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--children" -> children = Integer.parseInt(args[++i]);
                case "--page-limit" -> pageLimit = Integer.parseInt(args[++i]);
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--walk-all" -> walkAll = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (out == null) throw new IllegalArgumentException("usage: AwsAdapters --out FILE [--children N] [--page-limit N] [--samples N] [--walk-all]");
        int n = children, limit = pageLimit, count = samples;
        boolean walk = walkAll;

        Results r = new Results();
        r.put("aws.load_start", Load.now());
        int failures = 0;
        try (MotoServer moto = MotoServer.start()) {
            String endpoint = moto.endpoint().toString();
            log("moto on " + endpoint + "; installing the demo into S3 and DynamoDB");
            long t0 = System.nanoTime();
            Main.Running running = Main.serveDemoOnAws("127.0.0.1", 0, endpoint, endpoint, BUCKET, TABLE, true, 4_500_000);
            r.put("aws.demo_install_ms", Stats.millis(System.nanoTime() - t0));
            r.save(out);
            AwsClients clients = AwsClients.emulated(moto.endpoint(), moto.endpoint());
            try (S3Client s3 = clients.s3(); DynamoDbClient dynamo = clients.dynamo();
                 HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build()) {
                S3BlobStore spill = new S3BlobStore(s3, null, BUCKET, "");
                DynamoDbCatalog catalog = new DynamoDbCatalog(dynamo, TABLE, spill);
                SdkCalls calls = new SdkCalls();
                DynamoDbCatalog probe = new DynamoDbCatalog(clients.dynamo(calls), TABLE, spill);
                AwsAdapters run = new AwsAdapters(http, "http://127.0.0.1:" + running.server().port(), s3, dynamo, catalog, probe, calls);
                for (Step step : List.<Step>of(() -> run.block(r, count), () -> run.depth(r, 2 * count),
                        () -> run.listing(r, n, limit, walk))) {
                    try {
                        step.run();
                    } catch (Exception | AssertionError e) {
                        failures++;
                        log("step failed: " + e);
                        e.printStackTrace();
                    }
                    r.save(out);
                }
            } finally {
                running.server().close();
            }
        }
        r.put("aws.load_end", Load.now());
        r.save(out);
        log(failures == 0 ? "done" : "done, " + failures + " step(s) failed");
        System.exit(failures == 0 ? 0 : 1); // the demo's dynamic-array ticker is not stopped by closing the server
    }

    @FunctionalInterface
    private interface Step { void run() throws Exception; }

    private final HttpClient http;
    private final String base;
    private final S3Client s3;
    private final DynamoDbClient dynamo;
    private final DynamoDbCatalog catalog;
    /** The same table through a client that counts and times its requests. */
    private final DynamoDbCatalog probe;
    private final SdkCalls calls;

    private AwsAdapters(HttpClient http, String base, S3Client s3, DynamoDbClient dynamo, DynamoDbCatalog catalog, DynamoDbCatalog probe,
                        SdkCalls calls) {
        this.http = http;
        this.base = base;
        this.s3 = s3;
        this.dynamo = dynamo;
        this.catalog = catalog;
        this.probe = probe;
        this.calls = calls;
    }

    /** Gateway block read vs raw S3 GET of the chunk object, interleaved, after a warm-up of each. */
    void block(Results r, int samples) throws IOException, InterruptedException {
        log("block " + BLOCK + " of " + BLOCK_ARRAY + " through the gateway vs S3 GET " + BLOCK_OBJECT + ", " + samples + " samples each");
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/array/block/" + BLOCK_ARRAY + "?block=" + BLOCK))
                .header("Accept", "application/octet-stream").GET().build();
        int served = -1, object = -1;
        long[] gateway = new long[samples], raw = new long[samples];
        for (int i = -samples / 2; i < samples; i++) { // the first samples/2 rounds are warm-up
            long t0 = System.nanoTime();
            HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            long t1 = System.nanoTime();
            byte[] chunk = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(BLOCK_OBJECT)).asByteArray();
            long t2 = System.nanoTime();
            if (resp.statusCode() != 200) throw new IllegalStateException("block read: status " + resp.statusCode() + ": " + new String(resp.body()));
            if (served >= 0 && (resp.body().length != served || chunk.length != object)) throw new IllegalStateException("block read: sizes changed");
            served = resp.body().length;
            object = chunk.length;
            if (i < 0) continue;
            gateway[i] = t1 - t0;
            raw[i] = t2 - t1;
        }
        // 250 x 100 float64: the gateway decompressed the chunk (the object is zstd, so smaller).
        if (served != 250 * 100 * 8) throw new IllegalStateException("block read: " + served + " bytes served, expected " + 250 * 100 * 8);
        r.put("aws.block.samples", samples);
        r.put("aws.block.served_bytes", served);
        r.put("aws.block.object_bytes", object);
        r.put("aws.block.gateway_ms", Stats.millis(Stats.median(gateway)));
        r.put("aws.block.raw_ms", Stats.millis(Stats.median(raw)));
        log(String.format(Locale.ROOT, "block: gateway %.2f ms, raw S3 GET %.2f ms (medians)", Stats.millis(Stats.median(gateway)),
                Stats.millis(Stats.median(raw))));
    }

    /** {@code /metadata/a} vs {@code /metadata/a/b/c/d/e/f/g/h}, interleaved, after a warm-up. */
    void depth(Results r, int samples) throws IOException, InterruptedException {
        for (int d = 1; d <= DEEP.depth(); d++)
            catalog.put(Node.container(new NodePath(DEEP.parts().subList(0, d)), Json.object().put("depth", d), List.of()));
        NodePath shallow = new NodePath(DEEP.parts().subList(0, 1));
        log("node lookup: /metadata" + shallow + " vs /metadata" + DEEP + ", " + samples + " samples each");
        HttpRequest one = metadataRequest(shallow), eight = metadataRequest(DEEP);
        long[] d1 = new long[samples], d8 = new long[samples];
        for (int i = -samples / 4; i < samples; i++) {
            long a = time(one), b = time(eight);
            if (i < 0) continue;
            d1[i] = a;
            d8[i] = b;
        }
        r.put("aws.depth.samples", samples);
        r.put("aws.depth.d1_p50_ms", Stats.millis(Stats.median(d1)));
        r.put("aws.depth.d8_p50_ms", Stats.millis(Stats.median(d8)));
        r.put("aws.depth.d1_p99_ms", Stats.millis(Stats.percentile(d1, 99)));
        r.put("aws.depth.d8_p99_ms", Stats.millis(Stats.percentile(d8, 99)));
        log(String.format(Locale.ROOT, "node lookup p50: depth 1 %.2f ms, depth 8 %.2f ms", Stats.millis(Stats.median(d1)), Stats.millis(Stats.median(d8))));
    }

    private HttpRequest metadataRequest(NodePath p) {
        return HttpRequest.newBuilder(URI.create(base + "/api/v1/metadata/" + p.joined())).header("Accept", "application/json").GET().build();
    }

    private long time(HttpRequest req) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        long t = System.nanoTime() - t0;
        if (resp.statusCode() != 200) throw new IllegalStateException(req.uri() + ": status " + resp.statusCode());
        return t;
    }

    /** Bulk-loads {@code n} children, then follows {@code links.next} from the first page to the last, timing each page. */
    void listing(Results r, int n, int limit, boolean walkAll) throws IOException, InterruptedException {
        log("registering " + String.format(Locale.ROOT, "%,d", n) + " children under /" + BIG.joined() + " (BatchWriteItem)");
        long t0 = System.nanoTime();
        new BulkChildren(catalog, dynamo, TABLE).load(BIG, n, 4);
        r.put("aws.list.load_s", (System.nanoTime() - t0) / 1e9);
        r.put("aws.list.children", n);
        log(String.format(Locale.ROOT, "loaded in %.1f s; listing %d per page", (System.nanoTime() - t0) / 1e9, limit));

        String search = base + "/api/v1/search/" + BIG.joined() + "?";
        int total = (n + limit - 1) / limit;
        int ends = Math.min(ENDS, total);
        long walk0 = System.nanoTime();
        // Every page, in order (walkAll); or two walks, each following links.next, taking turns: one from the first page,
        // one from the first of the last ENDS pages (its address made as links.next makes it). Taking turns keeps
        // drift (moto's garbage, the demo's ticker, other work on the machine) out of the comparison; and on moto each
        // page costs seconds at 100,000 children (its index Query sorts the whole table), so walking the middle of the
        // listing too would take many minutes.
        Walk head = new Walk(search + "page[limit]=" + limit + "&fields=", n, 0);
        Walk tail = null;
        if (walkAll || total <= 2 * ends) {
            while (head.next != null) head.step();
        } else {
            long tailOffset = (long) (total - ends) * limit;
            tail = new Walk(search + "page[offset]=" + tailOffset + "&page[limit]=" + limit + "&fields=", n, tailOffset);
            for (int i = 0; i < ends; i++) {
                head.step();
                tail.step();
            }
            if (head.next == null || head.seen != (long) ends * limit) throw new IllegalStateException("listing ended early, at child " + head.seen);
        }
        Walk end = tail != null ? tail : head;
        if (end.next != null || end.seen != n) throw new IllegalStateException("listing ended at child " + end.seen + " of " + n);
        long[] firstPages = head.times(0, ends), lastPages = end.times(end.pages() - ends, end.pages());
        r.put("aws.list.limit", limit);
        r.put("aws.list.pages", total);
        r.put("aws.list.pages_fetched", head.pages() + (tail == null ? 0 : tail.pages()));
        r.put("aws.list.ends", ends);
        r.put("aws.list.walk_s", (System.nanoTime() - walk0) / 1e9);
        r.put("aws.list.first_ms", Stats.millis(Stats.median(firstPages)));
        r.put("aws.list.last_ms", Stats.millis(Stats.median(lastPages)));
        r.put("aws.list.fields_reappended", Boolean.toString(head.reappended || (tail != null && tail.reappended)));
        log(String.format(Locale.ROOT, "listing: %d of %d pages fetched, median first %d %.1f ms, last %d %.1f ms",
                (long) r.num("aws.list.pages_fetched"), total, ends, Stats.millis(Stats.median(firstPages)), ends, Stats.millis(Stats.median(lastPages))));

        // What one page costs in DynamoDB requests near each end: the catalog call behind the route, in this process.
        if (total >= 3) {
            probePage(r, "start", limit, limit);
            probePage(r, "end", (long) (total - 2) * limit, limit);
        }
    }

    /**
     * A walk through the listing by {@code links.next}, from a first address: checks that its pages list children
     * {@code from+1, from+2, ...} in order and count {@code n}, and times each page.
     */
    private final class Walk {
        private final int n;
        private final List<Long> times = new ArrayList<>();
        String next;
        long seen;
        /** Whether links.next dropped {@code fields=} and the walk put it back. */
        boolean reappended;

        Walk(String first, int n, long from) {
            this.next = first;
            this.n = n;
            this.seen = from;
        }

        int pages() { return times.size(); }

        long[] times(int from, int to) { return times.subList(from, to).stream().mapToLong(Long::longValue).toArray(); }

        void step() throws IOException, InterruptedException {
            if (next == null) throw new IllegalStateException("listing: no next page after child " + seen);
            // links.next carries page[offset] and page[limit] only: put fields= back so that every page asks for the
            // same (keys only) as the first.
            if (!next.contains("fields=")) {
                next += (next.contains("?") ? "&" : "?") + "fields=";
                reappended = true;
            }
            HttpRequest req = HttpRequest.newBuilder(URI.create(next)).header("Accept", "application/json").GET().build();
            long t0 = System.nanoTime();
            HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            long t = System.nanoTime() - t0;
            times.add(t);
            if (resp.statusCode() != 200) throw new IllegalStateException(next + ": status " + resp.statusCode() + ": " + new String(resp.body()));
            JsonNode body = Json.parse(resp.body());
            if (body.path("meta").path("count").asLong() != n) throw new IllegalStateException("listing: count " + body.path("meta").path("count"));
            for (JsonNode child : body.path("data")) {
                String want = BulkChildren.key(++seen);
                if (!want.equals(child.path("id").asText())) throw new IllegalStateException("listing: child " + seen + " is " + child.path("id") + ", expected " + want);
            }
            JsonNode link = body.path("links").path("next");
            next = link.isNull() || link.isMissingNode() ? null : link.asText();
            if (next != null && next.startsWith("/")) next = base + next;
            if (times.size() <= ENDS || times.size() % 25 == 0)
                log(String.format(Locale.ROOT, "page to child %d: %.1f ms", seen, Stats.millis(t)));
        }
    }

    private void probePage(Results r, String name, long offset, int limit) {
        calls.reset();
        long t0 = System.nanoTime();
        List<Node> got = probe.children(BIG, List.of(), offset, limit);
        double ms = Stats.millis(System.nanoTime() - t0);
        if (got.size() != limit || !got.get(0).path().key().equals(BulkChildren.key(offset + 1)))
            throw new IllegalStateException("probe at offset " + offset + ": wrong page");
        String k = "aws.list.probe_" + name + ".";
        r.put(k + "offset", offset);
        r.put(k + "calls", calls.toString());
        r.put(k + "requests", calls.total());
        r.put(k + "ms", ms);
        r.put(k + "query_ms", calls.millis("Query"));
        log(String.format(Locale.ROOT, "children(offset %d, %d): %s; %.1f ms, of which Query %.1f ms", offset, limit, calls, ms, calls.millis("Query")));
    }

    static void log(String s) {
        System.err.println("[aws] " + s);
    }
}
