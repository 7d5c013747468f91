package dev.tiledgateway.local;

import dev.tiledgateway.authorizer.AuthorizerHandler;
import dev.tiledgateway.aws.catalog.DynamoDbApiKeyStore;
import dev.tiledgateway.core.auth.Access;
import dev.tiledgateway.core.auth.ApiKeySecrets;
import dev.tiledgateway.core.auth.ApiKeyStore;
import dev.tiledgateway.core.auth.Authenticator;
import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.embedded.catalog.SqliteApiKeyStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import dev.tiledgateway.api.ApiHandler;
import dev.tiledgateway.core.observe.RequestLog;
import dev.tiledgateway.core.backend.Backend;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.format.ArrayReaders;
import dev.tiledgateway.core.format.TableReaders;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.query.QueryRegistry;
import dev.tiledgateway.core.route.Gateway;
import dev.tiledgateway.core.route.GatewayConfig;
import dev.tiledgateway.core.route.Router;
import dev.tiledgateway.core.serialize.SerializerRegistry;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.write.ManagedStore;
import dev.tiledgateway.embedded.catalog.SqliteCatalog;
import dev.tiledgateway.embedded.store.FileBlobStore;
import dev.tiledgateway.indexer.Backfill;
import dev.tiledgateway.indexer.DeadLetters;
import dev.tiledgateway.indexer.Indexer;
import dev.tiledgateway.indexer.IndexerHandler;
import dev.tiledgateway.indexer.IndexerSettings;
import dev.tiledgateway.local.Main.Running;
import dev.tiledgateway.local.demo.DemoTree;
import dev.tiledgateway.local.demo.LazyChunkStore;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The serve commands: the demo tree, a folder, a bucket prefix. Each first takes what it must hold alone (the state
 * lock of a folder's catalog or of the demo's data) and checks that its port can be bound, so a second server or a
 * port in use is refused at once, before anything is touched; the server starts answering once its catalog is up to
 * date (the demo installed, what is there registered).
 */
final class Serve {

    private Serve() {}

    private static final String DEMO_MARKER = DemoTree.PREFIX + "VERSION";

    /**
     * What a folder's state folder holds, and its format: a catalog written by another format is rebuilt (with the
     * nodes registered through the API lost, which the message says). Raise it when the catalog's schema or the
     * identity of its nodes changes.
     */
    static final int DIRECTORY_STATE_VERSION = 1;

    static Running demo(Options o, PrintStream err) throws IOException {
        List<AutoCloseable> held = new ArrayList<>();
        try {
            return demo(o, err, held);
        } catch (IOException | RuntimeException e) {
            closeAll(held);
            throw e;
        }
    }

