package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.api.ApiHandler;
import dev.tiledgateway.authorizer.AuthorizerHandler;
import dev.tiledgateway.aws.AwsBackendFactory;
import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.core.auth.Access;
import dev.tiledgateway.core.auth.ApiKeySecrets;
import dev.tiledgateway.core.auth.Authenticator;
import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.backend.Backend;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.route.Gateway;
import dev.tiledgateway.core.route.GatewayConfig;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.BlobWriter;
import dev.tiledgateway.core.store.ForwardingBlobStore;
import dev.tiledgateway.embedded.EmbeddedBackendFactory;
import dev.tiledgateway.testkit.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code PATCH /array/full} is all or nothing and never loses a concurrent write: the server's object store (the
 * real file store, or S3 in moto with {@code -Dtiled.test.backend=aws}) is wrapped so that it dies after a given
 * number of writes, as a process killed in the middle of a patch would, and real threads patch and write blocks of
 * one array at once.
 */
class ArrayPatchHttpTest {

    private static final String KEY = ApiKeySecrets.generate();
    private static Backend backend;
    private static DyingStore store;
    private static LocalServer server;
    private static Http http;

    /** A store that, once armed, accepts {@code writesLeft} more writes and then fails every call, reads included. */
    static final class DyingStore extends ForwardingBlobStore {
        final AtomicInteger writesLeft = new AtomicInteger(Integer.MAX_VALUE);
        final AtomicInteger writes = new AtomicInteger();

        DyingStore(BlobStore delegate) { super(delegate); }

        private void alive() throws IOException {
            if (writesLeft.get() < 0) throw new IOException("the store went away");
        }

        private void write() throws IOException {
            alive();
            if (writesLeft.getAndDecrement() <= 0) throw new IOException("the store went away");
            writes.incrementAndGet();
        }

        @Override public java.util.Optional<byte[]> get(String key) throws IOException { alive(); return super.get(key); }
        @Override public java.util.Optional<byte[]> getRange(String key, long offset, long length) throws IOException { alive(); return super.getRange(key, offset, length); }
        @Override public List<String> list(String prefix) throws IOException { alive(); return super.list(prefix); }
        @Override public void put(String key, byte[] bytes) throws IOException { write(); super.put(key, bytes); }
        @Override public boolean copy(String from, String to) throws IOException { write(); return super.copy(from, to); }
        @Override public void delete(String key) throws IOException { alive(); super.delete(key); }
        @Override public BlobWriter openWrite(String key) throws IOException { write(); return super.openWrite(key); }
    }

    @BeforeAll
    static void start() throws Exception {
        if (DemoServer.aws()) {
            URI moto = MotoServer.shared().endpoint();
            String id = UUID.randomUUID().toString().substring(0, 8);
            backend = AwsBackendFactory.open(AwsClients.emulated(moto, moto), "patch-" + id, "", "patch-" + id, true);
        } else {
            backend = EmbeddedBackendFactory.open(Files.createTempDirectory("tiled-gateway-patch-test"), null);
        }
        store = new DyingStore(backend.store());
        Authenticator.Settings settings = new Authenticator.Settings(Scopes.PUBLIC, ApiKeySecrets.hash(KEY));
        ApiHandler api = new ApiHandler(Gateway.router(backend.catalog(), store, GatewayConfig.defaults(), new Access(settings, backend.apiKeys())));
        server = new LocalServer("127.0.0.1", 0, api, new AuthorizerHandler(new Authenticator(settings, backend.apiKeys(), Clock.systemUTC())),
                null, new BlobUrls(), new ResultLeases(Clock.systemUTC()), Set.of());
        server.start();
        http = new Http(server.port(), KEY);
    }

    @AfterAll
    static void stop() { server.close(); }

    private static final String I4 = WriteHttpTest.dtype("little", "i", 4, null);

