package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.testkit.MotoServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code serve catalog}, started through the command line as a user starts it: an empty catalog that the printed key
 * writes into, whose containers and arrays are still there, byte for byte, after a restart on the same data (a folder
 * here, a bucket and a DynamoDB table on moto). Private unless {@code --public}.
 */
class CatalogServeTest {

    private static final Pattern KEY_IN_BANNER = Pattern.compile("\\?api_key=([0-9a-f]{72})");

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Main.Result start(String... args) {
        out.reset();
        err.reset();
        Map<String, String> env = new HashMap<>();
        env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        return Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
    }

    /** Starts the command and talks to it with the key its banner printed. */
    private Main.Running serve(String... args) {
        Main.Result r = start(args);
        assertEquals(Main.OK, r.status(), err.toString(StandardCharsets.UTF_8));
        return r.running();
    }

    private Http withPrintedKey(Main.Running running) {
        String banner = out.toString(StandardCharsets.UTF_8);
        assertTrue(banner.startsWith("tiled-gateway: serving a writable catalog ("), banner);
        Matcher m = KEY_IN_BANNER.matcher(banner);
        assertTrue(m.find(), "a private catalog shows the URL with its key: " + banner);
        return new Http(running.server().port(), m.group(1));
    }

    static byte[] doubles(int n, double base) {
        ByteBuffer b = ByteBuffer.allocate(n * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) b.putDouble(base + i * 0.25);
        return b.array();
    }

    /** Creates run42 (a container with metadata) and run42/image, a 6 x 4 float64 array written as 3 x 2 blocks of 2 x 2. */
    private static byte[] writeRun(Http http) throws Exception {
        Writes w = new Writes(http);
        w.container("", "run42", "{\"sample\": \"Fe2O3\", \"temperature\": 300}");
        JsonNode doc = w.array("run42", "image", WriteHttpTest.F8, "[6, 4]", "[[2, 2, 2], [2, 2]]");
        byte[] whole = doubles(24, 1);
        for (int bi = 0; bi < 3; bi++) for (int bj = 0; bj < 2; bj++) {
            ByteBuffer blk = ByteBuffer.allocate(4 * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) blk.put(whole, ((bi * 2 + i) * 4 + bj * 2 + j) * 8, 8);
            w.block(doc, blk.array(), bi, bj);
        }
        return whole;
    }

    private static void readRun(Http http, byte[] whole) throws Exception {
        JsonNode run = http.json("/api/v1/metadata/run42");
        assertEquals("container", run.at("/data/attributes/structure_family").asText());
        assertEquals("Fe2O3", run.at("/data/attributes/metadata/sample").asText());
        assertEquals(300, run.at("/data/attributes/metadata/temperature").asInt());
        assertEquals(List.of("image"), keys(http.json("/api/v1/search/run42?fields=")));
        assertArrayEquals(whole, http.data("/api/v1/array/full/run42/image"));
        assertArrayEquals(java.util.Arrays.copyOfRange(whole, 4 * 8, 8 * 8), http.data("/api/v1/array/full/run42/image?slice=1:2"));
        assertEquals("writable", http.json("/api/v1/metadata/run42/image?include_data_sources=true")
                .at("/data/attributes/data_sources/0/management").asText());
    }