    private static Running demo(Options o, PrintStream err, List<AutoCloseable> held) throws IOException {
        o.publicReads = true; // like `tiled serve demo`: anyone may read; the key writes
        Catalog catalog;
        BlobStore base;
        FileBlobStore files = null;
        BlobUrls urls = null;
        ResultLeases leases = new ResultLeases(Clock.systemUTC());
        String where;
        String version = "demo tree version " + DemoTree.VERSION + "\n";
        AwsStorage aws = null;
        Path dir = o.aws() ? null : o.dataDir != null ? o.dataDir : o.stateHome().resolve("demo");
        if (dir != null) held.add(StateLock.take(dir, "the demo data in " + dir));
        probePort(o);
        if (o.aws()) {
            aws = AwsStorage.open(o.s3Endpoint, o.dynamoEndpoint, o.bucket, "", o.table, o.createResources);
            catalog = aws.catalog();
            base = aws.root();
            where = "s3://" + o.bucket + " and DynamoDB table " + o.table;
        } else {
            urls = new BlobUrls();
            files = new FileBlobStore(dir.resolve("objects"), leasing(urls, leases));
            base = files;
            boolean current = files.get(DEMO_MARKER).map(v -> new String(v, StandardCharsets.UTF_8).equals(version)).orElse(false);
            if (!current) for (String f : List.of("catalog.db", "catalog.db-wal", "catalog.db-shm")) Files.deleteIfExists(dir.resolve(f));
            SqliteCatalog sqlite = new SqliteCatalog(dir.resolve("catalog.db"));
            held.add(sqlite);
            catalog = sqlite;
            where = dir.toString();
        }
        LazyChunkStore store = new LazyChunkStore(base);
        DemoTree.registerLazyChunks(store);
        // On a bucket, its lifecycle rule expires results; in a folder, the local server does.
        BlobStore results = files == null ? store : retained(o, files, leases, err, held);
        if (aws != null && o.indexUploads) {
            // Uploads to the bucket are registered as on AWS: bucket notifications -> queue -> the indexer's handler.
            List<String> ignored = new ArrayList<>(IndexerSettings.DEFAULT_IGNORED);
            ignored.add(DemoTree.PREFIX); // the demo registers its own tree
            IndexerSettings settings = new IndexerSettings(null, "", NodePath.ROOT, ignored, IndexerSettings.DEFAULT_MAX_CSV_BYTES);
            IndexerHandler indexer = new IndexerHandler(IndexerHandler.indexer(new Backend(catalog, base), settings), DeadLetters.none(),
                    line -> err.println("tiled-gateway: " + line));
            held.add(QueueFeeder.wire(aws.clients(), aws.s3Endpoint(), aws.s3(), o.bucket, "", o.bucket + "-uploads", indexer));
        }
        boolean current = store.get(DEMO_MARKER).map(v -> new String(v, StandardCharsets.UTF_8).equals(version)).orElse(false);
        ZarrRegistrar zarr = new ZarrRegistrar(catalog, store);
        DemoTree.ArrayRegistrar register = (path, prefix, specs) -> zarr.array(path, prefix, specs);
        if (!current) {
            DemoTree.install(catalog, store, register);
            store.put(DEMO_MARKER, version.getBytes(StandardCharsets.UTF_8));
        }
        ScheduledExecutorService ticker = daemon("demo-dynamic");
        held.add(ticker::shutdownNow);
        int[] n = {1};
        ticker.scheduleAtFixedRate(() -> {
            try {
                DemoTree.updateDynamic(store, register, ++n[0]);
            } catch (IOException | RuntimeException e) {
                err.println("tiled-gateway: could not update the dynamic array: " + e.getMessage());
            }
        }, 3, 3, TimeUnit.SECONDS);
        ApiKeyStore keys;
        if (aws != null) {
            DynamoDbClient dynamo = aws.clients().dynamo();
            held.add(dynamo);
            keys = new DynamoDbApiKeyStore(dynamo, o.table);
        } else {
            SqliteApiKeyStore sqliteKeys = new SqliteApiKeyStore(dir.resolve("catalog.db"));
            held.add(sqliteKeys);
            keys = sqliteKeys;
        }
        String key = serverKey(o);
        LocalServer server = start(o, catalog, store, results, files, urls, leases, keys, key);
        String url = "http://" + o.host + ":" + server.port() + "/api/v1/";
        return new Running(server, "tiled-gateway: serving the demo tree at " + url + " (data in " + where + "; anyone may read"
                + (o.apiKey == null ? "; to write or manage API keys use the key " + key + ", as in from_uri(\"" + url + "?api_key=" + key + "\")" : "; the --api-key may write and manage keys")
                + ")", files == null ? store : files, held, key);
    }

    /**
     * What a catalog's data folder holds, and its format. Unlike a served folder's catalog, which can be built again
     * from the folder, a catalog's content exists nowhere else: one written by another format is refused, never
     * rebuilt. Raise it when the layout of the data folder or the catalog's schema changes incompatibly.
     */
    static final int CATALOG_DATA_VERSION = 1;

    /**
     * An empty, writable catalog, as {@code tiled serve catalog --write}: on this machine a SQLite catalog and the
     * written objects ({@code objects/_managed/...}, results under {@code objects/_results/}) in the data folder, kept
     * across restarts; with a bucket, the objects at the top of the bucket and the catalog in the DynamoDB table.
     * Nothing registers what lies in the store: nodes come from the API (created, written, registered by URI).
     */
    static Running catalog(Options o, PrintStream err) throws IOException {
        List<AutoCloseable> held = new ArrayList<>();
        try {
            if (o.aws()) return catalogOnAws(o, held);
            Path dir = o.dataDir != null ? o.dataDir : o.stateHome().resolve("catalog");
            held.add(StateLock.take(dir, "the catalog in " + dir));
            probePort(o);
            checkCatalogVersion(dir);
            SqliteCatalog catalog = new SqliteCatalog(dir.resolve("catalog.db"));
            held.add(catalog);
            BlobUrls urls = new BlobUrls();
            ResultLeases leases = new ResultLeases(Clock.systemUTC());
            FileBlobStore files = new FileBlobStore(dir.resolve("objects"), leasing(urls, leases));
            BlobStore results = retained(o, files, leases, err, held);
            SqliteApiKeyStore keys = new SqliteApiKeyStore(dir.resolve("catalog.db"));
            held.add(keys);
            String key = serverKey(o);
            LocalServer server = start(o, catalog, files, results, files, urls, leases, keys, key);
            long n = catalog.countChildren(NodePath.ROOT);
            return new Running(server, "tiled-gateway: serving a writable catalog (" + n + " top-level nodes; data in " + dir + ") at "
                    + address(o, server, key), files, held, key);
        } catch (IOException | RuntimeException e) {
            closeAll(held);
            throw e;
        }
    }

