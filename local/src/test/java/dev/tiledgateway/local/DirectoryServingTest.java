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
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code serve directory} over the formats module's fixtures, written by zarr-python (v2) and from the
 * spec's examples (v3): every array reads back byte for byte over HTTP, folders and groups become containers.
 */
class DirectoryServingTest {

    private static final Path FIXTURES = Path.of("..", "functions", "formats", "src", "test", "resources", "zarr");

    @TempDir
    static Path root;

    private static Main.Running running;
    private static Http http;

    @BeforeAll
    static void serve() throws IOException {
        copy(FIXTURES, root.resolve("data"));
        running = Main.serveDirectory("127.0.0.1", 0, root.resolve("data"), 4_500_000);
        http = new Http(running);
    }

    @AfterAll
    static void stop() { running.server().close(); }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void everyFixtureArrayReadsBackExactly() throws Exception {
        JsonNode manifest = Json.mapper().readTree(FIXTURES.resolve("manifest.json").toFile());
        int n = 0;
        for (JsonNode a : manifest.get("arrays")) {
            String path = a.get("path").asText();
            JsonNode meta = http.json("/api/v1/metadata/" + path).get("data");
            assertEquals("array", meta.at("/attributes/structure_family").asText(), path);
            assertEquals(a.get("shape").toString(), meta.at("/attributes/structure/shape").toString(), path);
            byte[] expected = Files.readAllBytes(FIXTURES.resolve(path).resolve("expected.bin"));
            assertArrayEquals(expected, http.data("/api/v1/array/full/" + path), path);
            n++;
        }
        assertTrue(n > 90, "the manifest lists every fixture array");
    }

    @Test
    void groupsAndFoldersAreContainers() throws Exception {
        JsonNode v2 = http.json("/api/v1/search/?fields=");
        assertEquals(2, v2.at("/meta/count").asInt());
        assertEquals("container", http.json("/api/v1/metadata/v2/grp").at("/data/attributes/structure_family").asText());
        assertEquals("container", http.json("/api/v1/metadata/v3/implicit/child").at("/data/attributes/structure_family").asText());
        assertTrue(http.json("/api/v1/search/v2/grp/sub?fields=").at("/meta/count").asInt() >= 1);
    }

    @Test
    void filesCopiedInAreServedWithinSecondsAndDeletedOnesDisappear() throws Exception {
        Path data = root.resolve("data");
        copy(FIXTURES.resolve("v2").resolve("comp_zstd"), data.resolve("incoming").resolve("fresh.zarr"));
        Path tables = Path.of("..", "functions", "formats", "src", "test", "resources", "table");
        Path parquet;
        try (Stream<Path> s = Files.list(tables)) {
            parquet = s.filter(p -> p.toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
        }
        Files.copy(parquet, data.resolve("incoming").resolve("fresh_table.parquet"));
        assertEquals(200, http.await("/api/v1/metadata/incoming/fresh", 200), "the Zarr array copied in (key without .zarr)");
        assertArrayEquals(Files.readAllBytes(FIXTURES.resolve("v2/comp_zstd/expected.bin")), http.data("/api/v1/array/full/incoming/fresh"));
        assertEquals(200, http.await("/api/v1/metadata/incoming/fresh_table", 200), "the Parquet file copied in");
        assertEquals("table", http.json("/api/v1/metadata/incoming/fresh_table").at("/data/attributes/structure_family").asText());
        Files.delete(data.resolve("incoming").resolve("fresh_table.parquet"));
        assertEquals(404, http.await("/api/v1/metadata/incoming/fresh_table", 404), "a deleted file's node goes");
    }

    /** The Content-Type the client sends with node descriptions; the route refuses bodies without it. */
    private static final String[] JSON = {"Content-Type", "application/json"};

    private static String registration(String id, String mimetype, String dataUri, boolean dir, JsonNode structure) {
        return "{\"id\": \"" + id + "\", \"structure_family\": \"array\", \"metadata\": {\"source\": \"test\"}, \"specs\": [],"
                + " \"ancestors\": [], \"data_sources\": [{\"structure_family\": \"array\", \"structure\": " + structure + ","
                + " \"id\": null, \"mimetype\": \"" + mimetype + "\", \"parameters\": {}, \"properties\": {}, \"management\": \"external\","
                + " \"assets\": [{\"data_uri\": \"" + dataUri + "\", \"is_directory\": " + dir + ", \"parameter\": \"data_uri\", \"num\": null}]}]}";
    }

    @Test
    void aTiffCopiedInReadsBackAsItsArray() throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(3 * 4 * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 12; i++) b.putInt(i * 7 - 20);
        var payload = new dev.tiledgateway.core.array.ArrayPayload(dev.tiledgateway.core.structure.DataType.Builtin.parse("<i4"), new long[] {3, 4}, b.array());
        byte[] tiff = dev.tiledgateway.core.serialize.SerializerRegistry.discover().find("array", "image/tiff").orElseThrow().serialize(payload);
        Files.createDirectories(root.resolve("data").resolve("images"));
        Files.write(root.resolve("data").resolve("images").resolve("pic.tif"), tiff);
        assertEquals(200, http.await("/api/v1/metadata/images/pic", 200));
        assertEquals("[3,4]", http.json("/api/v1/metadata/images/pic").at("/data/attributes/structure/shape").toString());
        assertArrayEquals(b.array(), http.data("/api/v1/array/full/images/pic"));
    }

