package dev.tiledgateway.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code serve directory PATH} keeps its catalog across restarts: nodes registered through the API are still there,
 * and the backfill at start brings the rest up to date with what changed while nothing watched (files changed, gone,
 * added). The catalog lives in the cache folder ($XDG_CACHE_HOME/tiled-gateway/directory-...), which the README
 * documents.
 */
class DirectoryRestartTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Main.Running serve(Path dir) {
        err.reset();
        Main.Result r = Main.execute(new String[] {"serve", "directory", dir.toString(), "--port", "0"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString()));
        assertEquals(Main.OK, r.status(), err.toString(StandardCharsets.UTF_8));
        return r.running();
    }

    private static String registration(String id, Path csv) {
        String uri = "file://localhost" + csv.toAbsolutePath().toUri().getRawPath();
        return "{\"id\": \"" + id + "\", \"structure_family\": \"table\", \"metadata\": {\"note\": \"registered through the API\"}, \"specs\": [],"
                + " \"ancestors\": [], \"data_sources\": [{\"structure_family\": \"table\", \"id\": null, \"mimetype\": \"text/csv\","
                + " \"parameters\": {}, \"properties\": {}, \"management\": \"external\","
                + " \"assets\": [{\"data_uri\": \"" + uri + "\", \"is_directory\": false, \"parameter\": \"data_uri\", \"num\": null}]}]}";
    }

    @Test
    void theCatalogIsKeptAndBroughtUpToDateAtTheNextStart() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(dir.resolve("changed.csv"), "a,b\n1,2\n");
        Files.writeString(dir.resolve("vanishing.csv"), "a,b\n1,2\n");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub").resolve("kept.csv"), "a,b\n1,2\n");
        Files.createDirectories(dir.resolve("gone_folder"));
        Files.writeString(dir.resolve("gone_folder").resolve("only.csv"), "a,b\n1,2\n");

        Main.Running first = serve(dir);
        Http http = new Http(first);
        HttpResponse<byte[]> posted = http.send("POST", "/api/v1/register/", registration("by_api", dir.resolve("sub").resolve("kept.csv")).getBytes(),
                "Content-Type", "application/json", "Accept", "application/json");
        assertEquals(200, posted.statusCode(), new String(posted.body()));
        Files.writeString(dir.resolve("watched.csv"), "w,v\n1,2\n");
        assertEquals(200, http.await("/api/v1/metadata/watched", 200), "registered by the watcher (a clock-sequenced event): " + err);
        first.close();

        // While nothing watches: a file changes, two go (one registered by the watcher's event), one folder empties, one file comes.
        Files.writeString(dir.resolve("changed.csv"), "a,b,c\n1,2,3\n");
        Files.delete(dir.resolve("vanishing.csv"));
        Files.delete(dir.resolve("watched.csv"));
        Files.delete(dir.resolve("gone_folder").resolve("only.csv"));
        Files.delete(dir.resolve("gone_folder"));
        Files.writeString(dir.resolve("added.csv"), "z,y\n9,8\n");

        Main.Running second = serve(dir);
        try {
            http = new Http(second);
            assertEquals("registered through the API", http.json("/api/v1/metadata/by_api").at("/data/attributes/metadata/note").asText(),
                    "a node registered through the API survives the restart");
            assertEquals("[\"a\",\"b\",\"c\"]", http.json("/api/v1/metadata/changed").at("/data/attributes/structure/columns").toString(),
                    "a file changed while nothing watched is registered again");
            assertEquals(404, http.get("/api/v1/metadata/vanishing").statusCode());
            assertEquals(404, http.get("/api/v1/metadata/watched").statusCode(), "removed although its creation was recorded by a real event");
            assertEquals(404, http.get("/api/v1/metadata/gone_folder").statusCode(), "an emptied folder's container is pruned");
            assertEquals(200, http.get("/api/v1/metadata/added").statusCode());
            assertEquals(200, http.get("/api/v1/metadata/sub/kept").statusCode());
            String summary = err.toString(StandardCharsets.UTF_8);
            assertTrue(summary.contains("(3 found, 3 whose objects are gone): 2 registered, 1 unchanged, 3 removed,"), summary);
        } finally {
            second.close();
        }
    }
}
