package dev.tiledgateway.local;

import dev.tiledgateway.api.ApiHandler;
import dev.tiledgateway.aws.AwsBackendFactory;
import dev.tiledgateway.core.route.GatewayConfig;
import dev.tiledgateway.indexer.Backfill;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of one {@code tiled-gateway} command, parsed from its command line and the {@code TILED_GATEWAY_*}
 * environment. Every option is checked against the command it is given to ({@link Where}) before anything is
 * touched: one that does not apply there is refused with the reason, never ignored. Environment variables are
 * ambient, so they are read where they apply and left alone elsewhere.
 */
final class Options {

    /** The command and the storage it works on: what decides which options apply. */
    enum Where {
        DEMO_FOLDER("serve demo", "tiled-gateway serve demo [--host HOST] [--port PORT] [--data-dir DIR]"),
        DEMO_BUCKET("serve demo on a bucket", "tiled-gateway serve demo --bucket B --table T [--s3-endpoint URL --dynamodb-endpoint URL] [--create-resources] [--index-uploads]"),
        CATALOG_FOLDER("serve catalog", "tiled-gateway serve catalog [--data-dir DIR] [--host HOST] [--port PORT] [--api-key KEY] [--public]"),
        CATALOG_BUCKET("serve catalog on a bucket", "tiled-gateway serve catalog --bucket B --table T [--s3-endpoint URL --dynamodb-endpoint URL] [--create-resources]"),
        DIRECTORY_FOLDER("serve directory PATH (a folder)", "tiled-gateway serve directory PATH [--host HOST] [--port PORT]"),
        DIRECTORY_BUCKET("serve directory s3://BUCKET/PREFIX", "tiled-gateway serve directory s3://BUCKET/PREFIX --table T [--s3-endpoint URL --dynamodb-endpoint URL] [--create-resources] [--index-uploads]"),
        REGISTER_FOLDER("register PATH (a folder)", "tiled-gateway register PATH"),
        REGISTER_BUCKET("register on a bucket", "tiled-gateway register PREFIX --bucket B --table T [--s3-endpoint URL --dynamodb-endpoint URL] [--create-resources]");

        final String what;
        final String usage;

        Where(String what, String usage) {
            this.what = what;
            this.usage = usage;
        }

        boolean serving() { return this != REGISTER_FOLDER && this != REGISTER_BUCKET; }

        boolean onBucket() { return this == DEMO_BUCKET || this == CATALOG_BUCKET || this == DIRECTORY_BUCKET || this == REGISTER_BUCKET; }
    }

    private static final Set<Where> SERVE = EnumSet.of(Where.DEMO_FOLDER, Where.DEMO_BUCKET, Where.CATALOG_FOLDER, Where.CATALOG_BUCKET,
            Where.DIRECTORY_FOLDER, Where.DIRECTORY_BUCKET);
    private static final Set<Where> BUCKETS = EnumSet.of(Where.DEMO_BUCKET, Where.CATALOG_BUCKET, Where.DIRECTORY_BUCKET, Where.REGISTER_BUCKET);

