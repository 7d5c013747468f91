package dev.tiledgateway.bench;

import dev.tiledgateway.local.Main;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The end-to-end driver: cold starts (fresh JVMs), then the local server in this JVM for array throughput, table
 * partition and export throughput, and concurrent metadata load. Writes its figures to a properties file for {@link Report}.
 *
 * <pre>EndToEnd --data-dir DIR --gateway-jar local/target/tiled-gateway.jar --out FILE [--rounds 5] [--load-seconds 10]
 *          [--clients 16] [--table-seconds 5] [--table-clients 4] [--tables-only]
 *          [--api-jar functions/api/target/api-lambda.jar]</pre>
 *
 * <p>{@code --api-jar} names the API function's deployment jar: its cold start is then also measured as Lambda runs
 * it, unpacked, on S3 and DynamoDB (moto).
 *
 * <p>{@code --tables-only} runs the table step alone (no cold starts, arrays or metadata load; {@code --gateway-jar} not needed).
 */
public final class EndToEnd {

    private EndToEnd() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = null, gatewayJar = null, apiJar = null, out = null;
        int rounds = 5, loadSeconds = 10, clients = 16, tableSeconds = 5, tableClients = 4;
        boolean tablesOnly = false;
        List<String> startFlags = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--gateway-jar" -> gatewayJar = Path.of(args[++i]);
                case "--api-jar" -> apiJar = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--load-seconds" -> loadSeconds = Integer.parseInt(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--table-seconds" -> tableSeconds = Integer.parseInt(args[++i]);
                case "--table-clients" -> tableClients = Integer.parseInt(args[++i]);
                case "--tables-only" -> tablesOnly = true;
                case "--server-start-flag" -> startFlags.add(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (dataDir == null || (gatewayJar == null && !tablesOnly) || out == null)
            throw new IllegalArgumentException("usage: EndToEnd --data-dir DIR --gateway-jar JAR --out FILE [--rounds N] [--load-seconds S] [--clients N] [--table-seconds S] [--table-clients N] [--tables-only] [--server-start-flag F]... [--api-jar JAR]");
        Files.createDirectories(dataDir);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path benchJar = Path.of(EndToEnd.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path logs = Files.createDirectories(out.toAbsolutePath().getParent().resolve("logs"));

        Results r = new Results();
        r.put("e2e.load_start", Load.now());
        if (!tablesOnly) {
            log("cold starts: " + (rounds + 1) + " rounds of hello / handler / handler C1 / handler C1 primed / authorizer / API function on moto / server");
            r.putAll(new ColdStart(java, benchJar, gatewayJar, apiJar, dataDir, logs, startFlags).run(rounds));
            r.save(out);
        }

        Main.Running running = Main.serveDemo("127.0.0.1", 0, dataDir, 4_500_000);
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(5)).build()) {
            String base = "http://127.0.0.1:" + running.server().port();
            if (!tablesOnly) {
                log("array throughput: 8 MB and 100 MB reads of big_image vs the chunk files");
                r.putAll(new ArrayThroughput(http, base, dataDir).run());
                r.save(out);
            }
            log("tables: long_table partitions (1 and " + tableClients + " clients) and CSV/Parquet exports vs the part files");
            try {
                new TableThroughput(base, dataDir).run(r, tableClients, Duration.ofSeconds(2), Duration.ofSeconds(tableSeconds));
            } catch (Exception | AssertionError e) {
                // Its rows stay "not measured"; the metadata load still runs.
                log("table throughput failed: " + e);
                e.printStackTrace();
            }
            r.save(out);
            if (!tablesOnly) {
                log("metadata: " + clients + " clients, 5 s warm-up, " + loadSeconds + " s measured");
                r.putAll(new MetadataLoad(base).run(clients, Duration.ofSeconds(5), Duration.ofSeconds(loadSeconds)));
                r.save(out);
                log("authorization: metadata with and without a key, interleaved");
                r.putAll(new AuthOverhead(base, running.apiKey()).run(500, 2000));
                r.save(out);
            }
        } finally {
            running.server().close();
        }
        r.put("e2e.load_end", Load.now());
        r.save(out);
        log("done");
        System.exit(0); // the demo's dynamic-array ticker is not stopped by closing the server
    }

    static void log(String s) {
        System.err.println("[end-to-end] " + s);
    }

    /** Whether {@code e} is {@link ProcessBuilder#start}'s failure to find the program (curl missing: "not measured"). */
    static boolean programMissing(Throwable e) {
        return e instanceof java.io.IOException && e.getMessage() != null && e.getMessage().startsWith("Cannot run program");
    }
}
