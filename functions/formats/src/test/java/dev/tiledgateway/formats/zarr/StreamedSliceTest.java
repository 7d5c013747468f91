package dev.tiledgateway.formats.zarr;

import dev.tiledgateway.core.array.ArraySlicer;
import dev.tiledgateway.core.array.NDSlice;
import dev.tiledgateway.core.array.Selection;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.BlobWriter;
import dev.tiledgateway.core.store.ForwardingBlobStore;
import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.embedded.store.FileBlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A selection streamed band by band ({@link ArraySlicer#stream}) is byte for byte what reading it whole gives, for
 * compressed and uncompressed chunks, several dtypes and selections, and bands from a few rows to the whole result;
 * a store or a chunk that fails part way leaves no object behind.
 */
class StreamedSliceTest {

    private static final ExecutorService POOL = Executors.newVirtualThreadPerTaskExecutor();
    private static final ArraySlicer SLICER = new ArraySlicer(POOL, 64L << 20);

    @TempDir
    Path dir;

    @AfterAll
    static void shutdown() { POOL.shutdownNow(); }

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + seed * 7 + (i >> 8));
        return b;
    }

    /** An array of {@code shape} in {@code chunks}, every chunk written (but the last one, left to the fill value). */
    private static ZarrArray array(BlobStore store, String prefix, String dtype, long[] shape, int[] chunks, V2Compressor compressor)
            throws IOException {
        DataType dt = DataType.Builtin.parse(dtype);
        ZarrV2Writer w = ZarrV2Writer.create(store, prefix, dt, shape, chunks, compressor, 0, Map.of());
        long[] grid = new long[shape.length];
        int chunkBytes = dt.itemsize();
        for (int d = 0; d < shape.length; d++) {
            grid[d] = (shape[d] + chunks[d] - 1) / chunks[d];
            chunkBytes *= chunks[d];
        }
        long[] idx = new long[shape.length];
        int seed = 0;
        while (true) {
            boolean last = true;
            for (int d = 0; d < shape.length; d++) last &= idx[d] == grid[d] - 1;
            if (!last) w.writeChunk(idx.clone(), pattern(chunkBytes, seed++));
            int d = shape.length - 1;
            while (d >= 0 && ++idx[d] == grid[d]) idx[d--] = 0;
            if (d < 0) break;
        }
        return ZarrArray.open(store, prefix);
    }

    private static byte[] streamed(ZarrArray a, Selection sel, long bandBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SLICER.stream(a, sel, out, bandBytes);
        return out.toByteArray();
    }

    @Test
    void streamedBytesAreTheReadBytes() throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        record Case(String dtype, long[] shape, int[] chunks) {}
        List<Case> cases = List.of(
                new Case("<f8", new long[] {37, 23}, new int[] {8, 5}),
                new Case(">i4", new long[] {19, 11, 7}, new int[] {4, 3, 7}),
                new Case("|u1", new long[] {50, 9}, new int[] {16, 4}),
                new Case("<i2", new long[] {41}, new int[] {6}));
        List<String> slices = List.of("", "3:30", "::-1", "5:6", "1:35:3", "::7", "-2:0:-2");
        int n = 0;
        for (Case c : cases) {
            for (V2Compressor compressor : List.of(V2Compressor.none(), V2Compressor.zstd(1))) {
                ZarrArray a = array(store, "a" + n++ + "/", c.dtype(), c.shape(), c.chunks(), compressor);
                assertEquals(compressor.id() == null, a.readsRanges(), "ranged reads only of uncompressed chunks");
                for (String first : slices) {
                    String slice = c.shape().length == 1 ? first : first + (c.shape().length == 2 ? ",1:-1:2" : ",::-1,2");
                    Selection sel = NDSlice.parse(slice).resolve(c.shape());
                    byte[] whole = SLICER.read(a, sel);
                    for (long band : new long[] {1, 40, 333, 1 << 20}) {
                        assertArrayEquals(whole, streamed(a, sel, band), c + " " + compressor.id() + " [" + slice + "] bands of " + band + " bytes");
                    }
                }
            }
        }
        // a dropped first dimension (an integer index) and an empty selection
        ZarrArray a = array(store, "d/", "<f8", new long[] {9, 9}, new int[] {4, 4}, V2Compressor.zstd(1));
        for (String slice : List.of("4,::2", "2:2,:", "-1")) {
            Selection sel = NDSlice.parse(slice).resolve(new long[] {9, 9});
            assertArrayEquals(SLICER.read(a, sel), streamed(a, sel, 16), slice);
        }
    }

    /** The stored object is whole or absent: a store that fails after some parts leaves none, nor a temporary file. */
    @Test
    void aStoreFailingMidStreamLeavesNothing() throws Exception {
        FileBlobStore files = new FileBlobStore(dir);
        ZarrArray a = array(files, "big/", "<f8", new long[] {64, 64}, new int[] {16, 64}, V2Compressor.none());
        Selection sel = NDSlice.parse("").resolve(new long[] {64, 64});
        BlobStore failing = new ForwardingBlobStore(files) {
            @Override
            public BlobWriter openWrite(String key) throws IOException {
                BlobWriter w = delegate.openWrite(key);
                return new BlobWriter() {
                    int parts;

                    @Override
                    protected void append(byte[] b, int off, int len) throws IOException {
                        if (++parts > 3) throw new IOException("the store went away after 3 parts");
                        w.write(b, off, len);
                    }

                    @Override
                    protected void store() throws IOException { w.commit(); }

                    @Override
                    protected void abandon() throws IOException { w.close(); }
                };
            }
        };
        IOException e = assertThrows(IOException.class, () -> failing.write("_results/r", out -> SLICER.stream(a, sel, out, 4096)));
        assertTrue(e.getMessage().contains("after 3 parts"), e.getMessage());
        assertTrue(files.size("_results/r").isEmpty(), "no result object");
        try (Stream<Path> left = Files.list(dir.resolve("_results"))) {
            assertEquals(List.of(), left.toList(), "no temporary file left");
        }
        // the same write against the real store is complete and equals the whole read
        files.write("_results/r", out -> SLICER.stream(a, sel, out, 4096));
        assertArrayEquals(SLICER.read(a, sel), files.get("_results/r").orElseThrow());
    }

    /** A chunk found corrupt in a later band fails the stream: the bands before it were written, but nothing is stored. */
    @Test
    void aCorruptChunkInALaterBandLeavesNothing() throws Exception {
        FileBlobStore files = new FileBlobStore(dir);
        ZarrArray a = array(files, "c/", "<f8", new long[] {64, 64}, new int[] {16, 64}, V2Compressor.none());
        files.put("c/3.0", new byte[100]); // the last row of chunks, truncated
        Selection sel = NDSlice.parse("").resolve(new long[] {64, 64});
        var e = assertThrows(dev.tiledgateway.core.error.TiledException.class, () -> files.write("_results/c", out -> SLICER.stream(a, sel, out, 4096)));
        assertEquals(422, e.status(), e.getMessage());
        assertTrue(files.size("_results/c").isEmpty());
    }

    /** Reading ahead does not take a thread of the slicer's executor: a one-thread pool still streams every band. */
    @Test
    void aOneThreadExecutorDoesNotDeadlock() throws Exception {
        FileBlobStore files = new FileBlobStore(dir);
        ZarrArray a = array(files, "one/", "<f8", new long[] {64, 64}, new int[] {16, 16}, V2Compressor.none());
        Selection sel = NDSlice.parse("").resolve(new long[] {64, 64});
        ExecutorService one = Executors.newFixedThreadPool(1);
        try {
            ArraySlicer slicer = new ArraySlicer(one, 64L << 20);
            byte[] whole = slicer.read(a, sel);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> slicer.stream(a, sel, out, 4096));
            assertArrayEquals(whole, out.toByteArray());
        } finally {
            one.shutdownNow();
        }
    }
}
