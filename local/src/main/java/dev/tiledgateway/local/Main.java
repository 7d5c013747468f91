package dev.tiledgateway.local;

import dev.tiledgateway.local.Options.UsageException;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code tiled-gateway} command: {@code serve demo}, {@code serve catalog}, {@code serve directory PATH|s3://BUCKET/PREFIX} and
 * {@code register}. Whatever goes wrong ends in one line on stderr and an exit status ({@link #USAGE},
 * {@link #UNAVAILABLE}, ...), not a stack trace.
 */
public final class Main {

    /** Exit statuses; the README lists them. */
    static final int OK = 0;
    /** register: some entries are one of our formats but cannot be read (listed); the rest was registered. */
    static final int UNREADABLE = 1;
    /** The command line is wrong: unknown or inapplicable option, bad value, missing argument. */
    static final int USAGE = 2;
    /** register: some entries could not be handled now (storage or catalog errors during the run); running it again retries them. */
    static final int FAILED = 3;
    /** Nothing could be started: no such folder, bucket or table, an endpoint that cannot be reached, the port in use, the state in use. */
    static final int UNAVAILABLE = 4;
    /** A failure the command does not expect (a bug): one line, and the stack trace with TILED_GATEWAY_DEBUG=1. */
    static final int INTERNAL = 5;

    static final String DEBUG = "TILED_GATEWAY_DEBUG";

    /**
     * Libraries that print what a user of the command does not need at INFO: hardwood (Parquet) says at every start
     * whether it uses SIMD, which depends on an incubator module this command does not enable. JUL holds loggers
     * weakly, so the configured ones are kept here.
     */
    private static final List<Logger> QUIETED = new ArrayList<>();

    static {
        for (String name : List.of("dev.hardwood")) {
            Logger l = Logger.getLogger(name);
            l.setLevel(Level.WARNING);
            QUIETED.add(l);
        }
    }

    static final String USAGE_TEXT = """
            usage: tiled-gateway serve demo [--host HOST] [--port PORT] [--data-dir DIR]
                   tiled-gateway serve demo --bucket B --table T [--s3-endpoint URL --dynamodb-endpoint URL] [--create-resources] [--index-uploads]
                   tiled-gateway serve catalog [--data-dir DIR] [--host HOST] [--port PORT] [--api-key KEY] [--public]
                   tiled-gateway serve catalog --bucket B --table T [--s3-endpoint URL --dynamodb-endpoint URL] [--create-resources]
                   tiled-gateway serve directory PATH [--host HOST] [--port PORT]
                   tiled-gateway serve directory s3://BUCKET/PREFIX --table T [--s3-endpoint URL --dynamodb-endpoint URL] [--create-resources] [--index-uploads]
                   tiled-gateway register PATH
                   tiled-gateway register PREFIX --bucket B --table T [--s3-endpoint URL --dynamodb-endpoint URL] [--create-resources]

              serve demo        the demo tree of `tiled serve demo`, as Zarr in an embedded object store
                                (cached in DIR, default ~/.cache/tiled-gateway/demo) and a SQLite catalog, or in a bucket
              serve catalog     an empty catalog to write into (as `tiled serve catalog --write`): a SQLite catalog and the
                                written arrays (Zarr) and tables (Parquet) in DIR (default ~/.cache/tiled-gateway/catalog),
                                or in a bucket and a DynamoDB table; kept across restarts. Private unless --public
              serve directory   every Zarr array/group, Parquet file or folder of parts, CSV and TIFF under a folder or a
                                bucket prefix, at the catalog's root; folders become containers. A folder is watched; on a
                                bucket, --index-uploads registers what is uploaded or deleted through its notifications.
                                Registered at start (and what vanished removed); the catalog is kept across restarts
              register          what lies in a folder (into the catalog serve directory keeps for it) or under a prefix
                                of a bucket (whole path segments; nodes at the paths of their keys, as the indexer
                                function registers them), with a progress bar and a summary; nodes whose objects are
                                gone are removed
            options of serve:
              --host HOST              address to listen on (default 127.0.0.1)
              --port PORT              port, 1-65535, or 0 for a free one (default 8000)
              --max-inline-bytes N     largest response sent inline; larger ones redirect (default 4500000)
              --max-response-bytes N   largest response served at all, in the bytes of the requested format
                                       (default 300000000, Tiled's limit); larger requests are refused with 400
              --trusted-proxy ADDR     a proxy in front (TLS terminator) whose X-Forwarded-Host/-Proto/-For are
                                       believed; repeatable; none by default  [TILED_GATEWAY_TRUSTED_PROXIES=a,b]
              --results-max-bytes N    (on this machine's disk) space materialised results may take before the oldest
                                       are removed (default 2147483648); they are removed a day after they were written anyway
              --data-dir DIR           (serve demo, serve catalog on this machine) where the demo tree or the catalog is kept
              --api-key KEY            the server's own key, which reads, writes and manages keys (default: one is generated
                                       and shown)  [TILED_GATEWAY_API_KEY]
              --public                 (serve catalog, serve directory) anyone may read; writing still needs the key
                                       [TILED_GATEWAY_PUBLIC=true]
              --log-requests           one JSON line per request on standard output (request id, route, node, status, bytes,
                                       duration, catalog and store calls, with CloudWatch embedded metrics), as on AWS
            with a bucket and a DynamoDB table (or the TILED_GATEWAY_* environment variables):
              --bucket NAME            S3 bucket (serve demo: default tiled-gateway-demo)  [TILED_GATEWAY_BUCKET]
              --table NAME             DynamoDB table (serve demo: default tiled-gateway-catalog)  [TILED_GATEWAY_TABLE]
                                       (serve catalog takes both, without defaults)
              --s3-endpoint URL        e.g. LocalStack or moto; AWS itself when absent  [TILED_GATEWAY_S3_ENDPOINT]
              --dynamodb-endpoint URL  likewise for DynamoDB  [TILED_GATEWAY_DYNAMODB_ENDPOINT]
              --create-resources       create the bucket and the table if missing  [TILED_GATEWAY_CREATE_RESOURCES=true]
              --index-uploads          (serve) create a queue, point the bucket's notifications at it and register what
                                       is uploaded or deleted, as the indexer function does on AWS  [TILED_GATEWAY_INDEX_UPLOADS=true]
            exit status: 0 done; 1 register: some entries unreadable (listed); 2 wrong command line; 3 register: some
            entries failed (run it again); 4 nothing started (no such folder, bucket or table, endpoint unreachable,
            port or state in use); 5 unexpected error
            """;

    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        Result r = execute(args, System.out, System.err, System.getenv());
        if (r.running() == null) System.exit(r.status());
        Runtime.getRuntime().addShutdownHook(new Thread(r.running()::close));
        Thread.currentThread().join();
    }

    /** What a command line came to: an exit status, or a server that runs until it is closed. */
    record Result(int status, Running running) {}

    /**
     * Runs a command line: a serve command returns its running server, {@code register} and every refusal an exit
     * status. Messages go to {@code err}, results (the banner, register's summary) to {@code out}.
     */
    static Result execute(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        Options o;
        try {
            o = Options.parse(args, env);
        } catch (UsageException e) {
            err.println("tiled-gateway: " + e.getMessage());
            err.println("usage: " + (e.where != null ? e.where.usage : "tiled-gateway serve demo | serve catalog | serve directory PATH | register PATH"));
            err.println("(tiled-gateway --help lists every command and option)");
            return new Result(USAGE, null);
        }
        if (o.logRequests) o.requestLines = out::println;
        if (o.help) {
            out.print(USAGE_TEXT);
            return new Result(OK, null);
        }
        try {
            if (o.mode.equals("register")) return new Result(Register.run(o, out, err), null);
            Running r = switch (o.where) {
                case DEMO_FOLDER, DEMO_BUCKET -> Serve.demo(o, err);
                case CATALOG_FOLDER, CATALOG_BUCKET -> Serve.catalog(o, err);
                case DIRECTORY_FOLDER -> Serve.directory(o, err);
                default -> Serve.bucketDirectory(o, err);
            };
            out.println(r.banner());
            out.flush();
            return new Result(OK, r);
        } catch (IOException e) {
            err.println("tiled-gateway: " + oneLine(e));
            return new Result(UNAVAILABLE, null);
        } catch (UncheckedIOException e) {
            err.println("tiled-gateway: " + oneLine(e.getCause()));
            return new Result(UNAVAILABLE, null);
        } catch (RuntimeException e) {
            err.println("tiled-gateway: unexpected error: " + e.getClass().getSimpleName() + ": " + oneLine(e)
                    + ("1".equals(env.get(DEBUG)) ? "" : " (" + DEBUG + "=1 prints the stack trace)"));
            if ("1".equals(env.get(DEBUG))) e.printStackTrace(err);
            return new Result(INTERNAL, null);
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replace('\n', ' ').strip();
    }

    /**
     * A started server, the line that tells the user where it is, the store its large results go to, and its own API
     * key; closing it stops the server and what feeds its catalog, and releases what it holds (the state lock).
     */
    public record Running(LocalServer server, String banner, dev.tiledgateway.core.store.BlobStore results, List<AutoCloseable> resources,
                          String apiKey) implements AutoCloseable {

        public Running {
            resources = List.copyOf(resources);
        }

        /** Stops the server, then releases the rest in the reverse order of acquisition. */
        @Override
        public void close() {
            server.close();
            for (AutoCloseable c : resources.reversed()) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.err.println("tiled-gateway: while stopping: " + e.getMessage());
                }
            }
        }
    }

    // ---- for tests and benchmarks: the serve commands with their settings as arguments

    /** Starts the demo tree; builds it into the data folder on first use and reuses it afterwards. */
    public static Running serveDemo(String host, int port, Path dataDir, long maxInline) throws IOException {
        Options o = new Options();
        o.mode = "demo";
        o.where = Options.Where.DEMO_FOLDER;
        o.host = host;
        o.port = port;
        o.dataDir = dataDir;
        o.maxInline = maxInline;
        return Serve.demo(o, System.err);
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
        o.where = Options.Where.DEMO_BUCKET;
        o.host = host;
        o.port = port;
        o.s3Endpoint = s3Endpoint;
        o.dynamoEndpoint = dynamoEndpoint;
        o.bucket = bucket;
        o.table = table;
        o.createResources = createResources;
        o.indexUploads = indexUploads;
        o.maxInline = maxInline;
        return Serve.demo(o, System.err);
    }

    /**
     * Serves Lambda functions' own handlers behind the API Gateway emulation: built by the caller from the functions'
     * environments as Lambda builds them (a deployed stack's configuration, say), nothing of this command's own.
     */
    public static Running serveFunctions(String host, int port, dev.tiledgateway.api.ApiHandler api,
                                         dev.tiledgateway.authorizer.AuthorizerHandler authorizer) throws IOException {
        LocalServer server = new LocalServer(host, port, api, authorizer, null, null, null, Set.of());
        server.start();
        return new Running(server, "http://" + host + ":" + server.port(), null, List.of(), null);
    }

    /** Starts a writable catalog in {@code dataDir} (kept across restarts) with {@code apiKey} as its key (null: a new one). */
    public static Running serveCatalog(String host, int port, Path dataDir, String apiKey) throws IOException {
        Options o = new Options();
        o.mode = "catalog";
        o.where = Options.Where.CATALOG_FOLDER;
        o.host = host;
        o.port = port;
        o.dataDir = dataDir.toAbsolutePath().normalize();
        o.apiKey = apiKey;
        return Serve.catalog(o, System.err);
    }

    /** Serves every Zarr array and group, table and TIFF under {@code dir}. */
    public static Running serveDirectory(String host, int port, Path dir, long maxInline) throws IOException {
        return serveDirectory(host, port, dir, maxInline, Set.of());
    }

    /** The same, believing X-Forwarded-* from {@code trustedProxies} (addresses). */
    public static Running serveDirectory(String host, int port, Path dir, long maxInline, Set<String> trustedProxies) throws IOException {
        Options o = new Options();
        o.trustedProxies.addAll(trustedProxies);
        o.mode = "directory";
        o.where = Options.Where.DIRECTORY_FOLDER;
        o.host = host;
        o.port = port;
        o.directory = dir.toAbsolutePath().normalize();
        o.maxInline = maxInline;
        return Serve.directory(o, System.err);
    }
}
