package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes through {@code serve directory PATH}: arrays and tables created and written through the API land in the
 * server's state folder ({@code managed/_managed/...}), never in the served folder, which stays byte for byte as it was
 * (every file listed and hashed before and after), even for a node written inside one of its folders; deleting the
 * written nodes removes their objects.
 */
class DirectoryWritesHttpTest {

    private static final Path FORMATS = Path.of("..", "functions", "formats", "src", "test", "resources");

    @TempDir
    Path tmp;

    /** Every file and folder under {@code root}, relative, with the SHA-256 of each file's bytes ("dir" for folders). */
    static Map<String, String> snapshot(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = root.relativize(p).toString();
                if (Files.isDirectory(p)) out.put(rel + "/", "dir");
                else out.put(rel, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return out;
    }

    static List<Path> filesUnder(Path root) throws Exception {
        if (!Files.exists(root)) return List.of();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }

    @Test
    void writesLandInTheStateFolderAndTheServedFolderIsUnchanged() throws Exception {
        Path served = Files.createDirectories(tmp.resolve("served"));
        Files.writeString(served.resolve("notes.csv"), "a,b\n1,2\n3,4\n");
        Files.createDirectories(served.resolve("sub"));
        Files.copy(FORMATS.resolve("table/types.parquet"), served.resolve("sub").resolve("types.parquet"));
        copy(FORMATS.resolve("zarr/v2/comp_zstd"), served.resolve("scan.zarr"));
        Files.delete(served.resolve("scan.zarr").resolve("expected.bin"));
        Map<String, String> before = snapshot(served);

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path cache = tmp.resolve("cache");
        Main.Result started = Main.execute(new String[] {"serve", "directory", served.toString(), "--port", "0"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("XDG_CACHE_HOME", cache.toString()));
        assertEquals(Main.OK, started.status(), err.toString(StandardCharsets.UTF_8));
        Main.Running running = started.running();
        try {
            Http http = new Http(running);
            Writes w = new Writes(http);
            assertEquals(200, http.get("/api/v1/metadata/sub/types").statusCode(), "the folder's own table is served");

            // An array at the top, written block by block, and a table inside one of the served folders' containers.
            w.container("", "results", "{\"kind\": \"analysis\"}");
            JsonNode doc = w.array("results", "image", WriteHttpTest.I4, "[4, 6]", "[[2, 2], [3, 3]]");
            byte[] whole = new byte[4 * 6 * 4];
            ByteBuffer wb = ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN);
            for (int bi = 0; bi < 2; bi++) for (int bj = 0; bj < 2; bj++) {
                ByteBuffer blk = ByteBuffer.allocate(2 * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) {
                    int v = (bi * 2 + i) * 1000 + bj * 3 + j;
                    blk.putInt(v);
                    wb.putInt(((bi * 2 + i) * 6 + bj * 3 + j) * 4, v);
                }
                w.block(doc, blk.array(), bi, bj);
            }
            Schema schema = TableWriteHttpTest.schema(true);
            w.create("sub", TableWriteHttpTest.tableBody("reduced", schema, 2));
            for (int p = 0; p < 2; p++)
                w.put(http.origin() + "/api/v1/table/partition/sub/reduced?partition=" + p, TableWriteHttpTest.arrow(schema, p * 3, 3),
                        "application/vnd.apache.arrow.file");

            assertArrayEquals(whole, http.data("/api/v1/array/full/results/image"));
            assertEquals(TableWriteHttpTest.expected(0, 6), TableWriteHttpTest.rows(
                    http.follow("/api/v1/table/full/sub/reduced", "Accept", "application/vnd.apache.arrow.file").body()));

            Path state = Serve.directoryState(stateHome(cache), served.toAbsolutePath().normalize());
            Path managed = state.resolve("managed").resolve("_managed");
            for (String node : List.of("results/image", "sub/reduced")) {
                Path file = Path.of(URI.create(w.dataUri(node)));
                assertTrue(file.startsWith(managed), node + " is stored in the state folder's managed area: " + file);
            }
            assertFalse(filesUnder(managed).isEmpty());
            Thread.sleep(1000); // the watcher's quiet period, several times over: nothing it could see happened
            assertEquals(before, snapshot(served), "the served folder is unchanged by the writes");
            assertEquals(404, http.get("/api/v1/metadata/sub/reduced_parquet").statusCode());

            w.delete("results");
            w.delete("sub/reduced");
            assertEquals(404, http.get("/api/v1/metadata/results/image").statusCode());
            assertEquals(404, http.get("/api/v1/metadata/sub/reduced").statusCode());
            assertEquals(List.of(), filesUnder(managed), "the written objects are removed with their nodes");
            assertEquals(200, http.get("/api/v1/metadata/sub/types").statusCode(), "the folder's own nodes stay");
            assertEquals(200, http.get("/api/v1/array/full/scan").statusCode());
            assertEquals(before, snapshot(served), "the served folder is unchanged by the deletes");
        } finally {
            running.close();
        }
    }

    private static Options stateHome(Path cache) {
        Options o = new Options();
        o.stateHome = Options.cacheHome(Map.of("XDG_CACHE_HOME", cache.toString()));
        return o;
    }
}
