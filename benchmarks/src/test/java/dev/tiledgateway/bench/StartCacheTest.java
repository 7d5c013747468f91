package dev.tiledgateway.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
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
 * The launcher's start cache ({@code gateway_start_flags} of .ci/java-env) on the packaged {@code tiled-gateway.jar}:
 * on JDK 25 and later, the first call records the JDK's AOT cache by the training run and names it; later calls name
 * the same file without recording again; {@code serve demo} starts from it (with {@code -XX:AOTMode=on}, which refuses
 * to start from a cache it cannot use) and prints nothing of it; and a rebuilt jar gets a cache of its own, which
 * replaces the old one. On older JDKs there are no start options.
 */
class StartCacheTest {

    private static final Path JAR = Path.of("..", "local", "target", "tiled-gateway.jar");
    private static final Pattern BANNER = Pattern.compile("tiled-gateway: serving the demo tree at (http://127\\.0\\.0\\.1:[0-9]+/api/v1/) .*");

    @TempDir
    Path tmp;

    private record Call(List<String> flags, String err) {}

    private Call startFlags(Path jar) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "source ../.ci/java-env >/dev/null && gateway_start_flags \"$1\"", "bash", jar.toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        pb.environment().remove("TILED_GATEWAY_START_CACHE");
        Path err = tmp.resolve("flags.err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        List<String> flags = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(err));
        return new Call(flags, Files.readString(err));
    }

    private List<Path> caches() throws IOException {
        Path dir = tmp.resolve("cache").resolve("tiled-gateway").resolve("jvm");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".aot")).sorted().toList();
        }
    }

    @Test
    void serveStartsFromTheCacheOfItsBuildRecordedOnce() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " is packaged before this module's tests (mvn verify, or -pl benchmarks -am package)");
        Call first = startFlags(JAR);
        if (Runtime.version().feature() < 25) {
            assertEquals(List.of(), first.flags(), "no AOT cache before JDK 25");
            return;
        }
        assertEquals(1, first.flags().size(), first.toString());
        assertTrue(first.flags().getFirst().startsWith("-XX:AOTCache="), first.toString());
        assertTrue(first.err().contains("recording a faster start"), first.err());
        assertFalse(first.err().contains("could not record"), first.err());
        List<Path> recorded = caches();
        assertEquals(1, recorded.size(), recorded.toString());
        assertEquals("-XX:AOTCache=" + recorded.getFirst(), first.flags().getFirst());
        FileTime made = Files.getLastModifiedTime(recorded.getFirst());

        Call again = startFlags(JAR);
        assertEquals(first.flags(), again.flags());
        assertEquals("", again.err(), "recorded once per build");
        assertEquals(made, Files.getLastModifiedTime(recorded.getFirst()));

        serveDemo(first.flags());

        // Another build of the jar (here: the same bytes, written later) gets a cache of its own, and the old one goes.
        Path rebuilt = tmp.resolve("tiled-gateway.jar");
        Files.copy(JAR, rebuilt);
        Files.setLastModifiedTime(rebuilt, FileTime.fromMillis(Files.getLastModifiedTime(JAR).toMillis() + 60_000));
        Call other = startFlags(rebuilt);
        assertEquals(1, other.flags().size(), other.toString());
        assertFalse(other.flags().equals(first.flags()), other.toString());
        assertEquals(List.of(Path.of(other.flags().getFirst().substring("-XX:AOTCache=".length()))), caches(), "only the new build's cache is kept");
    }

    @Test
    void aTrainingRunThatFailsLeavesTheStartAsItWasAndIsNotTriedAgainForThatBuild() throws Exception {
        if (Runtime.version().feature() < 25) return; // no training before JDK 25 (the test above checks there are no options)
        Path broken = tmp.resolve("broken.jar");
        Files.writeString(broken, "not a jar");
        Call first = startFlags(broken);
        assertEquals(List.of(), first.flags());
        assertTrue(first.err().contains("could not record it"), first.err());
        assertEquals(List.of(), caches());
        Call again = startFlags(broken);
        assertEquals(List.of(), again.flags());
        assertEquals("", again.err(), "not tried again for the same build");
    }

    /** {@code serve demo} started from the cache, required to be usable, answers; nothing about the cache is printed. */
    private void serveDemo(List<String> startFlags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ColdStart.FLAGS);
        cmd.addAll(startFlags);
        cmd.add("-XX:AOTMode=on");
        cmd.addAll(List.of("-jar", JAR.toString(), "serve", "demo", "--port", "0", "--data-dir", tmp.resolve("demo").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Path err = tmp.resolve("serve.err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        try {
            String banner = null;
            List<String> other = new ArrayList<>();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = out.readLine()) != null; ) {
                if (BANNER.matcher(line).matches()) {
                    banner = line;
                    break;
                }
                other.add(line);
            }
            assertNotNull(banner, "no banner; stdout " + other + "; stderr: " + Files.readString(err));
            assertEquals(List.of(), other, "nothing before the banner");
            Matcher m = BANNER.matcher(banner);
            assertTrue(m.matches());
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(m.group(1) + "metadata/")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        String said = Files.readString(err);
        assertFalse(said.toLowerCase(java.util.Locale.ROOT).contains("aot") || said.contains("[warning]"), said);
    }
}
