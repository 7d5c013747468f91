package dev.tiledgateway.local;

import dev.tiledgateway.api.ApiHandler;
import dev.tiledgateway.aws.AwsBackendFactory;
import dev.tiledgateway.aws.AwsClients;
import java.net.URI;
import dev.tiledgateway.indexer.Backfill;
import dev.tiledgateway.indexer.DeadLetters;
import dev.tiledgateway.indexer.Indexer;
import dev.tiledgateway.indexer.IndexerHandler;
import dev.tiledgateway.indexer.IndexerSettings;
import dev.tiledgateway.core.backend.Backend;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.format.ArrayReaders;
import dev.tiledgateway.core.format.TableReaders;
import dev.tiledgateway.core.route.Gateway;
import dev.tiledgateway.core.route.GatewayConfig;
import dev.tiledgateway.core.route.Router;
import dev.tiledgateway.core.serialize.SerializerRegistry;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.embedded.catalog.SqliteCatalog;
import dev.tiledgateway.embedded.store.FileBlobStore;
import dev.tiledgateway.local.demo.DemoTree;
import dev.tiledgateway.local.demo.LazyChunkStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The {@code tiled-gateway} command: {@code serve demo} and {@code serve directory PATH}. */
public final class Main {

    private static final String USAGE = """
            usage: tiled-gateway serve demo [--host HOST] [--port PORT] [--data-dir DIR]
                   tiled-gateway serve directory PATH [--host HOST] [--port PORT]
                   tiled-gateway register PATH
                   tiled-gateway register PREFIX --bucket B --table T [--s3-endpoint URL --dynamodb-endpoint URL] [--create-resources]

              serve demo        the demo tree of `tiled serve demo`, as Zarr in an embedded object store
                                (cached in DIR, default ~/.cache/tiled-gateway/demo) and a SQLite catalog
              serve directory   every Zarr array/group, Parquet file or folder of parts, CSV and TIFF under PATH;
                                folders become containers; files copied in later are registered as they appear
              register          backfill: register what already lies in a folder or under a bucket prefix, with a
                                progress bar and a summary of what was registered, skipped and why
            options:
              --host HOST              address to listen on (default 127.0.0.1)
              --port PORT              port (default 8000)
              --max-inline-bytes N     largest response sent inline; larger ones redirect (default 4500000)
              --trusted-proxy ADDR     a proxy in front (TLS terminator) whose X-Forwarded-Host/-Proto/-For are
                                       believed; repeatable; none by default  [TILED_GATEWAY_TRUSTED_PROXIES=a,b]
              --max-response-bytes N   largest response served at all, in the bytes of the requested format
                                       (default 300000000, Tiled's limit); larger requests are refused with 400
              --results-max-bytes N    disk space materialised results may take before the oldest are removed
                                       (default 2147483648); they are removed a day after they were written anyway
            serving from S3 and DynamoDB instead (serve demo; or the TILED_GATEWAY_* environment variables):
              --bucket NAME            S3 bucket (default tiled-gateway-demo)   [TILED_GATEWAY_BUCKET]
              --table NAME             DynamoDB table (default tiled-gateway-catalog)  [TILED_GATEWAY_TABLE]
              --s3-endpoint URL        e.g. LocalStack or moto; AWS itself when absent  [TILED_GATEWAY_S3_ENDPOINT]
              --dynamodb-endpoint URL  likewise for DynamoDB  [TILED_GATEWAY_DYNAMODB_ENDPOINT]
              --create-resources       create the bucket and the table if missing  [TILED_GATEWAY_CREATE_RESOURCES=true]
              --index-uploads          create a queue, point the bucket's notifications at it and register what is
                                       uploaded, as the indexer function does on AWS  [TILED_GATEWAY_INDEX_UPLOADS=true]
            """;