    /** The options, where each applies, and what to say when one is given where it does not. */
    enum Option {
        HOST("--host", true, SERVE, "it applies to the serve commands"),
        PORT("--port", true, SERVE, "it applies to the serve commands"),
        MAX_INLINE("--max-inline-bytes", true, SERVE, "it applies to the serve commands"),
        MAX_RESPONSE("--max-response-bytes", true, SERVE, "it applies to the serve commands"),
        TRUSTED_PROXY("--trusted-proxy", true, SERVE, "it applies to the serve commands"),
        API_KEY("--api-key", true, SERVE, "it is the key a server accepts; register talks to the catalog directly"),
        PUBLIC("--public", false, EnumSet.of(Where.CATALOG_FOLDER, Where.CATALOG_BUCKET, Where.DIRECTORY_FOLDER, Where.DIRECTORY_BUCKET),
                "serve demo is public for reading anyway; register serves nothing"),
        ALLOW_ORIGIN("--allow-origin", true, SERVE, "it applies to the serve commands"),
        LOG_REQUESTS("--log-requests", false, SERVE, "it applies to the serve commands"),
        RESULTS_MAX("--results-max-bytes", true, EnumSet.of(Where.DEMO_FOLDER, Where.CATALOG_FOLDER, Where.DIRECTORY_FOLDER),
                "it bounds results kept on this machine's disk; on a bucket the bucket's lifecycle rule expires them"),
        DATA_DIR("--data-dir", true, EnumSet.of(Where.DEMO_FOLDER, Where.CATALOG_FOLDER),
                "it is where serve demo and serve catalog keep their data on this machine's disk (serve directory keeps its state in the cache folder)"),
        BUCKET("--bucket", true, EnumSet.of(Where.DEMO_BUCKET, Where.CATALOG_BUCKET, Where.REGISTER_BUCKET),
                "serve directory takes the bucket in its PATH: serve directory s3://BUCKET/PREFIX --table T"),
        TABLE("--table", true, BUCKETS, "the catalog of a folder is a SQLite file kept for it; a table goes with a bucket"),
        S3_ENDPOINT("--s3-endpoint", true, BUCKETS, "it applies only with a bucket (s3://BUCKET/PREFIX, or serve demo --bucket)"),
        DYNAMODB_ENDPOINT("--dynamodb-endpoint", true, BUCKETS, "it applies only with a bucket (s3://BUCKET/PREFIX, or serve demo --bucket)"),
        CREATE_RESOURCES("--create-resources", false, BUCKETS, "it applies only with a bucket (s3://BUCKET/PREFIX, or serve demo --bucket)"),
        INDEX_UPLOADS("--index-uploads", false, EnumSet.of(Where.DEMO_BUCKET, Where.DIRECTORY_BUCKET),
                "it keeps registering what is uploaded to a served bucket, through the bucket's notifications"
                        + " (serve directory s3://BUCKET/PREFIX --table T --index-uploads); a served folder is watched anyway");

        final String flag;
        final boolean takesValue;
        final Set<Where> appliesTo;
        final String why;

        Option(String flag, boolean takesValue, Set<Where> appliesTo, String why) {
            this.flag = flag;
            this.takesValue = takesValue;
            this.appliesTo = appliesTo;
            this.why = why;
        }

        static Option of(String flag) {
            for (Option o : values()) if (o.flag.equals(flag)) return o;
            return null;
        }
    }

    /** A command line that cannot be run as given; {@code where} is null when the command itself is unclear. */
    static final class UsageException extends IllegalArgumentException {
        final Where where;

        UsageException(String message, Where where) {
            super(message);
            this.where = where;
        }
    }

    static final String TRUSTED_PROXIES = "TILED_GATEWAY_TRUSTED_PROXIES";
    static final String INDEX_UPLOADS = "TILED_GATEWAY_INDEX_UPLOADS";

    /** "demo", "catalog", "directory" or "register". */
    String mode;
    Where where;
    /** The folder served or registered (null on a bucket). */
    Path directory;
    String host = "127.0.0.1";
    int port = 8000;
    Path dataDir;
    long maxInline = GatewayConfig.defaults().maxInlineBytes();
    long maxResponse = GatewayConfig.defaults().responseByteLimit();
    int maxMaterialising = GatewayConfig.DEFAULT_MAX_MATERIALISING;
    Duration materialiseWait = GatewayConfig.DEFAULT_MATERIALISE_WAIT;
    ResultSweeper.Retention retention = ResultSweeper.Retention.defaults();
    boolean help;
    /** The folder prefix in the bucket ({@link Backfill#folderPrefix}: "" or ending with '/'). */
    String prefix = "";
    String s3Endpoint;
    String dynamoEndpoint;
    String bucket;
    String table;
    boolean createResources;
    boolean indexUploads;
    Set<String> trustedProxies = new HashSet<>();
    /** The server's own API key; null: one is generated at start and shown. */
    String apiKey;
    /** Anonymous reads (read:metadata, read:data): always for the demo, with --public for a catalog or a served folder or bucket. */
    boolean publicReads;
    /** Origins whose web pages may call the API (CORS). */
    Set<String> allowedOrigins = new java.util.LinkedHashSet<>();
    /** One JSON line per request on standard output, as the API function writes to CloudWatch Logs. */
    boolean logRequests;
    /** Where those lines go (the command's standard output); set by {@link Main} when {@link #logRequests}. */
    java.util.function.Consumer<String> requestLines;

