package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code serve directory} over the formats module's TIFF fixtures, written by tifffile (see their README): the indexer
 * registers each readable file with the shape and dtype tifffile was given, {@code /array/full} answers its values
 * byte for byte; compressed and tiled files are registered from their header and their data is a 422 naming why;
 * files the indexer cannot describe (BigTIFF, complex samples) are not registered.
 */
class TiffServingHttpTest {

    private static final Path FIXTURES = Path.of("..", "functions", "formats", "src", "test", "resources", "tiff");
    private static final Set<String> REGISTERED_BUT_UNREADABLE = Set.of("compressed", "tiled");

    @TempDir
    static Path root;

    private static Main.Running running;
    private static Http http;

    @BeforeAll
    static void serve() throws IOException {
        Files.createDirectories(root.resolve("data"));
        try (Stream<Path> s = Files.list(FIXTURES)) {
            for (Path p : (Iterable<Path>) s::iterator) if (p.toString().endsWith(".tif")) Files.copy(p, root.resolve("data").resolve(p.getFileName()));
        }
        running = Main.serveDirectory("127.0.0.1", 0, root.resolve("data"), 4_500_000);
        http = new Http(running);
    }

    @AfterAll
    static void stop() { running.server().close(); }

    private static Iterable<java.util.Map.Entry<String, JsonNode>> fixtures() throws IOException {
        return Json.mapper().readTree(FIXTURES.resolve("manifest.json").toFile()).get("fixtures").properties();
    }

    @Test
    void everyReadableFixtureIsServedWithTheValuesTifffileWasGiven() throws Exception {
        int n = 0;
        for (var f : fixtures()) {
            if (!f.getValue().path("readable").asBoolean()) continue;
            String name = f.getKey();
            JsonNode structure = http.json("/api/v1/metadata/" + name).at("/data/attributes/structure");
            assertEquals(f.getValue().get("shape").toString(), structure.get("shape").toString(), name);
            assertEquals(f.getValue().get("dtype").asText(), dtype(structure.get("data_type")), name);
            assertArrayEquals(Files.readAllBytes(FIXTURES.resolve(name + ".bin")), http.data("/api/v1/array/full/" + name), name);
            n++;
        }
        assertEquals(15, n);
    }

    @Test
    void compressedAndTiledFixturesAre422AndTheOthersAreNotRegistered() throws Exception {
        int n = 0;
        for (var f : fixtures()) {
            if (f.getValue().path("readable").asBoolean()) continue;
            String name = f.getKey(), reason = f.getValue().get("reason").asText();
            HttpResponse<byte[]> r = http.get("/api/v1/array/full/" + name, "Accept", "application/octet-stream");
            if (REGISTERED_BUT_UNREADABLE.contains(reason)) {
                assertEquals(422, r.statusCode(), name + ": " + new String(r.body()));
                assertTrue(Http.detailOf(r).asText().contains(reason), name + ": " + Http.detailOf(r).asText());
                n++;
            } else {
                assertEquals(404, http.get("/api/v1/metadata/" + name).statusCode(), name + " is not registered");
            }
        }
        assertEquals(4, n, "two compressed and two tiled fixtures");
    }

    /** numpy's dtype string from Tiled's data_type ({"endianness": "big", "kind": "u", "itemsize": 2}). */
    private static String dtype(JsonNode t) {
        String e = switch (t.get("endianness").asText()) {
            case "big" -> ">";
            case "little" -> "<";
            default -> "|";
        };
        return e + t.get("kind").asText() + t.get("itemsize").asInt();
    }
}