    private Main() {}

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("tiled-gateway: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (o.help) {
            System.out.print(USAGE);
            return;
        }
        if (o.mode.equals("register")) {
            System.exit(register(o));
            return;
        }
        Running r = o.mode.equals("demo") ? serveDemo(o) : serveDirectory(o);
        Runtime.getRuntime().addShutdownHook(new Thread(r.server::close));
        System.out.println(r.banner);
        System.out.flush();
        Thread.currentThread().join();
    }

    /** A started server, the line that tells the user where it is, and the store its large results go to. */
    public record Running(LocalServer server, String banner, BlobStore results) {}

    static final class Options {
        String mode;
        Path directory;
        String host = "127.0.0.1";
        int port = 8000;
        Path dataDir;
        long maxInline = GatewayConfig.defaults().maxInlineBytes();
        long maxResponse = GatewayConfig.defaults().responseByteLimit();
        int maxMaterialising = GatewayConfig.DEFAULT_MAX_MATERIALISING;
        java.time.Duration materialiseWait = GatewayConfig.DEFAULT_MATERIALISE_WAIT;
        ResultSweeper.Retention retention = ResultSweeper.Retention.defaults();
        boolean help;
        String prefix;
        String s3Endpoint = env(AwsBackendFactory.S3_ENDPOINT);
        String dynamoEndpoint = env(AwsBackendFactory.DYNAMODB_ENDPOINT);
        String bucket = env(AwsBackendFactory.BUCKET);
        String table = env(AwsBackendFactory.TABLE);
        boolean createResources = "true".equalsIgnoreCase(env(AwsBackendFactory.CREATE_RESOURCES));
        boolean indexUploads = "true".equalsIgnoreCase(env("TILED_GATEWAY_INDEX_UPLOADS"));
        Set<String> trustedProxies = new HashSet<>(ApiHandler.forwardedHosts(env("TILED_GATEWAY_TRUSTED_PROXIES")));

        /** Serving from S3 and DynamoDB rather than the embedded stores. */
        boolean aws() { return s3Endpoint != null || dynamoEndpoint != null || bucket != null || table != null; }

        private static String env(String name) {
            String v = System.getenv(name);
            return v == null || v.isBlank() ? null : v;
        }

        static Options parse(String[] args) {
            Options o = new Options();
            List<String> pos = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-h", "--help", "help" -> o.help = true;
                    case "--host" -> o.host = value(args, ++i, a);
                    case "--port" -> o.port = parseInt(value(args, ++i, a), a);
                    case "--data-dir" -> o.dataDir = Path.of(value(args, ++i, a));
                    case "--max-inline-bytes" -> o.maxInline = parseInt(value(args, ++i, a), a);
                    case "--max-response-bytes" -> o.maxResponse = parseLong(value(args, ++i, a), a);
                    case "--results-max-bytes" -> o.retention = new ResultSweeper.Retention(o.retention.lifetime(), parseLong(value(args, ++i, a), a));
                    case "--s3-endpoint" -> o.s3Endpoint = value(args, ++i, a);
                    case "--dynamodb-endpoint" -> o.dynamoEndpoint = value(args, ++i, a);
                    case "--bucket" -> o.bucket = value(args, ++i, a);
                    case "--table" -> o.table = value(args, ++i, a);
                    case "--create-resources" -> o.createResources = true;
                    case "--index-uploads" -> o.indexUploads = true;
                    case "--trusted-proxy" -> o.trustedProxies.add(value(args, ++i, a));
                    default -> {
                        if (a.startsWith("--")) throw new IllegalArgumentException("unknown option " + a);
                        pos.add(a);
                    }
                }
            }
            if (o.help) return o;
            if (pos.size() == 2 && pos.get(0).equals("register")) {
                o.mode = "register";
                o.prefix = pos.get(1);
                return o;
            }
            if (pos.size() < 2 || !pos.get(0).equals("serve")) throw new IllegalArgumentException("expected 'serve demo', 'serve directory PATH' or 'register PATH'");
            o.mode = pos.get(1);
            if (o.mode.equals("directory")) {
                if (pos.size() != 3) throw new IllegalArgumentException("serve directory needs exactly one PATH");
                o.directory = Path.of(pos.get(2)).toAbsolutePath().normalize();
                if (!Files.isDirectory(o.directory)) throw new IllegalArgumentException("not a directory: " + o.directory);
            } else if (!o.mode.equals("demo") || pos.size() != 2) {
                throw new IllegalArgumentException("expected 'serve demo' or 'serve directory PATH'");
            }
            return o;
        }

        private static String value(String[] args, int i, String name) {
            if (i >= args.length) throw new IllegalArgumentException(name + " needs a value");
            return args[i];
        }

        private static long parseLong(String v, String name) {
            try {
                long n = Long.parseLong(v);
                if (n < 0) throw new IllegalArgumentException(name + " must not be negative");
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be an integer");
            }
        }

        private static int parseInt(String v, String name) {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be an integer");
            }
        }
    }

    static Path cacheHome() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("tiled-gateway");
    }

    /** Starts the demo tree; builds it into the data folder on first use and reuses it afterwards. */
    public static Running serveDemo(String host, int port, Path dataDir, long maxInline) throws IOException {
        Options o = new Options();
        o.mode = "demo";
        o.host = host;
        o.port = port;
        o.dataDir = dataDir;
        o.maxInline = maxInline;
        return serveDemo(o);
    }

    /** Starts the demo tree from an S3 bucket and a DynamoDB table (emulated when endpoints are given). */
    public static Running serveDemoOnAws(String host, int port, String s3Endpoint, String dynamoEndpoint, String bucket, String table,
                                         boolean createResources, long maxInline) throws IOException {
        return serveDemoOnAws(host, port, s3Endpoint, dynamoEndpoint, bucket, table, createResources, false, maxInline);
    }

    /** As above; {@code indexUploads} also registers what is uploaded to the bucket, through its notifications and a queue. */
    public static Running serveDemoOnAws(String host, int port, String s3Endpoint, String dynamoEndpoint, String bucket, String table,
                                         boolean createResources, boolean indexUploads, long maxInline) throws IOException {
        Options o = new Options();
        o.mode = "demo";
        o.host = host;
        o.port = port;
        o.s3Endpoint = s3Endpoint;
        o.dynamoEndpoint = dynamoEndpoint;
        o.bucket = bucket;
        o.table = table;
        o.createResources = createResources;
        o.indexUploads = indexUploads;
        o.maxInline = maxInline;
        return serveDemo(o);
    }

    private static final String DEMO_MARKER = DemoTree.PREFIX + "VERSION";

    static Running serveDemo(Options o) throws IOException {
        Catalog catalog;
        BlobStore base;
        FileBlobStore files = null;
        BlobUrls urls = null;
        ResultLeases leases = new ResultLeases(Clock.systemUTC());
        String where;
        String version = "demo tree version " + DemoTree.VERSION + "\n";
        boolean current;
        if (o.aws()) {
            String bucket = o.bucket != null ? o.bucket : "tiled-gateway-demo";
            String table = o.table != null ? o.table : "tiled-gateway-catalog";
            Backend b = AwsBackendFactory.create(o.s3Endpoint, o.dynamoEndpoint, bucket, table, o.createResources);
            catalog = b.catalog();
            base = b.store();
            if (o.indexUploads) {
                // Uploads to the bucket are registered as on AWS: bucket notifications -> queue -> the indexer's handler.
                URI s3 = o.s3Endpoint == null ? null : URI.create(o.s3Endpoint);
                AwsClients clients = AwsClients.fromEnv(System.getenv(), s3, o.dynamoEndpoint == null ? null : URI.create(o.dynamoEndpoint));
                List<String> ignored = new java.util.ArrayList<>(IndexerSettings.DEFAULT_IGNORED);
                ignored.add(DemoTree.PREFIX); // the demo registers its own tree
                IndexerSettings settings = new IndexerSettings(null, "", dev.tiledgateway.core.path.NodePath.ROOT, ignored,
                        IndexerSettings.DEFAULT_MAX_CSV_BYTES);
                IndexerHandler indexer = new IndexerHandler(IndexerHandler.indexer(b, settings), DeadLetters.none(),
                        line -> System.err.println("tiled-gateway: " + line));
                QueueFeeder.wire(clients, s3, clients.s3(), bucket, bucket + "-uploads", indexer);
            }
            current = base.get(DEMO_MARKER).map(v -> new String(v, java.nio.charset.StandardCharsets.UTF_8).equals(version)).orElse(false);
            where = "s3://" + bucket + " and DynamoDB table " + table;
        } else {
            Path dir = o.dataDir != null ? o.dataDir : cacheHome().resolve("demo");
            Files.createDirectories(dir);
            urls = new BlobUrls();
            files = new FileBlobStore(dir.resolve("objects"), leasing(urls, leases));
            base = files;
            current = files.get(DEMO_MARKER).map(v -> new String(v, java.nio.charset.StandardCharsets.UTF_8).equals(version)).orElse(false);
            if (!current) for (String f : List.of("catalog.db", "catalog.db-wal", "catalog.db-shm")) Files.deleteIfExists(dir.resolve(f));
            catalog = new SqliteCatalog(dir.resolve("catalog.db"));
            where = dir.toString();
        }
        LazyChunkStore store = new LazyChunkStore(base);
        DemoTree.registerLazyChunks(store);
        ZarrRegistrar zarr = new ZarrRegistrar(catalog, store);
        DemoTree.ArrayRegistrar register = (path, prefix, specs) -> zarr.array(path, prefix, specs);
        if (!current) {
            DemoTree.install(catalog, store, register);
            store.put(DEMO_MARKER, version.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-dynamic");
            t.setDaemon(true);
            return t;
        });
        int[] n = {1};
        ticker.scheduleAtFixedRate(() -> {
            try {
                DemoTree.updateDynamic(store, register, ++n[0]);
            } catch (IOException | RuntimeException e) {
                System.err.println("tiled-gateway: could not update the dynamic array: " + e.getMessage());
            }
        }, 3, 3, TimeUnit.SECONDS);
        // On a bucket, its lifecycle rule expires results; in a folder, the local server does.
        BlobStore results = files == null ? store : retained(o, files, leases);
        LocalServer server = start(o, catalog, store, results, files, urls, leases);
        return new Running(server, "tiled-gateway: serving the demo tree at http://" + o.host + ":" + server.port() + "/api/v1/ (data in " + where + ")",
                files == null ? store : files);
    }

    /**
     * Backfill of a bucket prefix into the DynamoDB catalog (with --bucket/--table), or of a folder into the catalog
     * {@code serve directory} keeps for it. Returns the exit status: 0, or 1 when some object could not be read.
     */
    static int register(Options o) throws IOException {
        Backend backend;
        String prefix;
        if (o.aws()) {
            backend = AwsBackendFactory.create(o.s3Endpoint, o.dynamoEndpoint, o.bucket, o.table, o.createResources);
            prefix = o.prefix.equals("/") ? "" : o.prefix;
        } else {
            Path dir = Path.of(o.prefix).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) throw new IllegalArgumentException("not a directory: " + dir + " (for a bucket prefix, give --bucket and --table)");
            Path state = cacheHome().resolve("directory-" + shortHash(dir.toString()));
            Files.createDirectories(state);
            backend = new Backend(new SqliteCatalog(state.resolve("catalog.db")), new FileBlobStore(dir));
            prefix = "";
        }
        Indexer indexer = IndexerHandler.indexer(backend, IndexerSettings.defaults());
        Backfill.Summary summary = new Backfill(indexer, backend.store()).run(prefix, Registering.progressBar(System.err));
        System.out.println(summary.describe());
        return summary.count(dev.tiledgateway.indexer.apply.Outcome.Action.UNREADABLE) > 0 ? 1 : 0;
    }

    /** Serves every Zarr array and group under {@code dir}. */
    public static Running serveDirectory(String host, int port, Path dir, long maxInline) throws IOException {
        return serveDirectory(host, port, dir, maxInline, Set.of());
    }

    /** The same, believing X-Forwarded-* from {@code trustedProxies} (addresses). */
    public static Running serveDirectory(String host, int port, Path dir, long maxInline, Set<String> trustedProxies) throws IOException {
        Options o = new Options();
        o.trustedProxies.addAll(trustedProxies);
        o.mode = "directory";
        o.host = host;
        o.port = port;
        o.directory = dir.toAbsolutePath().normalize();
        o.maxInline = maxInline;
        return serveDirectory(o);
    }

    static Running serveDirectory(Options o) throws IOException {
        Path state = cacheHome().resolve("directory-" + shortHash(o.directory.toString()));
        Files.createDirectories(state);
        for (String f : List.of("catalog.db", "catalog.db-wal", "catalog.db-shm")) Files.deleteIfExists(state.resolve(f));
        BlobUrls urls = new BlobUrls();
        ResultLeases leases = new ResultLeases(Clock.systemUTC());
        FileBlobStore data = new FileBlobStore(o.directory, urls);
        FileBlobStore results = new FileBlobStore(state.resolve("results"), leasing(urls, leases));
        SqliteCatalog catalog = new SqliteCatalog(state.resolve("catalog.db"));
        // The same indexer that registers uploads to a bucket: a backfill of what is there, then the folder's changes.
        Indexer indexer = IndexerHandler.indexer(new Backend(catalog, data), IndexerSettings.defaults());
        Backfill.Summary summary = new Backfill(indexer, data).run("", Registering.progressBar(System.err));
        System.err.println(summary.describe());
        DirectoryWatcher watcher = new DirectoryWatcher(o.directory,
                new IndexerHandler(indexer, DeadLetters.none(), line -> System.err.println("tiled-gateway: " + line)), "local");
        watcher.start();
        LocalServer server = start(o, catalog, data, retained(o, results, leases), results, urls, leases);
        long n = catalog.countChildren(dev.tiledgateway.core.path.NodePath.ROOT);
        return new Running(server, "tiled-gateway: serving " + o.directory + " (" + n + " top-level nodes; new files are registered as they appear) at http://"
                + o.host + ":" + server.port() + "/api/v1/", results);
    }

    private static String resultPrefix() { return GatewayConfig.defaults().resultPrefix(); }

    /** The folder store's URL signer, noting each URL of a result it hands out, so the result is kept until it is fetched. */
    private static FileBlobStore.UrlSigner leasing(BlobUrls urls, ResultLeases leases) {
        return (key, ttl) -> {
            if (key.startsWith(resultPrefix())) leases.handedOut(key, ttl);
            return urls.sign(key, ttl);
        };
    }

    /**
     * The results of a folder store, expired after a day and capped in size as {@code o} says: swept now (what
     * earlier runs left), after each result stored, and every minute.
     */
    private static BlobStore retained(Options o, FileBlobStore files, ResultLeases leases) throws IOException {
        ResultSweeper sweeper = new ResultSweeper(files.root().resolve(resultPrefix().substring(0, resultPrefix().length() - 1)), resultPrefix(),
                o.retention, leases, Clock.systemUTC());
        ResultSweeper.Swept first = sweeper.sweep();
        if (first.expired() + first.evicted() > 0)
            System.err.println("tiled-gateway: removed " + first.expired() + " expired and " + first.evicted() + " materialised results over the cap of "
                    + o.retention.maxBytes() + " bytes");
        ScheduledExecutorService sweeps = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "result-sweeper");
            t.setDaemon(true);
            return t;
        });
        sweeps.scheduleWithFixedDelay(() -> {
            try {
                sweeper.sweep();
            } catch (IOException | RuntimeException e) {
                System.err.println("tiled-gateway: could not sweep materialised results: " + e.getMessage());
            }
        }, 1, 1, TimeUnit.MINUTES);
        return new SweptResults(files, resultPrefix(), sweeper);
    }

    /**
     * @param results    where oversized results are materialised
     * @param served     the embedded store whose presigned URLs this server answers at /_blob/ (null for S3)
     */
    private static LocalServer start(Options o, Catalog catalog, BlobStore data, BlobStore results, FileBlobStore served, BlobUrls urls,
                                     ResultLeases leases) throws IOException {
        GatewayConfig config = GatewayConfig.defaults().withMaxInlineBytes(o.maxInline).withResponseByteLimit(o.maxResponse)
                .withMaterialising(o.maxMaterialising, o.materialiseWait);
        Router router = Gateway.router(catalog, data, results, config, ArrayReaders.discover(), TableReaders.discover(), SerializerRegistry.discover(),
                Executors.newVirtualThreadPerTaskExecutor());
        LocalServer server = new LocalServer(o.host, o.port, new ApiHandler(router), served, urls, leases, o.trustedProxies);
        server.start();
        return server;
    }

    private static String shortHash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