    static final String API_KEY_ENV = dev.tiledgateway.core.auth.Access.API_KEY;
    static final String PUBLIC_ENV = dev.tiledgateway.core.auth.Access.PUBLIC;
    static final String ALLOW_ORIGINS_ENV = dev.tiledgateway.core.auth.Access.ALLOW_ORIGINS;
    /** Where commands keep their state (catalogs of folders, their results); the cache folder by default. */
    Path stateHome;

    /** Serving from S3 and DynamoDB rather than the embedded stores. */
    boolean aws() { return where != null ? where.onBucket() : s3Endpoint != null || dynamoEndpoint != null || bucket != null || table != null; }

    Path stateHome() { return stateHome != null ? stateHome : cacheHome(System.getenv()); }

    /** $XDG_CACHE_HOME/tiled-gateway, or ~/.cache/tiled-gateway. */
    static Path cacheHome(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("tiled-gateway");
    }

    static Options parse(String[] args) { return parse(args, System.getenv()); }

    /** Parses and checks a command line; {@code env} supplies the TILED_GATEWAY_* settings where they apply. */
    static Options parse(String[] args, Map<String, String> env) {
        Options o = new Options();
        o.stateHome = cacheHome(env);
        Map<Option, String> given = new LinkedHashMap<>();
        List<String> proxies = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        List<String> pos = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help") || (a.equals("help") && pos.isEmpty())) {
                o.help = true;
                return o;
            }
            String value = null;
            int eq = a.indexOf('=');
            String flag = a.startsWith("--") && eq > 0 ? a.substring(0, eq) : a;
            if (a.startsWith("--") && eq > 0) value = a.substring(eq + 1);
            if (!flag.startsWith("-") || flag.equals("-")) {
                pos.add(a);
                continue;
            }
            Option opt = Option.of(flag);
            if (opt == null) throw new UsageException("unknown option " + flag, null);
            if (opt.takesValue && value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) throw new UsageException(flag + " needs a value", null);
                value = args[++i];
            } else if (!opt.takesValue && value != null) {
                throw new UsageException(flag + " takes no value", null);
            }
            if (opt == Option.TRUSTED_PROXY) proxies.add(value);
            else if (opt == Option.ALLOW_ORIGIN) origins.add(value);
            else if (given.put(opt, value == null ? "" : value) != null) throw new UsageException(flag + " is given twice", null);
        }
        o.where = where(pos, given, env);
        if (o.where == Where.REGISTER_BUCKET && pos.getLast().startsWith("s3://"))
            throw new UsageException("register takes a PREFIX of the bucket named by --bucket, not a URL (nodes get the paths of"
                    + " their keys in the bucket, as the indexer function registers them; serve directory s3://BUCKET/PREFIX"
                    + " registers its prefix itself at every start)", o.where);
        o.mode = switch (o.where) {
            case DEMO_FOLDER, DEMO_BUCKET -> "demo";
            case CATALOG_FOLDER, CATALOG_BUCKET -> "catalog";
            case DIRECTORY_FOLDER, DIRECTORY_BUCKET -> "directory";
            case REGISTER_FOLDER, REGISTER_BUCKET -> "register";
        };
        for (Option opt : given.keySet()) {
            if (!opt.appliesTo.contains(o.where)) throw new UsageException(opt.flag + " does not apply to " + o.where.what + ": " + opt.why, o.where);
        }
        if (!proxies.isEmpty() && !Option.TRUSTED_PROXY.appliesTo.contains(o.where))
            throw new UsageException("--trusted-proxy does not apply to " + o.where.what + ": " + Option.TRUSTED_PROXY.why, o.where);

        for (Map.Entry<Option, String> e : given.entrySet()) o.set(e.getKey(), e.getValue());
        for (String p : proxies) {
            if (p.isBlank()) throw new UsageException("--trusted-proxy needs an address", o.where);
            o.trustedProxies.add(p.strip());
        }
        if (!origins.isEmpty() && !Option.ALLOW_ORIGIN.appliesTo.contains(o.where))
            throw new UsageException("--allow-origin does not apply to " + o.where.what + ": " + Option.ALLOW_ORIGIN.why, o.where);
        for (String origin : origins) o.allowedOrigins.addAll(originsOf(origin, o.where));
        if (o.where == Where.DEMO_FOLDER || o.where == Where.DEMO_BUCKET) o.publicReads = true;
        String target = pos.getLast();
        switch (o.where) {
            case DIRECTORY_FOLDER, REGISTER_FOLDER -> o.directory = Path.of(target).toAbsolutePath().normalize();
            case DIRECTORY_BUCKET -> o.bucketUrl(target);
            case REGISTER_BUCKET -> o.prefix = prefixOf(target, o.where);
            default -> { }
        }
        o.environment(env, given);
        o.require();
        return o;
    }

    /** The command and its storage, from the positional arguments and whether a bucket is named (flags or environment). */
    private static Where where(List<String> pos, Map<Option, String> given, Map<String, String> env) {
        if (pos.isEmpty()) throw new UsageException("expected a command: serve demo, serve catalog, serve directory PATH or register PATH", null);
        switch (pos.getFirst()) {
            case "serve" -> {
                if (pos.size() < 2) throw new UsageException("serve what? 'serve demo', 'serve catalog' or 'serve directory PATH'", null);
                switch (pos.get(1)) {
                    case "demo", "catalog" -> {
                        boolean demo = pos.get(1).equals("demo");
                        if (pos.size() > 2) throw new UsageException("serve " + pos.get(1) + " takes no PATH (unexpected '" + pos.get(2) + "')",
                                demo ? Where.DEMO_FOLDER : Where.CATALOG_FOLDER);
                        boolean bucket = given.containsKey(Option.BUCKET) || given.containsKey(Option.TABLE) || given.containsKey(Option.S3_ENDPOINT)
                                || given.containsKey(Option.DYNAMODB_ENDPOINT) || set(env, AwsBackendFactory.BUCKET) || set(env, AwsBackendFactory.TABLE)
                                || set(env, AwsBackendFactory.S3_ENDPOINT) || set(env, AwsBackendFactory.DYNAMODB_ENDPOINT);
                        if (demo) return bucket ? Where.DEMO_BUCKET : Where.DEMO_FOLDER;
                        return bucket ? Where.CATALOG_BUCKET : Where.CATALOG_FOLDER;
                    }
                    case "directory" -> {
                        if (pos.size() != 3) throw new UsageException(pos.size() < 3 ? "serve directory needs a PATH (a folder, or s3://BUCKET/PREFIX)"
                                : "serve directory takes one PATH (unexpected '" + pos.get(3) + "')", null);
                        return pos.get(2).startsWith("s3://") ? Where.DIRECTORY_BUCKET : Where.DIRECTORY_FOLDER;
                    }
                    default -> throw new UsageException("serve what? 'serve demo', 'serve catalog' or 'serve directory PATH', not '" + pos.get(1) + "'", null);
                }
            }
            case "register" -> {
                if (pos.size() != 2) throw new UsageException(pos.size() < 2 ? "register needs a PATH (a folder, or a prefix of a bucket)"
                        : "register takes one PATH (unexpected '" + pos.get(2) + "')", null);
                boolean bucket = pos.get(1).startsWith("s3://") || given.containsKey(Option.BUCKET) || given.containsKey(Option.TABLE)
                        || set(env, AwsBackendFactory.BUCKET) || set(env, AwsBackendFactory.TABLE);
                return bucket ? Where.REGISTER_BUCKET : Where.REGISTER_FOLDER;
            }
            default -> throw new UsageException("unknown command '" + pos.getFirst() + "': expected serve demo, serve catalog, serve directory PATH or register PATH", null);
        }
    }

    private void set(Option opt, String v) {
        switch (opt) {
            case HOST -> {
                if (v.isBlank()) throw new UsageException("--host needs an address", where);
                host = v.strip();
            }
            case PORT -> {
                long p = integer(opt, v);
                if (p < 0 || p > 65535) throw new UsageException("--port must be between 1 and 65535 (0 picks a free one), not " + v, where);
                port = (int) p;
            }
            case MAX_INLINE -> maxInline = positive(opt, v);
            case MAX_RESPONSE -> maxResponse = positive(opt, v);
            case RESULTS_MAX -> retention = new ResultSweeper.Retention(retention.lifetime(), positive(opt, v));
            case DATA_DIR -> {
                if (v.isBlank()) throw new UsageException("--data-dir needs a folder", where);
                dataDir = Path.of(v).toAbsolutePath().normalize();
            }
            case BUCKET -> bucket = bucketName(v, where);
            case TABLE -> table = tableName(v, where);
            case S3_ENDPOINT -> s3Endpoint = endpoint(opt.flag, v, where);
            case DYNAMODB_ENDPOINT -> dynamoEndpoint = endpoint(opt.flag, v, where);
            case CREATE_RESOURCES -> createResources = true;
            case INDEX_UPLOADS -> indexUploads = true;
            case TRUSTED_PROXY -> trustedProxies.add(v);
            case API_KEY -> apiKey = apiKey(opt.flag, v, where);
            case PUBLIC -> publicReads = true;
            case ALLOW_ORIGIN -> allowedOrigins.addAll(originsOf(v, where));
            case LOG_REQUESTS -> logRequests = true;
        }
    }

    /** A key as the Tiled client sends it: letters, digits and underscores (it drops others), 8 to 256 of them. */
    private static String apiKey(String what, String v, Where where) {
        if (!dev.tiledgateway.core.auth.ApiKeySecrets.WELL_FORMED.matcher(v.strip()).matches())
            throw new UsageException(what + " must be 8 to 256 letters, digits or underscores (the Tiled client sends no other keys)", where);
        return v.strip();
    }

    private static Set<String> originsOf(String v, Where where) {
        try {
            Set<String> out = dev.tiledgateway.core.auth.Access.origins(v);
            if (out.isEmpty()) throw new UsageException("--allow-origin needs an origin (https://host[:port]) or *", where);
            return out;
        } catch (IllegalArgumentException e) {
            if (e instanceof UsageException u) throw u;
            throw new UsageException(e.getMessage(), where);
        }
    }

    /** Settings from the environment where this command uses them and no option gave them. */
    private void environment(Map<String, String> env, Map<Option, String> given) {
        if (where.serving() && set(env, TRUSTED_PROXIES)) trustedProxies.addAll(ApiHandler.forwardedHosts(env.get(TRUSTED_PROXIES)));
        if (where.serving() && apiKey == null && set(env, API_KEY_ENV)) apiKey = apiKey(API_KEY_ENV, env.get(API_KEY_ENV), where);
        if (Option.PUBLIC.appliesTo.contains(where) && !given.containsKey(Option.PUBLIC) && "true".equalsIgnoreCase(env.getOrDefault(PUBLIC_ENV, "").strip()))
            publicReads = true;
        if (where.serving() && allowedOrigins.isEmpty() && set(env, ALLOW_ORIGINS_ENV)) allowedOrigins.addAll(originsOf(env.get(ALLOW_ORIGINS_ENV), where));
        if (!where.onBucket()) return;
        if (bucket == null && where != Where.DIRECTORY_BUCKET && set(env, AwsBackendFactory.BUCKET))
            bucket = bucketName(env.get(AwsBackendFactory.BUCKET), where);
        if (table == null && set(env, AwsBackendFactory.TABLE)) table = tableName(env.get(AwsBackendFactory.TABLE), where);
        if (s3Endpoint == null && set(env, AwsBackendFactory.S3_ENDPOINT))
            s3Endpoint = endpoint(AwsBackendFactory.S3_ENDPOINT, env.get(AwsBackendFactory.S3_ENDPOINT), where);
        if (dynamoEndpoint == null && set(env, AwsBackendFactory.DYNAMODB_ENDPOINT))
            dynamoEndpoint = endpoint(AwsBackendFactory.DYNAMODB_ENDPOINT, env.get(AwsBackendFactory.DYNAMODB_ENDPOINT), where);
        if (!given.containsKey(Option.CREATE_RESOURCES)) createResources = "true".equalsIgnoreCase(env.getOrDefault(AwsBackendFactory.CREATE_RESOURCES, "").strip());
        if (Option.INDEX_UPLOADS.appliesTo.contains(where) && !given.containsKey(Option.INDEX_UPLOADS))
            indexUploads = "true".equalsIgnoreCase(env.getOrDefault(INDEX_UPLOADS, "").strip());
    }

    /** What a command cannot run without. */
    private void require() {
        switch (where) {
            case DEMO_BUCKET -> {
                if (bucket == null) bucket = "tiled-gateway-demo";
                if (table == null) table = "tiled-gateway-catalog";
            }
            // A catalog holds what users write: its bucket and table are named, never defaulted.
            case CATALOG_BUCKET, DIRECTORY_BUCKET, REGISTER_BUCKET -> {
                if (bucket == null) throw new UsageException(where.what + " needs a bucket: --bucket B (or " + AwsBackendFactory.BUCKET + ")", where);
                if (table == null) throw new UsageException(where.what + " needs a DynamoDB table for its catalog: --table T (or " + AwsBackendFactory.TABLE + ")", where);
            }
            default -> { }
        }
    }

    /** s3://BUCKET[/PREFIX]: the bucket and the folder prefix in it. */
    private void bucketUrl(String url) {
        String rest = url.substring("s3://".length());
        int slash = rest.indexOf('/');
        bucket = bucketName(slash < 0 ? rest : rest.substring(0, slash), where);
        prefix = prefixOf(slash < 0 ? "" : rest.substring(slash + 1), where);
    }

    private static String prefixOf(String p, Where where) {
        try {
            return Backfill.folderPrefix(p);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), where);
        }
    }

    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

    private static String bucketName(String v, Where where) {
        String b = v.strip();
        if (b.isEmpty()) throw new UsageException("no bucket named: expected s3://BUCKET/PREFIX", where);
        if (!BUCKET_NAME.matcher(b).matches())
            throw new UsageException("'" + b + "' is not a bucket name (3 to 63 lower-case letters, digits, '.' and '-')", where);
        return b;
    }

    private static String tableName(String v, Where where) {
        String t = v.strip();
        if (!TABLE_NAME.matcher(t).matches())
            throw new UsageException("'" + t + "' is not a DynamoDB table name (3 to 255 letters, digits, '_', '-' and '.')", where);
        return t;
    }

    private static String endpoint(String name, String v, Where where) {
        String s = v.strip();
        try {
            URI u = URI.create(s);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null) return s;
        } catch (IllegalArgumentException e) {
            // said below
        }
        throw new UsageException(name + " must be an http(s) URL such as http://127.0.0.1:5000, not '" + v + "'", where);
    }

    private long integer(Option opt, String v) {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(opt.flag + " must be a whole number, not '" + v + "'", where);
        }
    }

    private long positive(Option opt, String v) {
        long n = integer(opt, v);
        if (n <= 0) throw new UsageException(opt.flag + " must be a positive number of bytes, not " + v, where);
        return n;
    }

    private static boolean set(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }
}
