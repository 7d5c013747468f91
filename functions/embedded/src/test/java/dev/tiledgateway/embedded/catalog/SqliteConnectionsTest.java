package dev.tiledgateway.embedded.catalog;

import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver's native library as {@link SqliteConnections} loads it, each case in a JVM of its own (a library loads
 * once per JVM), with a temporary folder of its own and the JVM's log of the libraries it loads.
 */
class SqliteConnectionsTest {

    /** Opens a catalog, writes and reads a node, and prints {@code ok}. */
    public static void main(String[] args) throws Exception {
        try (SqliteCatalog c = new SqliteCatalog(Path.of(args[0]))) {
            c.put(Node.container(NodePath.of("x"), Json.object().put("k", 1), List.of()));
            if (c.get(NodePath.of("x")).orElseThrow().metadata().path("k").asInt() != 1) throw new IllegalStateException("not read back");
        }
        try (SqliteApiKeyStore keys = new SqliteApiKeyStore(Path.of(args[0]))) {
            System.out.println("ok");
        }
    }

    private record Run(String out, Path tmp) {}

    private static Run run(Path dir, String... extraFlags) throws IOException, InterruptedException {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-Xlog:library=info", "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(List.of(extraFlags));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SqliteConnectionsTest.class.getName(), dir.resolve("c.db").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.lines().anyMatch("ok"::equals), out);
        return new Run(out, tmp);
    }

    private static List<String> loaded(String log) {
        return log.lines().filter(l -> l.contains("Loaded library") && l.contains("sqlitejdbc")).toList();
    }

    @Test
    void theLibraryIsLoadedFromAPrivateFolderThatIsGoneOnceLoaded(@TempDir Path dir) throws Exception {
        Run r = run(dir);
        List<String> lines = loaded(r.out());
        assertEquals(1, lines.size(), r.out());
        assertTrue(lines.get(0).contains(r.tmp().resolve("tiled-gateway-sqlite-").toString()), lines.get(0));
        try (Stream<Path> left = Files.list(r.tmp())) {
            assertEquals(List.of(), left.toList(), "nothing is left in the temporary folder");
        }
    }

    @Test
    void theLibrarysFolderInTheJarIsTheOneTheDriverNames() {
        assertEquals(org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath(), SqliteConnections.resourceFolder());
    }

    @Test
    void noProcessIsStartedToFindTheLibrary(@TempDir Path dir) throws Exception {
        // the driver's own lookup runs uname -o in a new process on Linux
        Run r = run(dir, "-Xlog:class+load=info");
        assertTrue(r.out().contains("org.sqlite.SQLiteJDBCLoader "), "the class log was not read");
        assertTrue(r.out().lines().noneMatch(l -> l.contains(" java.lang.ProcessBuilder ") || l.contains(" org.sqlite.util.ProcessRunner ")),
                "a process was started");
    }

    @Test
    void aConfiguredLibraryLocationIsLeftToTheDriver(@TempDir Path dir) throws Exception {
        // where the driver's own extraction would have put it; configured, so the driver loads it from there itself
        Path lib = Files.createDirectories(dir.resolve("lib"));
        try (var in = org.sqlite.SQLiteJDBCLoader.class.getResourceAsStream(org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath()
                + "/" + org.sqlite.util.LibraryLoaderUtil.getNativeLibName())) {
            Files.write(lib.resolve("copy-of-sqlitejdbc.so"), in.readAllBytes());
        }
        Run r = run(dir, "-Dorg.sqlite.lib.path=" + lib, "-Dorg.sqlite.lib.name=copy-of-sqlitejdbc.so");
        List<String> lines = loaded(r.out());
        assertEquals(1, lines.size(), r.out());
        assertTrue(lines.get(0).contains(lib.resolve("copy-of-sqlitejdbc.so").toString()), lines.get(0));
        assertTrue(Files.exists(lib.resolve("copy-of-sqlitejdbc.so")), "the configured library is not ours to delete");
    }
}