    private static Running catalogOnAws(Options o, List<AutoCloseable> held) throws IOException {
        probePort(o);
        AwsStorage aws = AwsStorage.open(o.s3Endpoint, o.dynamoEndpoint, o.bucket, "", o.table, o.createResources);
        DynamoDbClient dynamo = aws.clients().dynamo();
        held.add(dynamo);
        String key = serverKey(o);
        // Written objects under _managed/, results under _results/, both at the top of the bucket; the bucket's
        // lifecycle rule expires the results.
        LocalServer server = start(o, aws.catalog(), aws.root(), aws.root(), null, null, new ResultLeases(Clock.systemUTC()),
                new DynamoDbApiKeyStore(dynamo, o.table), key);
        long n = aws.catalog().countChildren(NodePath.ROOT);
        return new Running(server, "tiled-gateway: serving a writable catalog (" + n + " top-level nodes; objects in s3://" + o.bucket
                + ", catalog in DynamoDB table " + o.table + ") at " + address(o, server, key), aws.root(), held, key);
    }

    /** Marks a new data folder with its format; refuses one another format wrote (its data would be misread, or lost). */
    private static void checkCatalogVersion(Path dir) throws IOException {
        Path marker = dir.resolve("VERSION");
        String version = "catalog data version " + CATALOG_DATA_VERSION + "\n";
        if (Files.exists(marker)) {
            String found = Files.readString(marker, StandardCharsets.UTF_8);
            if (!found.equals(version))
                throw new UnavailableException("the catalog in " + dir + " was written by another version of tiled-gateway (" + found.strip()
                        + ", this one reads " + version.strip() + "); start it with that version, or choose another --data-dir");
        } else if (Files.exists(dir.resolve("catalog.db"))) {
            throw new UnavailableException(dir + " holds a catalog.db that serve catalog did not write (no VERSION); choose another --data-dir");
        } else {
            Files.writeString(marker, version, StandardCharsets.UTF_8);
        }
    }

    /** The state folder of a served folder: its catalog, its materialised results and the lock. */
    static Path directoryState(Options o, Path dir) {
        return o.stateHome().resolve("directory-" + shortHash(dir.toString()));
    }

    /**
     * Serves a folder: its catalog (SQLite) is kept in the state folder across restarts, brought up to date at start
     * (changed files registered again, vanished ones removed) and then by the folder's watcher.
     */
    static Running directory(Options o, PrintStream err) throws IOException {
        if (!Files.isDirectory(o.directory)) throw new UnavailableException("no folder " + o.directory + " to serve");
        List<AutoCloseable> held = new ArrayList<>();
        try {
            Path state = directoryState(o, o.directory);
            held.add(StateLock.take(state, "the catalog of " + o.directory));
            probePort(o);
            SqliteCatalog catalog = openDirectoryCatalog(state, o.directory, err);
            held.add(catalog);
            BlobUrls urls = new BlobUrls();
            ResultLeases leases = new ResultLeases(Clock.systemUTC());
            FileBlobStore data = new FileBlobStore(o.directory, urls);
            FileBlobStore results = new FileBlobStore(state.resolve("results"), leasing(urls, leases));
            BlobStore retained = retained(o, results, leases, err, held);
            // The same indexer that registers uploads to a bucket: the folder's changes from now on (watched before the
            // backfill, so nothing changing meanwhile is missed), and what changed while nothing watched.
            Indexer indexer = IndexerHandler.indexer(new Backend(catalog, data), IndexerSettings.defaults());
            DirectoryWatcher watcher = new DirectoryWatcher(o.directory,
                    new IndexerHandler(indexer, DeadLetters.none(), line -> err.println("tiled-gateway: " + line)), "local",
                    line -> err.println("tiled-gateway: " + line));
            held.add(watcher);
            watcher.start();
            Backfill.Summary summary = new Backfill(indexer, data, Backfill.Sequencing.CLOCK).run("", Registering.progressBar(err));
            err.print(summary.describe());
            long n = catalog.countChildren(NodePath.ROOT);
            SqliteApiKeyStore keys = new SqliteApiKeyStore(state.resolve("catalog.db"));
            held.add(keys);
            String key = serverKey(o);
            // Written data goes to the state folder, never into the served folder.
            BlobStore writable = new ManagedStore(data, new FileBlobStore(state.resolve("managed"), urls));
            LocalServer server = start(o, catalog, writable, retained, results, urls, leases, keys, key);
            return new Running(server, "tiled-gateway: serving " + o.directory + " (" + n
                    + " top-level nodes; files are registered as they appear; catalog in " + state + ") at " + address(o, server, key),
                    results, held, key);
        } catch (IOException | RuntimeException e) {
            closeAll(held);
            throw e;
        }
    }