    private static List<String> keys(JsonNode page) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : page.get("data")) out.add(n.get("id").asText());
        return out;
    }

    private static List<Path> files(Path root) throws Exception {
        if (!Files.exists(root)) return List.of();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void anEmptyCatalogIsWrittenWithThePrintedKeyAndKeptAcrossARestart() throws Exception {
        Path data = tmp.resolve("catalog-data");
        Main.Running first = serve("serve", "catalog", "--data-dir", data.toString(), "--port", "0");
        byte[] whole;
        try {
            Http http = withPrintedKey(first);
            assertEquals(0, http.json("/api/v1/search/?fields=").at("/meta/count").asInt(), "empty at first");
            assertEquals(401, http.anonymous().get("/api/v1/metadata/").statusCode(), "private without --public");
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("data in " + data.toAbsolutePath()), out.toString(StandardCharsets.UTF_8));
            whole = writeRun(http);
            readRun(http, whole);
        } finally {
            first.close();
        }
        assertFalse(files(data.resolve("objects").resolve("_managed")).isEmpty(), "the array's objects lie in the data folder's managed area");

        Main.Running second = serve("serve", "catalog", "--data-dir", data.toString(), "--port", "0");
        try {
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("(1 top-level nodes;"), out.toString(StandardCharsets.UTF_8));
            readRun(withPrintedKey(second), whole);
        } finally {
            second.close();
        }
    }

    @Test
    void withPublicAnyoneReadsAndOnlyTheGivenKeyWrites() throws Exception {
        String key = "catalog_test_key_" + UUID.randomUUID().toString().replace("-", "");
        Main.Running running = serve("serve", "catalog", "--data-dir", tmp.resolve("public").toString(), "--port", "0", "--public", "--api-key", key);
        try {
            assertFalse(out.toString(StandardCharsets.UTF_8).contains(key), "a key the operator gave is never printed");
            Http http = new Http(running.server().port(), key);
            new Writes(http).container("", "shared", "{}");
            Http anonymous = http.anonymous();
            assertEquals(200, anonymous.get("/api/v1/metadata/shared").statusCode());
            assertEquals(401, anonymous.send("POST", "/api/v1/metadata/", "{\"structure_family\": \"container\", \"data_sources\": []}".getBytes(),
                    "Content-Type", "application/json").statusCode());
        } finally {
            running.close();
        }
    }

    @Test
    void aSecondServerOnTheSameDataAndDataOfAnotherFormatAreRefused() throws Exception {
        Path data = tmp.resolve("held");
        Main.Running running = serve("serve", "catalog", "--data-dir", data.toString(), "--port", "0");
        try {
            Main.Result second = start("serve", "catalog", "--data-dir", data.toString(), "--port", "0");
            assertEquals(Main.UNAVAILABLE, second.status(), err.toString(StandardCharsets.UTF_8));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("is in use by another tiled-gateway"), err.toString(StandardCharsets.UTF_8));
        } finally {
            running.close();
        }
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("VERSION"), "catalog data version 0\n");
        Main.Result refused = start("serve", "catalog", "--data-dir", other.toString(), "--port", "0");
        assertEquals(Main.UNAVAILABLE, refused.status());
        String says = err.toString(StandardCharsets.UTF_8);
        assertTrue(says.contains("was written by another version of tiled-gateway (catalog data version 0"), says);
        assertEquals("catalog data version 0\n", Files.readString(other.resolve("VERSION")), "left as it was");
    }

    @Test
    @Tag("emulator")
    void onABucketAndATableTheCatalogIsWrittenAndKeptAcrossARestart() throws Exception {
        String endpoint = MotoServer.shared().endpoint().toString();
        String id = UUID.randomUUID().toString().substring(0, 8);
        String[] args = {"serve", "catalog", "--bucket", "catalog-" + id, "--table", "catalog-" + id, "--s3-endpoint", endpoint,
                "--dynamodb-endpoint", endpoint, "--port", "0"};
        Main.Result missing = start(args);
        assertEquals(Main.UNAVAILABLE, missing.status(), "no bucket yet, and no --create-resources");
        List<String> create = new ArrayList<>(List.of(args));
        create.add("--create-resources");
        Main.Running first = serve(create.toArray(String[]::new));
        byte[] whole;
        try {
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("objects in s3://catalog-" + id + ", catalog in DynamoDB table catalog-" + id),
                    out.toString(StandardCharsets.UTF_8));
            Http http = withPrintedKey(first);
            whole = writeRun(http);
            readRun(http, whole);
            String uri = new Writes(http).dataUri("run42/image");
            assertTrue(uri.startsWith("s3://catalog-" + id + "/_managed/"), uri);
            assertFalse(first.results().list("_managed/").isEmpty());
        } finally {
            first.close();
        }
        Main.Running second = serve(args);
        try {
            readRun(withPrintedKey(second), whole);
        } finally {
            second.close();
        }
    }
}
