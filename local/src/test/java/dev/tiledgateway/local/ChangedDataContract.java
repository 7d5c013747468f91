package dev.tiledgateway.local;

import dev.tiledgateway.core.array.ArrayPayload;
import dev.tiledgateway.core.serialize.SerializerRegistry;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.formats.zarr.V2Compressor;
import dev.tiledgateway.formats.zarr.ZarrV2Writer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data changed in place is never served stale: overwriting a file with the same columns (or the same size),
 * rewriting one chunk of a Zarr array, or replacing a TIFF with one of the same shape gives new bytes, a new
 * ETag, no 304 for the old ETag, and no materialised result computed from the old bytes. The subclasses run
 * it on a watched folder and on a bucket whose notifications reach the indexer.
 */
abstract class ChangedDataContract {

    /** The largest response served inline in these servers: the arrays below are larger, so they are materialised. */
    static final long MAX_INLINE = 4_000;

    abstract Http http();

    /** The store the server reads (a served folder, or the bucket). */
    abstract BlobStore store();

    static final Path TABLES = Path.of("..", "functions", "formats", "src", "test", "resources", "table");

    /** What the API answered (its status and ETag) and the data, fetched from the stored result when redirected. */
    record Answer(int status, String etag, byte[] body) {
        String text() { return new String(body, StandardCharsets.UTF_8); }
    }

    Answer read(String url, String... headers) throws Exception {
        HttpResponse<byte[]> r = http().get(url, headers);
        String etag = r.headers().firstValue("ETag").orElse(null);
        if (r.statusCode() == 307) {
            HttpResponse<byte[]> d = http().get(r.headers().firstValue("Location").orElseThrow());
            assertEquals(200, d.statusCode(), "the stored result downloads");
            return new Answer(200, etag, d.body());
        }
        return new Answer(r.statusCode(), etag, r.body());
    }

    /** The answer of {@code url} once {@code done} holds for it; fails after the usual bound of polls. */
    Answer await(String url, Predicate<Answer> done, String what) throws Exception {
        Answer last = null;
        for (int i = 0; i < 150; i++) {
            last = read(url);
            if (done.test(last)) return last;
            Thread.sleep(100);
        }
        throw new AssertionError(what + ": still " + last.status() + " " + last.text());
    }

    /**
     * Reads {@code url}, changes the data with {@code change}, and checks that the answer moves on as {@code changed}
     * says, with a new ETag (registration is asynchronous: it waits for both), that the old ETag no longer gets a
     * 304, and that the new one does.
     */
    void changeIsServed(String url, Predicate<Answer> original, ThrowingRunnable change, Predicate<Answer> changed) throws Exception {
        await(url, a -> a.status() == 200 && original.test(a), "the original data");
        // The original data may still be registering (an array's chunk events move its ETag after its metadata event
        // made it readable): take the ETag once it revalidates.
        settledEtag(url);
        Answer before = read(url);
        assertTrue(original.test(before), "the original data");
        assertEquals(304, http().get(url, "If-None-Match", before.etag()).statusCode(), "unchanged data: 304 for its ETag");
        change.run();
        Answer after = await(url, a -> a.status() == 200 && changed.test(a) && !before.etag().equals(a.etag()), "the changed data with a new ETag");
        Answer revalidated = read(url, "If-None-Match", before.etag());
        assertEquals(200, revalidated.status(), "the old ETag no longer matches");
        assertTrue(changed.test(revalidated), "and the answer is the new data");
        // A change made of several objects (metadata and a chunk) may move the ETag once per event; once they
        // are all registered, the ETag served is the one that revalidates.
        settledEtag(url);
    }