    /** The folder's catalog, kept from the last run unless another format of it was written. */
    static SqliteCatalog openDirectoryCatalog(Path state, Path dir, PrintStream err) throws IOException {
        Path marker = state.resolve("VERSION");
        String version = "directory state version " + DIRECTORY_STATE_VERSION + "\n";
        boolean exists = Files.exists(state.resolve("catalog.db"));
        boolean current = Files.exists(marker) && Files.readString(marker, StandardCharsets.UTF_8).equals(version);
        if (exists && !current) {
            err.println("tiled-gateway: the catalog of " + dir + " was written by another version of tiled-gateway; building it again"
                    + " (nodes registered through the API are not carried over)");
            for (String f : List.of("catalog.db", "catalog.db-wal", "catalog.db-shm")) Files.deleteIfExists(state.resolve(f));
        }
        SqliteCatalog catalog = new SqliteCatalog(state.resolve("catalog.db"));
        if (!current) Files.writeString(marker, version, StandardCharsets.UTF_8);
        return catalog;
    }

    /**
     * Serves the objects under a bucket prefix at the catalog's root, from a DynamoDB table: registered at start (and
     * what vanished removed), then, with --index-uploads, as the bucket's notifications report uploads and deletions.
     * The data are only read; results and spilled catalog documents go under the gateway's own prefixes at the top of
     * the bucket.
     */
    static Running bucketDirectory(Options o, PrintStream err) throws IOException {
        List<AutoCloseable> held = new ArrayList<>();
        try {
            probePort(o);
            AwsStorage aws = AwsStorage.open(o.s3Endpoint, o.dynamoEndpoint, o.bucket, o.prefix, o.table, o.createResources);
            IndexerSettings settings = new IndexerSettings(o.bucket, o.prefix, NodePath.ROOT, IndexerSettings.DEFAULT_IGNORED,
                    IndexerSettings.DEFAULT_MAX_CSV_BYTES);
            Indexer indexer = IndexerHandler.indexer(new Backend(aws.catalog(), aws.data()), settings);
            if (o.indexUploads) {
                // Before the backfill: what is uploaded or deleted meanwhile waits in the queue.
                IndexerHandler handler = new IndexerHandler(indexer, DeadLetters.none(), line -> err.println("tiled-gateway: " + line));
                held.add(QueueFeeder.wire(aws.clients(), aws.s3Endpoint(), aws.s3(), o.bucket, o.prefix, o.bucket + "-uploads", handler));
            }
            Backfill.Summary summary = new Backfill(indexer, aws.data(), Backfill.Sequencing.REDELIVER).run("", Registering.progressBar(err));
            err.print(summary.describe());
            long n = aws.catalog().countChildren(NodePath.ROOT);
            DynamoDbClient dynamo = aws.clients().dynamo();
            held.add(dynamo);
            String key = serverKey(o);
            // Written data goes to the managed area at the top of the bucket, outside the served prefix.
            LocalServer server = start(o, aws.catalog(), new ManagedStore(aws.data(), aws.root()), aws.root(), null, null, new ResultLeases(Clock.systemUTC()),
                    new DynamoDbApiKeyStore(dynamo, o.table), key);
            return new Running(server, "tiled-gateway: serving " + aws.url() + " (" + n + " top-level nodes; catalog in DynamoDB table " + o.table + "; "
                    + (o.indexUploads ? "uploads and deletions are registered as the bucket reports them" : "changes are registered at the next start (or with --index-uploads)")
                    + ") at " + address(o, server, key), aws.root(), held, key);
        } catch (IOException | RuntimeException e) {
            closeAll(held);
            throw e;
        }
    }

    private static String resultPrefix() { return GatewayConfig.defaults().resultPrefix(); }

    /** The server's own key: the one given, or a new one (shown once, in the startup line). */
    private static String serverKey(Options o) { return o.apiKey != null ? o.apiKey : ApiKeySecrets.generate(); }

