package dev.tiledgateway.local;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run behind the launcher's start cache: {@code serve demo} on a temporary folder, a few rounds of the
 * requests a Tiled client makes first (the root, listings, a search, metadata, an array block, a slice, a table
 * partition, over real sockets), then a clean exit. The JDK (25 and later) records the classes this loads and links,
 * and their profiles, into the AOT cache named by {@code -XX:AOTCacheOutput}; {@code gateway_start_flags} of
 * .ci/java-env runs it once per build and JDK, and the launcher starts {@code serve} with that cache.
 *
 * <pre>java -XX:AOTCacheOutput=FILE -cp tiled-gateway.jar dev.tiledgateway.local.StartTraining</pre>
 * Exits 0 when every request answered 200, 1 otherwise (the cache is then not used).
 */
public final class StartTraining {

    /** The requests of one round: a client's first steps through the demo tree. */
    static final List<String> REQUESTS = List.of(
            "/api/v1/",
            "/api/v1/metadata/",
            "/api/v1/search/?page%5Boffset%5D=0&page%5Blimit%5D=100&fields=structure_family&fields=structure&sort=",
            "/api/v1/search/?filter%5Bfulltext%5D%5Bcondition%5D%5Btext%5D=image&fields=",
            "/api/v1/metadata/nested/images/small_image",
            "/api/v1/array/block/nested/images/small_image?block=0,0",
            "/api/v1/array/full/nested/images/small_image?slice=0:10,0:10&format=application/json",
            "/api/v1/metadata/nested/images/tiny_image",
            "/api/v1/metadata/tables/short_table",
            "/api/v1/table/partition/tables/short_table?partition=0&format=application/vnd.apache.arrow.file",
            "/api/v1/table/full/tables/short_table?format=text/csv");
    private static final int ROUNDS = 20;

    private StartTraining() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(System.err));
    }

    static int run(PrintStream err) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("tiled-gateway-start-training");
        try {
            Main.Result started = Main.execute(new String[] {"serve", "demo", "--port", "0", "--data-dir", dir.toString()},
                    new PrintStream(PrintStream.nullOutputStream()), err, Map.of());
            if (started.running() == null) return 1;
            try (Main.Running running = started.running(); HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                String base = "http://127.0.0.1:" + running.server().port();
                for (int round = 0; round < ROUNDS; round++) {
                    for (String path : REQUESTS) {
                        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                                .header("Accept-Encoding", "gzip, deflate, zstd").GET().build();
                        HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        if (resp.statusCode() != 200) {
                            err.println("tiled-gateway: start training: " + path + " answered " + resp.statusCode());
                            return 1;
                        }
                    }
                }
            }
            return 0;
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }
}
