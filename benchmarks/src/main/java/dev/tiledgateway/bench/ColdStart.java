package dev.tiledgateway.bench;

import dev.tiledgateway.aws.AwsBackendFactory;
import dev.tiledgateway.aws.ServerKeySecret;
import dev.tiledgateway.core.auth.Access;
import dev.tiledgateway.testkit.MotoServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Fresh JVMs timed from {@link ProcessBuilder#start()} to their first answer: a hello-world (the floor), the API
 * handler answering one recorded event as Lambda would ({@link ColdStartHandler}), and the local server
 * ({@code serve demo}) polled until {@code /api/v1/metadata/} answers 200: with the JVM's options only, and, given
 * start flags, also as the {@code tiled-gateway} launcher starts it ({@code gateway_start_flags} of .ci/java-env: the
 * JDK's AOT cache of this build, recorded by a training run before the benchmark).
 */
final class ColdStart {

    /**
     * The options tiled-gateway runs with (as .ci/java-env's gateway_jvm_flags gives them) for JVMs of this JDK: from
     * JDK 24 on, Arrow's use of sun.misc.Unsafe is allowed explicitly; older JDKs do not know that option.
     */
    static final List<String> FLAGS = Runtime.version().feature() >= 24
            ? List.of("--add-opens=java.base/java.nio=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow")
            : List.of("--add-opens=java.base/java.nio=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED");
    /**
     * What AWS's Java managed runtimes put in JAVA_TOOL_OPTIONS by default, and what the template's functions set
     * there (with {@code -XX:+TieredCompilation}, the default, and Arrow's {@code --add-opens}, which {@link #FLAGS} has).
     */
    static final String LAMBDA_TIERED = "-XX:TieredStopAtLevel=1";
    private static final Pattern HANDLER_LINE = Pattern.compile("status=200 init_ms=([0-9.]+)(?: prime_ms=([0-9.]+))? handle_ms=([0-9.]+) .*");
    private static final Duration GIVE_UP = Duration.ofSeconds(120);
    /** The key the authorizer's cold start is given and presents (a fixed one: the figure is the same for any). */
    static final String SERVER_KEY = "bench_" + "0123456789abcdef".repeat(4);

    private final Path java;
    private final Path benchJar;
    private final Path gatewayJar;
    private final Path dataDir;
    private final Path logs;
    /** The API function's deployment jar (functions/api/target/api-lambda.jar), or null: its row is not measured. */
    private final Path apiJar;
    /** The launcher's start options for {@code serve} (empty: that kind is not measured). */
    private final List<String> startFlags;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    ColdStart(Path java, Path benchJar, Path gatewayJar, Path apiJar, Path dataDir, Path logs, List<String> startFlags) {
        this.startFlags = List.copyOf(startFlags);
        this.apiJar = apiJar;
        this.java = java;
        this.benchJar = benchJar;
        this.gatewayJar = gatewayJar;
        this.dataDir = dataDir;
        this.logs = logs;
    }

    /** One round after a discarded one, {@code rounds} measured; each round launches every kind once, in turn. */
    Results run(int rounds) throws IOException, InterruptedException {
        Results r = new Results();
        if (!Files.exists(dataDir.resolve("demo-complete")))
            r.put("cold.server_first_ms", Stats.millis(server(List.of())));
        long[] hello = new long[rounds], handler = new long[rounds], tiered = new long[rounds], server = new long[rounds], launched = new long[rounds];
        long[] init = new long[rounds], handle = new long[rounds], authorizer = new long[rounds], authorizerC1 = new long[rounds];
        long[] c1Init = new long[rounds], c1Handle = new long[rounds], primedPrime = new long[rounds], primedHandle = new long[rounds];
        long[] authorizerC1Handle = new long[rounds], authorizerPrime = new long[rounds], authorizerPrimedHandle = new long[rounds];
        long[] aws = new long[rounds], awsInit = new long[rounds], awsHandle = new long[rounds], awsPrimedHandle = new long[rounds], awsPrime = new long[rounds];
        long[] sdk = new long[rounds], sdkInit = new long[rounds], sdkHandle = new long[rounds];
        try (Deployed function = deployed()) {
        for (int i = -1; i < rounds; i++) {
            long h = firstLine(List.of("-cp", benchJar.toString(), Hello.class.getName()), null);
            double[] inner = new double[3], c1 = new double[3], primed = new double[3];
            long a = handlerRun(List.of(), inner);
            long b = handlerRun(List.of(LAMBDA_TIERED), c1);
            handlerRun(List.of(LAMBDA_TIERED), primed, false, "--primed");
            long az = handlerRun(List.of("-cp", benchJar.toString(), ColdStartAuthorizer.class.getName()), null, true);
            double[] azInner = new double[3], azPrimed = new double[3];
            long azc = handlerRun(List.of(LAMBDA_TIERED, "-cp", benchJar.toString(), ColdStartAuthorizer.class.getName()), azInner, true);
            handlerRun(List.of(LAMBDA_TIERED, "-cp", benchJar.toString(), ColdStartAuthorizer.class.getName()), azPrimed, true, "--primed");
            double[] awsInner = new double[3], awsPrimed = new double[3];
            long aw = function == null ? 0 : function.run(ColdStartHandler.class, awsInner);
            if (function != null) function.run(ColdStartHandler.class, awsPrimed, "--primed");
            double[] sdkInner = new double[3];
            long sf = function == null ? 0 : function.run(ColdStartSdkFloor.class, sdkInner);
            long s = server(List.of());
            long sl = startFlags.isEmpty() ? 0 : server(startFlags);
            if (i < 0) continue;
            aws[i] = aw;
            awsInit[i] = (long) (awsInner[0] * 1e6);
            awsHandle[i] = (long) (awsInner[2] * 1e6);
            awsPrime[i] = (long) (awsPrimed[1] * 1e6);
            awsPrimedHandle[i] = (long) (awsPrimed[2] * 1e6);
            sdk[i] = sf;
            sdkInit[i] = (long) (sdkInner[0] * 1e6);
            sdkHandle[i] = (long) (sdkInner[2] * 1e6);
            launched[i] = sl;
            hello[i] = h;
            handler[i] = a;
            tiered[i] = b;
            authorizer[i] = az;
            authorizerC1[i] = azc;
            authorizerC1Handle[i] = (long) (azInner[2] * 1e6);
            authorizerPrime[i] = (long) (azPrimed[1] * 1e6);
            authorizerPrimedHandle[i] = (long) (azPrimed[2] * 1e6);
            server[i] = s;
            init[i] = (long) (inner[0] * 1e6);
            handle[i] = (long) (inner[2] * 1e6);
            c1Init[i] = (long) (c1[0] * 1e6);
            c1Handle[i] = (long) (c1[2] * 1e6);
            primedPrime[i] = (long) (primed[1] * 1e6);
            primedHandle[i] = (long) (primed[2] * 1e6);
        }
        if (function != null) {
            r.put("cold.aws_c1_ms", Stats.millis(Stats.median(aws)));
            r.put("cold.aws_c1_init_ms", Stats.millis(Stats.median(awsInit)));
            r.put("cold.aws_c1_handle_ms", Stats.millis(Stats.median(awsHandle)));
            r.put("cold.aws_primed_prime_ms", Stats.millis(Stats.median(awsPrime)));
            r.put("cold.aws_primed_handle_ms", Stats.millis(Stats.median(awsPrimedHandle)));
            r.put("cold.aws_sdk_ms", Stats.millis(Stats.median(sdk)));
            r.put("cold.aws_sdk_init_ms", Stats.millis(Stats.median(sdkInit)));
            r.put("cold.aws_sdk_handle_ms", Stats.millis(Stats.median(sdkHandle)));
        }
        }
        r.put("cold.authorizer_ms", Stats.millis(Stats.median(authorizer)));
        r.put("cold.authorizer_c1_ms", Stats.millis(Stats.median(authorizerC1)));
        r.put("cold.authorizer_c1_handle_ms", Stats.millis(Stats.median(authorizerC1Handle)));
        r.put("cold.authorizer_primed_prime_ms", Stats.millis(Stats.median(authorizerPrime)));
        r.put("cold.authorizer_primed_handle_ms", Stats.millis(Stats.median(authorizerPrimedHandle)));
        r.put("cold.rounds", rounds);
        r.put("cold.hello_ms", Stats.millis(Stats.median(hello)));
        r.put("cold.handler_ms", Stats.millis(Stats.median(handler)));
        r.put("cold.handler_init_ms", Stats.millis(Stats.median(init)));
        r.put("cold.handler_handle_ms", Stats.millis(Stats.median(handle)));
        r.put("cold.handler_c1_ms", Stats.millis(Stats.median(tiered)));
        r.put("cold.handler_c1_init_ms", Stats.millis(Stats.median(c1Init)));
        r.put("cold.handler_c1_handle_ms", Stats.millis(Stats.median(c1Handle)));
        r.put("cold.primed_prime_ms", Stats.millis(Stats.median(primedPrime)));
        r.put("cold.primed_handle_ms", Stats.millis(Stats.median(primedHandle)));
        r.put("cold.server_ms", Stats.millis(Stats.median(server)));
        if (!startFlags.isEmpty()) {
            r.put("cold.server_launcher_ms", Stats.millis(Stats.median(launched)));
        }
        return r;
    }

    private long handlerRun(List<String> extraFlags, double[] inner) throws IOException, InterruptedException {
        return handlerRun(extraFlags, inner, false);
    }

    /**
     * @param whole {@code extraFlags} already name the class to run (the authorizer's cold start)
     * @param inner null, or the handler's own construction, priming and first-event times (ms)
     */
    private long handlerRun(List<String> extraFlags, double[] inner, boolean whole, String... mainArgs) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(extraFlags);
        if (!whole) args.addAll(List.of("-cp", benchJar.toString(), ColdStartHandler.class.getName()));
        args.addAll(List.of(mainArgs));
        return timedHandler(javaProcess(args, "launch"), args, inner);
    }

    /**
     * Nanoseconds to the handler's line ({@link #firstLine}), which must be {@link #HANDLER_LINE}'s; {@code inner}, if
     * not null, gets the construction, priming and first-event times it names (ms).
     */
    private long timedHandler(ProcessBuilder pb, List<String> args, double[] inner) throws IOException, InterruptedException {
        String[] line = new String[1];
        long t = firstLine(pb, args, line);
        Matcher m = HANDLER_LINE.matcher(line[0]);
        if (!m.matches()) throw new IllegalStateException("handler cold start answered: " + line[0]);
        if (inner != null) for (int g = 0; g < 3; g++) inner[g] = m.group(g + 1) == null ? 0 : Double.parseDouble(m.group(g + 1));
        return t;
    }

    /**
     * The API function as Lambda runs it, or null when there is no deployment jar or no moto (its rows are then "not
     * measured", and the reason logged): the deployment jar unpacked into a folder (Lambda unpacks the package into
     * {@code /var/task} and loads classes from there), the two benchmark classes that time it beside it, and its
     * backend the template's, S3 and DynamoDB, on moto in a process of its own. The bucket, the table and the root
     * are created by one run before the timed ones.
     */
    private Deployed deployed() throws IOException, InterruptedException {
        if (apiJar == null || !Files.isRegularFile(apiJar)) {
            EndToEnd.log("cold starts: no API function jar (" + apiJar + "): the API function on S3 + DynamoDB is not measured");
            return null;
        }
        MotoServer moto;
        try {
            moto = MotoServer.start();
        } catch (RuntimeException e) {
            EndToEnd.log("cold starts: moto did not start (" + e.getMessage() + "): the API function on S3 + DynamoDB is not measured");
            return null;
        }
        Path folder = Files.createTempDirectory(logs, "api-function-");
        Deployed d = new Deployed(moto, folder);
        try {
            unpack(apiJar, folder.resolve("task"));
            Path timer = Files.createDirectories(folder.resolve("timer"));
            for (String resource : List.of(classFile(ColdStartHandler.class), classFile(ColdStartSdkFloor.class), classFile(Events.class),
                    Events.METADATA_ROOT.substring(1))) {
                Path to = timer.resolve(resource);
                Files.createDirectories(to.getParent());
                try (var in = ColdStart.class.getResourceAsStream("/" + resource)) {
                    if (in == null) throw new IllegalStateException("missing resource " + resource);
                    Files.copy(in, to);
                }
            }
            d.create();
            return d;
        } catch (IOException | RuntimeException | InterruptedException e) {
            d.close();
            throw e;
        }
    }

    private static String classFile(Class<?> c) { return c.getName().replace('.', '/') + ".class"; }

    /** The entries of {@code jar} as files under {@code into}, as Lambda unpacks a deployment package. */
    private static void unpack(Path jar, Path into) throws IOException {
        Path root = Files.createDirectories(into).toRealPath();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (var entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry e = entries.nextElement();
                Path to = root.resolve(e.getName()).normalize();
                if (!to.startsWith(root)) throw new IOException("entry outside the folder: " + e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(to);
                    continue;
                }
                Files.createDirectories(to.getParent());
                try (var in = zip.getInputStream(e)) {
                    Files.copy(in, to);
                }
            }
        }
    }

    /** The unpacked API function and its moto; closing stops moto and deletes the folder. */
    private final class Deployed implements AutoCloseable {
        private static final String BUCKET = "bench-cold-start", TABLE = "bench-cold-start", SECRET = "bench-cold-start-server-key";
        private final MotoServer moto;
        private final Path folder;

        Deployed(MotoServer moto, Path folder) {
            this.moto = moto;
            this.folder = folder;
        }

        private List<String> command(Class<?> main, String... mainArgs) {
            List<String> args = new ArrayList<>(List.of(LAMBDA_TIERED, "-cp",
                    folder.resolve("task") + File.pathSeparator + folder.resolve("timer"), main.getName()));
            args.addAll(List.of(mainArgs));
            return args;
        }

        private ProcessBuilder process(List<String> args, boolean create) {
            ProcessBuilder pb = javaProcess(args, "launch");
            Map<String, String> env = pb.environment();
            env.remove("TILED_GATEWAY_DATA_DIR");
            env.put(AwsBackendFactory.BUCKET, BUCKET);
            env.put(AwsBackendFactory.TABLE, TABLE);
            env.put(AwsBackendFactory.S3_ENDPOINT, moto.endpoint().toString());
            env.put(AwsBackendFactory.DYNAMODB_ENDPOINT, moto.endpoint().toString());
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_ACCESS_KEY_ID", "testing");
            env.put("AWS_SECRET_ACCESS_KEY", "testing");
            env.remove("AWS_SESSION_TOKEN");
            // The server's key from its secret, as the template gives it, not from a variable.
            env.remove(Access.API_KEY);
            env.put(ServerKeySecret.SECRET, SECRET);
            env.put(ServerKeySecret.ENDPOINT, moto.endpoint().toString());
            if (create) env.put(AwsBackendFactory.CREATE_RESOURCES, "true");
            else env.remove(AwsBackendFactory.CREATE_RESOURCES);
            return pb;
        }

        /**
         * The server's key in a secret, as the template's stack generates it and names it to the function, and the bucket,
         * the table and the root, by one run of the function that creates them (not timed).
         */
        void create() throws IOException, InterruptedException {
            try (SecretsManagerClient secrets = SecretsManagerClient.builder().region(Region.US_EAST_1)
                    .endpointOverride(moto.endpoint()).httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build()) {
                secrets.createSecret(c -> c.name(SECRET).secretString(SERVER_KEY));
            }
            firstLine(process(command(ColdStartHandler.class), true), List.of("create"), new String[1]);
        }

        /**
         * One cold start of {@code main} ({@link ColdStartHandler}, or {@link ColdStartSdkFloor} for the SDK's share alone);
         * {@code inner} gets the construction, priming and first-event times (ms) it prints.
         */
        long run(Class<?> main, double[] inner, String... mainArgs) throws IOException, InterruptedException {
            List<String> args = command(main, mainArgs);
            return timedHandler(process(args, false), args, inner);
        }

        @Override
        public void close() throws IOException {
            moto.close();
            Trees.delete(folder);
        }
    }

    private ProcessBuilder javaProcess(List<String> args, String log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(FLAGS);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("TILED_GATEWAY_DATA_DIR", dataDir.toString());
        // The recorded event carries no authorizer context: the handler answers it as a public deployment would.
        pb.environment().put("TILED_GATEWAY_PUBLIC", "true");
        pb.environment().put("TILED_GATEWAY_API_KEY", SERVER_KEY); // the authorizer's cold start presents it
        pb.redirectError(logs.resolve(log + ".err").toFile());
        return pb;
    }

    /**
     * Nanoseconds from start to the first line on stdout that is not a JSON request line (the handlers print theirs,
     * as on Lambda, before the benchmark's line); the process must then exit 0.
     */
    private long firstLine(List<String> args, String[] lineOut) throws IOException, InterruptedException {
        return firstLine(javaProcess(args, "launch"), args, lineOut);
    }

    private long firstLine(ProcessBuilder pb, List<String> args, String[] lineOut) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = pb.start();
        String line;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            do line = out.readLine(); while (line != null && line.startsWith("{"));
            long t = System.nanoTime() - t0;
            if (!p.waitFor(GIVE_UP.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
            }
            if (line == null || p.exitValue() != 0)
                throw new IllegalStateException(String.join(" ", args) + " failed (exit " + p.exitValue() + "): " + line + "\n" + tail("launch.err"));
            if (lineOut != null) lineOut[0] = line;
            return t;
        }
    }

    /**
     * Nanoseconds from starting {@code serve demo} (with {@code extraFlags} besides the JVM's options) to the first 200
     * from {@code /api/v1/metadata/}; the server is then stopped.
     */
    private long server(List<String> extraFlags) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> args = new ArrayList<>(extraFlags);
        args.addAll(List.of("-jar", gatewayJar.toString(), "serve", "demo", "--port", String.valueOf(port), "--data-dir", dataDir.toString()));
        ProcessBuilder pb = javaProcess(args, "server");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/metadata/"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            while (true) {
                try {
                    if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return System.nanoTime() - t0;
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (!p.isAlive()) throw new IllegalStateException("server exited with " + p.exitValue() + "\n" + tail("server.err"));
                if (System.nanoTime() - t0 > GIVE_UP.toNanos()) throw new IllegalStateException("server did not answer within " + GIVE_UP);
                Thread.sleep(2);
            }
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
    }

    private String tail(String log) {
        try {
            List<String> lines = Files.readAllLines(logs.resolve(log));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