    /**
     * Where a served folder or bucket answers: for a private server with a generated key, the URL with the key, as
     * {@code tiled serve} prints it; a key the operator gave is never printed.
     */
    private static String address(Options o, LocalServer server, String key) {
        String url = "http://" + o.host + ":" + server.port() + "/api/v1/";
        if (o.publicReads) return url + " (anyone may read" + (o.apiKey == null ? "; the key " + key + " writes and manages keys)" : ")");
        return o.apiKey == null ? url + "?api_key=" + key : url + " (with the --api-key)";
    }

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
    private static BlobStore retained(Options o, FileBlobStore files, ResultLeases leases, PrintStream err, List<AutoCloseable> held) throws IOException {
        // The sweeps' thread also unlinks the files of the results they remove, off the requests that stored a result.
        ScheduledExecutorService sweeps = daemon("result-sweeper");
        held.add(sweeps::shutdownNow);
        ResultSweeper sweeper = new ResultSweeper(files.root().resolve(resultPrefix().substring(0, resultPrefix().length() - 1)), resultPrefix(),
                o.retention, leases, Clock.systemUTC(), sweeps);
        ResultSweeper.Swept first = sweeper.sweep();
        if (first.expired() + first.evicted() > 0)
            err.println("tiled-gateway: removed " + first.expired() + " expired and " + first.evicted() + " materialised results over the cap of "
                    + o.retention.maxBytes() + " bytes");
        sweeps.scheduleWithFixedDelay(() -> {
            try {
                sweeper.sweep();
            } catch (IOException | RuntimeException e) {
                err.println("tiled-gateway: could not sweep materialised results: " + e.getMessage());
            }
        }, 1, 1, TimeUnit.MINUTES);
        return new SweptResults(files, resultPrefix(), sweeper);
    }

    /**
     * Binds and starts the HTTP server; a port in use or an address that cannot be bound is one clear line.
     *
     * @param results where oversized results are materialised
     * @param served  the embedded store whose presigned URLs this server answers at /_blob/ (null for S3)
     */
    private static LocalServer start(Options o, Catalog catalog, BlobStore data, BlobStore results, FileBlobStore served, BlobUrls urls,
                                     ResultLeases leases, ApiKeyStore keys, String serverKey) throws IOException {
        GatewayConfig config = GatewayConfig.defaults().withMaxInlineBytes(o.maxInline).withResponseByteLimit(o.maxResponse)
                .withMaterialising(o.maxMaterialising, o.materialiseWait);
        // The settings the API function and its authorizer share, as both read them from one environment on AWS.
        Authenticator.Settings settings = new Authenticator.Settings(o.publicReads ? Scopes.PUBLIC : Set.of(), ApiKeySecrets.hash(serverKey));
        Access access = new Access(settings, keys, o.allowedOrigins);
        Router router = Gateway.router(catalog, data, results, config, access, ArrayReaders.discover(), TableReaders.discover(), SerializerRegistry.discover(),
                QueryRegistry.discover(), Executors.newVirtualThreadPerTaskExecutor());
        AuthorizerHandler authorizer = new AuthorizerHandler(new Authenticator(settings, keys, Clock.systemUTC()));
        LocalServer server = new LocalServer(o.host, o.port, new ApiHandler(router, Set.of(),
                o.requestLines == null ? null : new RequestLog(RequestLog.DEFAULT_NAMESPACE, o.requestLines)), authorizer, served, urls, leases, o.trustedProxies);
        try {
            server.start();
        } catch (IOException e) {
            server.close();
            throw cannotListen(o, e);
        }
        return server;
    }

    /**
     * Binds the port and lets it go again, before the long work of a start: a port in use is refused at once. (The
     * server binds it again when ready; what takes it meanwhile is refused then, as clearly.)
     */
    private static void probePort(Options o) throws UnavailableException {
        if (o.port == 0) return;
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(o.host, o.port));
        } catch (IOException | RuntimeException e) {
            throw cannotListen(o, e);
        }
    }

    private static UnavailableException cannotListen(Options o, Throwable e) {
        Throwable c = e;
        while (!(c instanceof BindException) && !(c instanceof UnresolvedAddressException) && c.getCause() != null && c.getCause() != c) c = c.getCause();
        String why;
        if (c instanceof BindException b && b.getMessage() != null && b.getMessage().toLowerCase(Locale.ROOT).contains("in use"))
            why = "the port is in use (another server?); choose another with --port";
        else if (c instanceof UnresolvedAddressException || "Unresolved address".equals(c.getMessage())) why = "no such address (--host)";
        else why = c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
        return new UnavailableException("cannot listen on " + o.host + ":" + o.port + ": " + why);
    }

    private static ScheduledExecutorService daemon(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    static void closeAll(List<AutoCloseable> held) {
        for (AutoCloseable c : held.reversed()) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing after a failure: the failure is what is reported
            }
        }
    }

    static String shortHash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
