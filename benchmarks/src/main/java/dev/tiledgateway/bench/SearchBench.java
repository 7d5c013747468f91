package dev.tiledgateway.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.aws.catalog.CatalogTable;
import dev.tiledgateway.aws.catalog.DynamoDbCatalog;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.query.Eq;
import dev.tiledgateway.core.query.FullText;
import dev.tiledgateway.core.query.Query;
import dev.tiledgateway.core.query.SearchPage;
import dev.tiledgateway.embedded.catalog.SqliteCatalog;
import dev.tiledgateway.testkit.MotoServer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Selective search against listing one page, in containers of different sizes, on the DynamoDB catalog (on moto) and
 * on the SQLite catalog: {@code search(container, [eq color teal], [], 0, 100)} and {@code search(container, [fulltext
 * zanzibar], [], 0, 100)}, each matching 100 children, against {@code children(container, [], 0, 100)}.
 *
 * <p>Every size is its own container in one table (one SQLite file): moto walks its whole table on every Query, so
 * with both containers in one table the emulator's share of a request is the same for both sizes, and what differs
 * between them is the catalog's own work. Child {@code seq} of a container of {@code n} has metadata
 * {@code {"color": …, "note": …}}: one child in every {@code n / 100} is teal, another mentions zanzibar, the others
 * have one of nine other colours and a note without that word ({@link #metadata}). On DynamoDB the children are
 * bulk-loaded in the catalog's item layout, index items included ({@link BulkChildren}); on SQLite they are written
 * through {@code put}, one transaction each (the catalog has no bulk path).
 *
 * <p>The calls are timed in turns (every size and query in a rotating order, so drift is shared), after warm-up
 * rounds; every result is checked against the children expected. On DynamoDB each call's requests are counted by
 * operation ({@link SdkCalls}), with the items Query and BatchGetItem returned. Figures go to a properties file for
 * {@link Report}; a backend that fails leaves its figures out.
 *
 * <pre>SearchBench --out FILE --data-dir DIR [--sizes 10000,100000] [--samples 30] [--sqlite-samples 300] [--only dynamo|sqlite]</pre>
 * {@code DIR} (created if missing) receives the SQLite catalog {@code search.db}; it must not hold one already.
 */
public final class SearchBench {

    /** Children each search matches, and the page size of every call. */
    static final int MATCHES = 100;
    static final String TABLE = "bench-search";
    static final String TEAL = "teal";
    static final String RARE = "zanzibar";
    private static final String[] COLORS = {"red", "orange", "yellow", "green", "blue", "indigo", "violet", "black", "white"};

    /** The three calls, in the order the report shows them. */
    enum Op {
        EQ("eq"), FULLTEXT("fulltext"), LISTING("listing");

        final String key;

        Op(String key) { this.key = key; }
    }

    /**
     * Run in moto before it serves: its Query starts from {@code Table.all_items()}, which sorts the whole table (by
     * DynamoType comparisons in Python) on every call, about 1.4 s at 70,000 items and 15 s or more at 700,000; inside
     * a Query the same items come from an unsorted walk instead. Answers are unchanged: Query keeps the items of the
     * partition it asks for and sorts them itself (by sort key, or by the index's keys). Every Query still walks the
     * whole table.
     */
    static final String MOTO_PRELUDE = String.join("\n",
            "from moto.dynamodb.models.table import Table",
            "_query = Table.query",
            "def _query_unsorted(self, *args, **kwargs):",
            "    def walk():",
            "        if not self.range_key_attr:",
            "            return list(self.items.values())",
            "        return [item for part in self.items.values() for item in part.values()]",
            "    self.all_items = walk",
            "    try:",
            "        return _query(self, *args, **kwargs)",
            "    finally:",
            "        del self.all_items",
            "Table.query = _query_unsorted",
            "");

    static final Query EQ = new Eq("color", Json.mapper().getNodeFactory().textNode(TEAL));
    static final Query FULLTEXT = new FullText(RARE);

    public static void main(String[] args) throws Exception {
        Path out = null, dataDir = null;
        int[] sizes = {10_000, 100_000};
        int samples = 30, sqliteSamples = 300;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--sqlite-samples" -> sqliteSamples = Integer.parseInt(args[++i]);
                case "--only" -> only = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (out == null || dataDir == null)
            throw new IllegalArgumentException("usage: SearchBench --out FILE --data-dir DIR [--sizes N,N] [--samples N] [--sqlite-samples N] [--only dynamo|sqlite]");
        for (int n : sizes)
            if (n % MATCHES != 0 || n < 3 * MATCHES) throw new IllegalArgumentException("sizes must be multiples of " + MATCHES + ", at least " + 3 * MATCHES);
        if (samples < 1 || sqliteSamples < 1) throw new IllegalArgumentException("samples must be at least 1");

        Results r = new Results();
        r.put("search.load_start", Load.now());
        r.put("search.matches", MATCHES);
        r.put("search.sizes", String.join(",", Arrays.stream(sizes).mapToObj(Integer::toString).toList()));
        int failures = 0;
        if (only == null || only.equals("dynamo")) {
            try {
                dynamo(r, sizes, samples);
            } catch (Exception | AssertionError e) {
                failures++;
                log("DynamoDB step failed: " + e);
                e.printStackTrace();
            }
            r.save(out);
        }
        if (only == null || only.equals("sqlite")) {
            try {
                sqlite(r, dataDir, sizes, sqliteSamples);
            } catch (Exception | AssertionError e) {
                failures++;
                log("SQLite step failed: " + e);
                e.printStackTrace();
            }
        }
        r.put("search.load_end", Load.now());
        r.save(out);
        log(failures == 0 ? "done" : "done, " + failures + " step(s) failed");
        System.exit(failures == 0 ? 0 : 1);
    }

    static NodePath container(int n) { return NodePath.of("wide" + n); }

    /**
     * Child {@code seq} (1..n) of the container of {@code n}: in every run of {@code n / 100} children, the second is
     * teal and the third mentions {@value #RARE}; the others have another colour and a note without that word.
     */
    static ObjectNode metadata(long seq, int n) {
        long r = (seq - 1) % (n / MATCHES);
        return Json.object()
                .put("color", r == 1 ? TEAL : COLORS[(int) (seq % COLORS.length)])
                .put("note", r == 2 ? RARE + " harbour" : "harbour");
    }

    /** The keys each call must return, in the default (creation) order. */
    static List<String> expected(Op op, int n) {
        List<String> keys = new ArrayList<>(MATCHES);
        int step = n / MATCHES;
        for (long i = 0; i < MATCHES; i++) {
            long seq = switch (op) {
                case EQ -> i * step + 2;
                case FULLTEXT -> i * step + 3;
                case LISTING -> i + 1;
            };
            keys.add(BulkChildren.key(seq));
        }
        return keys;
    }

    private static void dynamo(Results r, int[] sizes, int samples) throws Exception {
        try (MotoServer moto = MotoServer.start(MOTO_PRELUDE)) {
            AwsClients clients = AwsClients.emulated(moto.endpoint(), moto.endpoint());
            SdkCalls calls = new SdkCalls();
            try (DynamoDbClient dynamo = clients.dynamo(); DynamoDbClient counted = clients.dynamo(calls)) {
                CatalogTable.createIfMissing(dynamo, TABLE);
                // Documents of a few dozen bytes: nothing is spilled, so no store is needed.
                DynamoDbCatalog catalog = new DynamoDbCatalog(dynamo, TABLE, null);
                for (int n : sizes) {
                    log(String.format(Locale.ROOT, "DynamoDB on moto: bulk-loading %,d children under /%s (BatchWriteItem, index items included)", n,
                            container(n).joined()));
                    long t0 = System.nanoTime();
                    BulkChildren.Loaded loaded = new BulkChildren(catalog, dynamo, TABLE).load(container(n), n, 4, seq -> metadata(seq, n));
                    double s = (System.nanoTime() - t0) / 1e9;
                    String k = "search.dynamo." + n + ".";
                    r.put(k + "load_s", s);
                    r.put(k + "items", loaded.items());
                    log(String.format(Locale.ROOT, "loaded in %.1f s: %,d items in %,d BatchWriteItem requests; the first %d children through put, "
                            + "their items equal to the bulk ones", s, loaded.items(), loaded.requests(), BulkChildren.DIRECT));
                }
                r.put("search.dynamo.direct", BulkChildren.DIRECT);
                measure(r, "dynamo", new DynamoDbCatalog(counted, TABLE, null), calls, sizes, Math.max(5, samples / 3), samples);
            }
        }
    }

    private static void sqlite(Results r, Path dir, int[] sizes, int samples) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("search.db");
        if (Files.exists(file)) throw new IllegalStateException(file + " exists already; give an empty --data-dir");
        try (SqliteCatalog catalog = new SqliteCatalog(file)) {
            for (int n : sizes) {
                NodePath c = container(n);
                log(String.format(Locale.ROOT, "SQLite: writing %,d children under /%s through put, one transaction each", n, c.joined()));
                long t0 = System.nanoTime();
                catalog.put(Node.container(c, Json.object(), List.of()));
                for (long seq = 1; seq <= n; seq++) {
                    catalog.put(Node.container(c.child(BulkChildren.key(seq)), metadata(seq, n), List.of()));
                    if (seq % 20_000 == 0) log(String.format(Locale.ROOT, "… %,d of %,d children", seq, n));
                }
                double s = (System.nanoTime() - t0) / 1e9;
                if (catalog.countChildren(c) != n) throw new IllegalStateException("SQLite: " + catalog.countChildren(c) + " children, expected " + n);
                r.put("search.sqlite." + n + ".load_s", s);
                log(String.format(Locale.ROOT, "written in %.1f s (%,.0f puts/s)", s, n / s));
            }
            r.put("search.sqlite.db_bytes", Files.size(file));
            measure(r, "sqlite", catalog, null, sizes, Math.max(50, samples / 5), samples);
        }
    }

    /** One timed call: a size and a query. */
    private record Case(int n, Op op, List<String> expected) {

        /** Runs the call and checks its page (and count) against the expected children. */
        void run(Catalog catalog) {
            NodePath c = container(n);
            List<Node> nodes;
            long count;
            switch (op) {
                case LISTING -> {
                    nodes = catalog.children(c, List.of(), 0, MATCHES);
                    count = MATCHES;
                }
                default -> {
                    SearchPage page = catalog.search(c, List.of(op == Op.EQ ? EQ : FULLTEXT), List.of(), 0, MATCHES);
                    nodes = page.nodes();
                    count = page.count();
                }
            }
            List<String> keys = nodes.stream().map(node -> node.path().key()).toList();
            if (count != MATCHES || !keys.equals(expected))
                throw new IllegalStateException(op.key + " among " + n + ": count " + count + ", keys " + keys + ", expected " + expected);
        }
    }

    /**
     * Times every (size, call) in turns after {@code warmup} rounds (which check every result too), {@code samples}
     * rounds; the order of the calls rotates from one round to the next.
     */
    private static void measure(Results r, String backend, Catalog catalog, SdkCalls calls, int[] sizes, int warmup, int samples) {
        List<Case> cases = new ArrayList<>();
        for (int n : sizes) for (Op op : Op.values()) cases.add(new Case(n, op, expected(op, n)));
        int m = cases.size();
        long[][] times = new long[m][samples];
        long[][] sdk = new long[m][samples];
        String[] timings = new String[m];
        List<Set<String>> patterns = new ArrayList<>();
        long[] requests = new long[m], entries = new long[m], fetched = new long[m];
        for (int i = 0; i < m; i++) patterns.add(new LinkedHashSet<>());
        log(String.format(Locale.ROOT, "%s: %d warm-up and %d timed rounds of %d calls, in turns", backend, warmup, samples, m));
        long w0 = System.nanoTime();
        for (int round = -warmup; round < samples; round++) {
            for (int j = 0; j < m; j++) {
                int i = Math.floorMod(j + round, m);
                Case c = cases.get(i);
                if (calls != null) calls.reset();
                long t0 = System.nanoTime();
                c.run(catalog);
                long t = System.nanoTime() - t0;
                if (round < 0) continue;
                times[i][round] = t;
                if (calls != null) {
                    sdk[i][round] = (long) (calls.millis() * 1e6);
                    patterns.get(i).add(calls.toString());
                    if (round == samples / 2) timings[i] = calls.timings(); // one call's split by operation, from the middle of the run
                    requests[i] = Math.max(requests[i], calls.total());
                    entries[i] = Math.max(entries[i], calls.items("Query"));
                    fetched[i] = Math.max(fetched[i], calls.items("BatchGetItem"));
                }
            }
            if (round == -1) log(String.format(Locale.ROOT, "%s: warm-up done in %.1f s, every result as expected", backend, (System.nanoTime() - w0) / 1e9));
        }
        r.put("search." + backend + ".samples", samples);
        r.put("search." + backend + ".warmup", warmup);
        for (int i = 0; i < m; i++) {
            Case c = cases.get(i);
            String k = "search." + backend + "." + c.n() + "." + c.op().key + ".";
            r.put(k + "ms", Stats.millis(Stats.median(times[i])));
            r.put(k + "p90_ms", Stats.millis(Stats.percentile(times[i], 90)));
            if (calls != null) {
                r.put(k + "calls", String.join(" | ", patterns.get(i)));
                r.put(k + "requests", requests[i]);
                r.put(k + "entries", entries[i]);
                r.put(k + "fetched", fetched[i]);
                r.put(k + "sdk_ms", Stats.millis(Stats.median(sdk[i])));
                r.put(k + "timings", timings[i]);
            }
            log(String.format(Locale.ROOT, "%s %,d %-8s median %8.2f ms, p90 %8.2f ms%s", backend, c.n(), c.op().key, Stats.millis(Stats.median(times[i])),
                    Stats.millis(Stats.percentile(times[i], 90)), calls == null ? "" : String.format(Locale.ROOT, "; %s (Query entries %d, "
                            + "BatchGetItem items %d); in SDK calls %.2f ms (one call: %s)", String.join(" | ", patterns.get(i)), entries[i], fetched[i],
                            Stats.millis(Stats.median(sdk[i])), timings[i])));
        }
    }

    static void log(String s) {
        System.err.println("[search] " + s);
    }
}