    /** Compressed and tiled TIFFs (written by the JDK's ImageIO) are registered from their header; their pixels are a 422, never a 5xx. */
    @Test
    void compressedAndTiledTiffsAreRegisteredButTheirDataIs422() throws Exception {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(32, 32, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 32; y++) for (int x = 0; x < 32; x++) image.getRaster().setSample(x, y, 0, (x * y) % 256);
        Files.createDirectories(root.resolve("data").resolve("images"));
        String[][] cases = {{"lzw", "compressed"}, {"tiles", "tiled"}};
        for (String[] c : cases) {
            javax.imageio.ImageWriter w = javax.imageio.ImageIO.getImageWritersByFormatName("tiff").next();
            javax.imageio.ImageWriteParam p = w.getDefaultWriteParam();
            if (c[0].equals("lzw")) {
                p.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionType("LZW");
            } else {
                p.setTilingMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
                p.setTiling(16, 16, 0, 0);
            }
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (javax.imageio.stream.ImageOutputStream out = javax.imageio.ImageIO.createImageOutputStream(bytes)) {
                w.setOutput(out);
                w.write(null, new javax.imageio.IIOImage(image, null, null), p);
            }
            w.dispose();
            Files.write(root.resolve("data").resolve("images").resolve(c[0] + ".tif"), bytes.toByteArray());
            assertEquals(200, http.await("/api/v1/metadata/images/" + c[0], 200), c[0]);
            assertEquals("[32,32]", http.json("/api/v1/metadata/images/" + c[0]).at("/data/attributes/structure/shape").toString());
            HttpResponse<byte[]> r = http.get("/api/v1/array/full/images/" + c[0], "Accept", "application/octet-stream");
            assertEquals(422, r.statusCode(), new String(r.body()));
            assertTrue(Http.detailOf(r).asText().contains(c[1]), Http.detailOf(r).asText());
        }
    }

    @Test
    void externalDataIsRegisteredByUri() throws Exception {
        Path data = root.resolve("data").toAbsolutePath();
        JsonNode structure = http.json("/api/v1/metadata/v2/comp_zstd").at("/data/attributes/structure");
        String uri = "file://localhost" + data.resolve("v2/comp_zstd").toUri().getRawPath();
        HttpResponse<byte[]> r = http.send("POST", "/api/v1/register/", registration("by_uri", "application/x-zarr", uri, true, structure).getBytes(),
                "Content-Type", "application/json", "Accept", "application/json");
        assertEquals(200, r.statusCode(), new String(r.body()));
        JsonNode answer = Json.parse(r.body());
        assertEquals("by_uri", answer.get("id").asText());
        assertEquals("external", answer.at("/data_sources/0/management").asText());
        assertArrayEquals(Files.readAllBytes(FIXTURES.resolve("v2/comp_zstd/expected.bin")), http.data("/api/v1/array/full/by_uri"));
        assertEquals("test", http.json("/api/v1/metadata/by_uri").at("/data/attributes/metadata/source").asText());

        assertEquals(409, http.send("POST", "/api/v1/register/", registration("by_uri", "application/x-zarr", uri, true, structure).getBytes(), JSON).statusCode());
        assertEquals(400, http.send("POST", "/api/v1/register/", registration("outside", "application/x-zarr", "file:///etc", true, structure).getBytes(), JSON).statusCode());
        assertEquals(415, http.send("POST", "/api/v1/register/", registration("odd", "application/x-hdf5", uri, true, structure).getBytes(), JSON).statusCode());
        String bad = "file://localhost" + data.resolve("v2/unknown_compressor").toUri().getRawPath();
        assertEquals(422, http.send("POST", "/api/v1/register/", registration("bad", "application/x-zarr", bad, true, structure).getBytes(), JSON).statusCode());
        assertEquals(405, http.send("POST", "/api/v1/register/by_uri", registration("under_array", "application/x-zarr", uri, true, structure).getBytes(), JSON).statusCode());
        assertEquals(422, http.send("POST", "/api/v1/register/", "not json".getBytes(), JSON).statusCode());
        assertEquals(404, http.get("/api/v1/metadata/outside").statusCode(), "nothing was registered by the refused requests");
    }

    @Test
    void unreadableStoredDataIs4xxNotRetryable() throws Exception {
        HttpResponse<byte[]> r = http.get("/api/v1/array/full/v2/corrupt/zstd", "Accept", "application/octet-stream");
        assertEquals(422, r.statusCode(), new String(r.body()));
        assertTrue(Http.detailOf(r).asText().contains("corrupt") || Http.detailOf(r).asText().contains("cannot"));
        assertEquals(404, http.get("/api/v1/metadata/v2/unknown_compressor").statusCode());
    }
}