    /** The ETag {@code url} is served with once it revalidates (a 304 for itself); fails after the usual bound of polls. */
    String settledEtag(String url) throws Exception {
        for (int i = 0; ; i++) {
            String current = read(url).etag();
            int status = http().get(url, "If-None-Match", current).statusCode();
            if (status == 304) return current;
            if (i == 50) throw new AssertionError("the current ETag never revalidated: " + status);
            Thread.sleep(100);
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable { void run() throws Exception; }

    @Test
    void aCsvOverwrittenWithTheSameColumnsAndSizeIsServedNew() throws Exception {
        store().put("changes/t.csv", "x,y\n1,2\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, http().await("/api/v1/metadata/changes/t", 200));
        changeIsServed("/api/v1/table/full/changes/t?format=text/csv", a -> a.text().contains("1,2"),
                () -> store().put("changes/t.csv", "x,y\n3,4\n".getBytes(StandardCharsets.UTF_8)),
                a -> a.text().contains("3,4") && !a.text().contains("1,2"));
    }

    @Test
    void aParquetFileOverwrittenWithTheSameColumnsIsServedNew() throws Exception {
        byte[] first = Files.readAllBytes(TABLES.resolve("parts/part.0.parquet"));
        byte[] second = Files.readAllBytes(TABLES.resolve("parts/part.1.parquet"));
        store().put("changes/p.parquet", first);
        assertEquals(200, http().await("/api/v1/metadata/changes/p", 200));
        String url = "/api/v1/table/full/changes/p?format=text/csv";
        String original = await(url, a -> a.status() == 200, "the first table").text();
        changeIsServed(url, a -> a.text().equals(original), () -> store().put("changes/p.parquet", second), a -> !a.text().equals(original));
    }

    @Test
    void aPartOfAPartitionedTableOverwrittenIsServedNew() throws Exception {
        store().put("changes/parts.parquet/part.0.parquet", Files.readAllBytes(TABLES.resolve("parts/part.0.parquet")));
        store().put("changes/parts.parquet/part.1.parquet", Files.readAllBytes(TABLES.resolve("parts/part.1.parquet")));
        String url = "/api/v1/table/partition/changes/parts?partition=1&format=text/csv";
        String original = await(url, a -> a.status() == 200, "the second partition").text();
        changeIsServed(url, a -> a.text().equals(original),
                () -> store().put("changes/parts.parquet/part.1.parquet", Files.readAllBytes(TABLES.resolve("parts/part.2.parquet"))),
                a -> !a.text().equals(original));
    }

    @Test
    void aTiffReplacedByOneOfTheSameShapeIsServedNew() throws Exception {
        store().put("changes/pic.tif", tiff(1));
        assertEquals(200, http().await("/api/v1/metadata/changes/pic", 200));
        changeIsServed("/api/v1/array/full/changes/pic", a -> java.util.Arrays.equals(a.body(), pixels(1)),
                () -> store().put("changes/pic.tif", tiff(2)), a -> java.util.Arrays.equals(a.body(), pixels(2)));
    }

    /** 1,000 float64 in four chunks: 8,000 bytes, above the inline ceiling, so every full read is a stored result. */
    @Test
    void aRewrittenChunkIsServedNewAlsoFromMaterialisedResults() throws Exception {
        ZarrV2Writer w = ZarrV2Writer.create(store(), "changes/big.zarr/", DataType.Builtin.parse("<f8"), new long[] {1000}, new int[] {250},
                V2Compressor.zstd(1), 0.0, Map.of());
        for (int c = 0; c < 4; c++) w.writeChunk(new long[] {c}, doubles(250, c * 250, 1));
        assertEquals(200, http().await("/api/v1/metadata/changes/big", 200));
        String url = "/api/v1/array/full/changes/big";
        await(url, a -> a.status() == 200, "the array");
        HttpResponse<byte[]> redirect = http().get(url);
        assertEquals(307, redirect.statusCode(), "above the inline ceiling: a materialised result");
        String firstLocation = redirect.headers().firstValue("Location").orElseThrow();
        // Only the chunk is written again (not the array's metadata, which would register the array anew): its own
        // event is all that can move the ETag on.
        changeIsServed(url, a -> a.body().length == 8000 && value(a.body(), 300) == 300.0,
                () -> w.writeChunk(new long[] {1}, doubles(250, 250, -1)),
                a -> a.body().length == 8000 && value(a.body(), 300) == -300.0 && value(a.body(), 600) == 600.0);
        HttpResponse<byte[]> again = http().get(url);
        assertEquals(307, again.statusCode());
        assertNotEquals(firstLocation, again.headers().firstValue("Location").orElseThrow(), "a result of the new bytes, not the old one");
        byte[] whole = read(url).body();
        for (int i = 0; i < 1000; i++) assertEquals(i >= 250 && i < 500 ? -i : i, value(whole, i), 0.0, "element " + i);
    }

    static byte[] doubles(int n, int from, int sign) {
        ByteBuffer b = ByteBuffer.allocate(n * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) b.putDouble(sign * (double) (from + i));
        return b.array();
    }

    static double value(byte[] body, int i) { return ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).getDouble(i * 8); }

    /** A 3x4 int32 image whose values depend on {@code seed}, as raw little-endian bytes. */
    static byte[] pixels(int seed) {
        ByteBuffer b = ByteBuffer.allocate(3 * 4 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 12; i++) b.putInt(i * 7 * seed - 20);
        return b.array();
    }

    static byte[] tiff(int seed) throws Exception {
        ArrayPayload p = new ArrayPayload(DataType.Builtin.parse("<i4"), new long[] {3, 4}, pixels(seed));
        return SerializerRegistry.discover().find("array", "image/tiff").orElseThrow().serialize(p);
    }
}
