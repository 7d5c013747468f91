package dev.tiledgateway.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command in a JVM of its own, started with the options the {@code tiled-gateway} script passes on this JDK
 * ({@code gateway_jvm_flags} of .ci/java-env): what it prints while it starts, reads Parquet into Arrow and registers
 * a Zarr array copied in is the banner, the backfill's summary and the registration, without the JVM's Unsafe
 * warning, hardwood's SIMD notice, or a line per Zarr chunk.
 */
class StartupNoiseTest {

    private static final Path FORMATS = Path.of("..", "functions", "formats", "src", "test", "resources");
    private static final Pattern BANNER = Pattern.compile(".* at http://127\\.0\\.0\\.1:([0-9]+)/api/v1/\\?api_key=([0-9a-f]{72})");

    @TempDir
    Path tmp;

    /** The script's JVM options for the JDK running this test. */
    static List<String> scriptFlags() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "source ../.ci/java-env >/dev/null && gateway_jvm_flags");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        List<String> flags = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        assertEquals(0, p.waitFor(), String.join("\n", flags));
        assertTrue(flags.contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), flags.toString());
        assertEquals(Runtime.version().feature() >= 24, flags.contains("--sun-misc-unsafe-memory-access=allow"),
                "passed exactly on the JDKs that know it: " + flags);
        return flags;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else if (!p.getFileName().toString().equals("expected.bin")) Files.copy(p, t);
            }
        }
    }

    @Test
    void startingReadingAndRegisteringPrintOnlyWhatTheUserNeeds() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.copy(FORMATS.resolve("table/types.parquet"), data.resolve("types.parquet"));
        copy(FORMATS.resolve("zarr/v2/comp_zstd"), data.resolve("at_start.zarr"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(scriptFlags());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "directory", data.toString(), "--port", "0"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        Path errFile = tmp.resolve("stderr.txt");
        pb.redirectError(errFile.toFile());
        Process p = pb.start();
        try {
            String banner = null;
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = out.readLine()) != null; ) {
                if (BANNER.matcher(line).matches()) {
                    banner = line;
                    break;
                }
            }
            assertNotNull(banner, "no banner; stderr: " + Files.readString(errFile));
            Matcher m = BANNER.matcher(banner);
            assertTrue(m.matches());
            // A private server with a generated key shows the URL with it, as tiled serve does; the client takes it from there.
            Http http = new Http(Integer.parseInt(m.group(1)), m.group(2));
            assertEquals(200, http.get("/api/v1/table/full/types?format=application/vnd.apache.arrow.file").statusCode(), "Parquet read into Arrow");
            assertEquals(200, http.get("/api/v1/table/full/types?format=text/csv").statusCode());
            copy(FORMATS.resolve("zarr/v2/comp_zstd"), data.resolve("copied_in.zarr"));
            assertEquals(200, http.await("/api/v1/metadata/copied_in", 200));
            assertEquals(200, http.get("/api/v1/array/full/copied_in").statusCode());
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        String err = Files.readString(errFile);
        assertFalse(err.contains("sun.misc.Unsafe"), err);
        assertFalse(err.contains("SIMD support"), err);
        assertFalse(err.contains("WARNING"), err);
        assertFalse(err.contains("a Zarr chunk"), err);
        assertTrue(err.contains("2 checked (2 found, 0 whose objects are gone): 2 registered,"), err);
        assertTrue(err.contains("\"REGISTERED\"") && err.contains("copied_in.zarr/.zarray"), "the registration itself is reported: " + err);
    }
}