    /** A fresh int32 array node at the root; its document. */
    private static JsonNode array(String shape, String chunks) throws Exception {
        String key = "p-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<byte[]> r = http.send("POST", "/api/v1/metadata/", WriteHttpTest.arrayBody(key, I4, shape, chunks, "null").getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json", "Accept", "application/json");
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        return Json.parse(r.body());
    }

    private static String path(JsonNode doc) { return doc.get("id").asText(); }

    private static HttpResponse<byte[]> patch(JsonNode doc, String query, byte[] body) throws Exception {
        return http.send("PATCH", "/api/v1/array/full/" + path(doc) + "?" + query, body, "Content-Type", "application/octet-stream", "Accept", "application/json");
    }

    private static HttpResponse<byte[]> putBlock(JsonNode doc, int i, int j, byte[] body) throws Exception {
        return http.send("PUT", "/api/v1/array/block/" + path(doc) + "?block=" + i + "," + j, body, "Content-Type", "application/octet-stream",
                "Accept", "application/json");
    }

    private static byte[] le(int[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) b.putInt(v);
        return b.array();
    }

    private static int[] ints(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[bytes.length / 4];
        for (int i = 0; i < out.length; i++) out[i] = b.getInt();
        return out;
    }

    private static byte[] constant(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return le(a);
    }

    /** The array as every read route gives it: whole, block by block, and a slice across blocks. */
    private static void readsEverywhere(JsonNode doc, int rows, int cols, int chunkRows, int chunkCols, int[] expected) throws Exception {
        String p = path(doc);
        assertEquals(rows, http.json("/api/v1/metadata/" + p).at("/data/attributes/structure/shape/0").asInt(), "the node's shape");
        assertArrayEquals(expected, ints(http.data("/api/v1/array/full/" + p)), "the whole array");
        for (int bi = 0; bi * chunkRows < rows; bi++)
            for (int bj = 0; bj * chunkCols < cols; bj++) {
                int h = Math.min(chunkRows, rows - bi * chunkRows), w = Math.min(chunkCols, cols - bj * chunkCols);
                int[] block = new int[h * w];
                for (int r = 0; r < h; r++) for (int c = 0; c < w; c++) block[r * w + c] = expected[(bi * chunkRows + r) * cols + bj * chunkCols + c];
                assertArrayEquals(block, ints(http.data("/api/v1/array/block/" + p + "?block=" + bi + "," + bj)), "block " + bi + "," + bj);
            }
        int[] slice = new int[(rows - 1) * (cols - 2)];
        for (int r = 1; r < rows; r++) for (int c = 1; c < cols - 1; c++) slice[(r - 1) * (cols - 2) + c - 1] = expected[r * cols + c];
        assertArrayEquals(slice, ints(http.data("/api/v1/array/full/" + p + "?slice=1:" + rows + ",1:" + (cols - 1))), "a slice across blocks");
    }

    @FunctionalInterface
    private interface Send {
        HttpResponse<byte[]> send() throws Exception;
    }

    /** A write that cannot finish: the store dies after {@code n} writes; the server answers, and the store comes back. */
    private static HttpResponse<byte[]> dyingAfter(int n, Send call) throws Exception {
        store.writesLeft.set(n);
        try {
            return call.send();
        } finally {
            store.writesLeft.set(Integer.MAX_VALUE);
        }
    }

    @Test
    void aPatchThatDiesAfterAnyNumberOfStoredObjectsLeavesTheOldArrayEverywhere() throws Exception {
        // 4 x 6 in 2 x 2 chunks (6 chunks); the patch covers rows 1..2, columns 1..4: all six chunks.
        JsonNode doc = array("[4, 6]", "[[2, 2], [2, 2, 2]]");
        int[] old = new int[24];
        for (int i = 0; i < 24; i++) old[i] = 100 + i;
        assertEquals(200, http.send("PUT", "/api/v1/array/full/" + path(doc), le(old), "Content-Type", "application/octet-stream").statusCode());
        store.writes.set(0);
        HttpResponse<byte[]> whole = patch(doc, "offset=1,1&shape=2,4", constant(8, 7));
        int writesOfAPatch = store.writes.get();
        assertEquals(200, whole.statusCode(), new String(whole.body(), StandardCharsets.UTF_8));
        assertTrue(writesOfAPatch >= 7, "metadata and six chunks: " + writesOfAPatch);
        int[] patched = old.clone();
        for (int r = 1; r <= 2; r++) for (int c = 1; c <= 4; c++) patched[r * 6 + c] = 7;
        readsEverywhere(doc, 4, 6, 2, 2, patched);

        for (int n = 0; n < writesOfAPatch; n++) {
            int value = 1000 + n;
            HttpResponse<byte[]> r = dyingAfter(n, () -> patch(doc, "offset=0,0&shape=3,5", constant(15, value)));
            assertNotEquals(200, r.statusCode(), "the store died after " + n + " writes");
            assertTrue(Http.detailOf(r).isTextual(), new String(r.body(), StandardCharsets.UTF_8));
            readsEverywhere(doc, 4, 6, 2, 2, patched);
        }
        // The same patch once the store stays up: all of it lands.
        assertEquals(200, patch(doc, "offset=0,0&shape=3,5", constant(15, 9)).statusCode());
        for (int r = 0; r < 3; r++) for (int c = 0; c < 5; c++) patched[r * 6 + c] = 9;
        readsEverywhere(doc, 4, 6, 2, 2, patched);
    }

    @Test
    void anExtendingPatchThatDiesLeavesTheOldShapeAndValues() throws Exception {
        JsonNode doc = array("[2, 4]", "[[2], [2, 2]]");
        int[] old = {1, 2, 3, 4, 5, 6, 7, 8};
        assertEquals(200, http.send("PUT", "/api/v1/array/full/" + path(doc), le(old), "Content-Type", "application/octet-stream").statusCode());
        for (int n = 0; n < 4; n++) {
            HttpResponse<byte[]> r = dyingAfter(n, () -> patch(doc, "offset=1,0&shape=3,4&extend=true", constant(12, 50)));
            assertNotEquals(200, r.statusCode(), "the store died after " + n + " writes");
            readsEverywhere(doc, 2, 4, 2, 2, old);
        }
        HttpResponse<byte[]> grown = patch(doc, "offset=1,0&shape=3,4&extend=true", constant(12, 50));
        assertEquals(200, grown.statusCode(), new String(grown.body(), StandardCharsets.UTF_8));
        assertEquals("[4,4]", Json.parse(grown.body()).get("shape").toString());
        readsEverywhere(doc, 4, 4, 2, 2, new int[] {1, 2, 3, 4, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50});
    }

    /** One write of the concurrent test: a constant over a box of the array (a block write is a box of one chunk). */
    private record Box(int value, int row, int col, int rows, int cols, boolean block) {
        boolean covers(int r, int c) { return r >= row && r < row + rows && c >= col && c < col + cols; }
    }

    @Test
    void patchesAndBlockWritesOfOneArrayAtOnceEndAsOneSerialOrderOfThem() throws Exception {
        int rows = 8, cols = 12, cr = 2, cc = 3; // a 4 x 4 grid of chunks
        JsonNode doc = array("[8, 12]", "[[2, 2, 2, 2], [3, 3, 3, 3]]");
        List<Box> boxes = new ArrayList<>();
        java.util.Random random = new java.util.Random(42);
        for (int w = 0; w < 36; w++) {
            int value = w + 1;
            if (w % 2 == 0) {
                int bi = random.nextInt(rows / cr), bj = random.nextInt(cols / cc);
                boxes.add(new Box(value, bi * cr, bj * cc, cr, cc, true));
            } else {
                int r0 = random.nextInt(rows - 1), c0 = random.nextInt(cols - 1);
                boxes.add(new Box(value, r0, c0, 1 + random.nextInt(Math.min(4, rows - r0)), 1 + random.nextInt(Math.min(5, cols - c0)), false));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        AtomicInteger busy = new AtomicInteger();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (Box b : boxes) {
                results.add(pool.submit(() -> {
                    go.await();
                    for (int attempt = 0; ; attempt++) {
                        byte[] body = constant(b.rows() * b.cols(), b.value());
                        HttpResponse<byte[]> r = b.block() ? putBlock(doc, b.row() / cr, b.col() / cc, body)
                                : patch(doc, "offset=" + b.row() + "," + b.col() + "&shape=" + b.rows() + "," + b.cols(), body);
                        // Like the client, retry what the server asks to be retried (many writers on one node).
                        if (r.statusCode() != 503 || attempt == 10) return r.statusCode();
                        busy.incrementAndGet();
                    }
                }));
            }
            go.countDown();
            for (Future<Integer> f : results) assertEquals(200, f.get());
        } finally {
            pool.shutdownNow();
        }
        int[] result = ints(http.data("/api/v1/array/full/" + path(doc)));
        assertSerial(boxes, result, rows, cols);
    }

    /**
     * Whether {@code result} is what some serial order of {@code boxes} leaves: every element holds the value of a
     * write covering it (zero if none does), and the orders this forces (each write covering an element precedes the
     * one whose value it holds) have no cycle.
     */
    private static void assertSerial(List<Box> boxes, int[] result, int rows, int cols) {
        int n = boxes.size();
        List<Set<Integer>> before = new ArrayList<>();
        for (int i = 0; i < n; i++) before.add(new HashSet<>());
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) {
                int v = result[r * cols + c];
                List<Integer> covering = new ArrayList<>();
                for (int i = 0; i < n; i++) if (boxes.get(i).covers(r, c)) covering.add(i);
                if (covering.isEmpty()) {
                    assertEquals(0, v, "element " + r + "," + c + " was never written");
                    continue;
                }
                int last = v - 1;
                assertTrue(covering.contains(last), "element " + r + "," + c + " holds " + v + ", the value of no write covering it: a write was lost or mixed");
                for (int i : covering) if (i != last) before.get(last).add(i);
            }
        // No cycle: repeatedly take a write with nothing left before it.
        int[] pending = new int[n];
        List<Set<Integer>> after = new ArrayList<>();
        for (int i = 0; i < n; i++) after.add(new HashSet<>());
        for (int i = 0; i < n; i++) {
            pending[i] = before.get(i).size();
            for (int j : before.get(i)) after.get(j).add(i);
        }
        java.util.ArrayDeque<Integer> ready = new java.util.ArrayDeque<>();
        for (int i = 0; i < n; i++) if (pending[i] == 0) ready.add(i);
        int ordered = 0;
        while (!ready.isEmpty()) {
            int i = ready.poll();
            ordered++;
            for (int j : after.get(i)) if (--pending[j] == 0) ready.add(j);
        }
        assertEquals(n, ordered, "no serial order of the writes leaves this array: one was lost in part");
    }
}
