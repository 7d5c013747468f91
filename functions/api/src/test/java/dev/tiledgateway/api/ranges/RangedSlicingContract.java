package dev.tiledgateway.api.ranges;

import dev.tiledgateway.core.array.ArraySlicer;
import dev.tiledgateway.core.array.ChunkedArray;
import dev.tiledgateway.core.array.NDSlice;
import dev.tiledgateway.core.array.Selection;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.ByteRange;
import dev.tiledgateway.core.store.ForwardingBlobStore;
import dev.tiledgateway.core.structure.ArrayStructure;
import dev.tiledgateway.formats.zarr.ZarrArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slices of Zarr arrays read by byte ranges give the same bytes as slices read chunk by chunk, and both the
 * bytes of the logical array (gathered element by element here); and strided slices of uncompressed chunks read
 * kilobytes, not chunks, whatever the order of their axes as stored. Arrays are written here byte by byte from a
 * known logical array: v2 (C and F order, uncompressed and zlib, structured and big-endian types), v3 (bytes alone,
 * big-endian, gzip, axes transposed) and v3 shards (inner chunks raw, transposed or gzip, index at the end or the
 * start), with chunks left out to read as the fill value.
 * Each store adapter runs the same suite.
 */
public abstract class RangedSlicingContract {

    protected abstract BlobStore store();

    /**
     * Random selections per array, out of the file store's number: an emulator answering one request at a time
     * runs a tenth of them (still every layout and type), the folder store all.
     */
    protected int selections(int n) { return n; }

    private static ExecutorService pool;

    @BeforeAll
    static void startPool() { pool = Executors.newFixedThreadPool(4); }

    @AfterAll
    static void stopPool() { pool.shutdownNow(); }

    /** Counts what reaches the store: calls, ranges and bytes, by kind of read. */
    static final class Counting extends ForwardingBlobStore {
        final AtomicLong gets = new AtomicLong(), rangeGets = new AtomicLong(), multiRangeCalls = new AtomicLong(),
                ranges = new AtomicLong(), bytes = new AtomicLong();

        Counting(BlobStore delegate) { super(delegate); }

        @Override
        public Optional<byte[]> get(String key) throws IOException {
            gets.incrementAndGet();
            Optional<byte[]> b = delegate.get(key);
            b.ifPresent(x -> bytes.addAndGet(x.length));
            return b;
        }

        @Override
        public Optional<byte[]> getRange(String key, long offset, long length) throws IOException {
            rangeGets.incrementAndGet();
            Optional<byte[]> b = delegate.getRange(key, offset, length);
            b.ifPresent(x -> bytes.addAndGet(x.length));
            return b;
        }

        @Override
        public Optional<List<byte[]>> getRanges(String key, List<ByteRange> rs) throws IOException {
            multiRangeCalls.incrementAndGet();
            ranges.addAndGet(rs.size());
            Optional<List<byte[]>> b = forwardRanges(key, rs);
            b.ifPresent(x -> x.forEach(p -> bytes.addAndGet(p.length)));
            return b;
        }

        void reset() { for (AtomicLong a : List.of(gets, rangeGets, multiRangeCalls, ranges, bytes)) a.set(0); }
    }

    /** The same array seen only through whole-chunk reads: the reference path. */
    private record WholeChunks(ChunkedArray a) implements ChunkedArray {
        public ArrayStructure structure() { return a.structure(); }
        public int[] chunkShape() { return a.chunkShape(); }
        public byte[] readChunk(long[] idx) throws IOException { return a.readChunk(idx); }
    }

    enum Layout {
        V2_RAW, V2_ZLIB, V2_F_ORDER, V3_RAW, V3_GZIP, V3_TRANSPOSED, V3_SHARD_RAW, V3_SHARD_RAW_INDEX_FIRST, V3_SHARD_GZIP,
        V3_SHARD_TRANSPOSED
    }

    /** The axes of a stored chunk, outermost first, as decoded axes: none, reversed (F order) or rotated (transposed). */
    private static int[] storedAxes(Layout layout, int n) {
        int[] axes = new int[n];
        for (int k = 0; k < n; k++) {
            axes[k] = switch (layout) {
                case V2_F_ORDER -> n - 1 - k;
                case V3_TRANSPOSED, V3_SHARD_TRANSPOSED -> (k + n - 1) % n; // [n-1, 0, 1, ...]
                default -> k;
            };
        }
        return axes;
    }

    /** A type as both Zarr versions spell it, with its size and fill value bytes (null: no v3 spelling). */
    private record Type(String v2, String v3, String endian, int itemsize, String fillJson, byte[] fill) {}

    private static final Type F8 = new Type("\"<f8\"", "float64", "little", 8, "1.5", le(8, b -> b.putDouble(1.5)));
    private static final Type BIG_I4 = new Type("\">i4\"", "int32", "big", 4, "-7", ByteBuffer.allocate(4).putInt(-7).array());
    private static final Type U1 = new Type("\"|u1\"", "uint8", null, 1, "9", new byte[] {9});
    private static final Type STRUCT = new Type("[[\"a\", \"<i2\"], [\"b\", \">f8\"]]", null, null, 10, "null", new byte[10]);

    private static byte[] le(int n, java.util.function.Consumer<ByteBuffer> f) {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        f.accept(b);
        return b.array();
    }

    /** A logical array and where it was written. */
    private record Written(String prefix, long[] shape, int itemsize, byte[] data) {}

    private static long prod(long[] s) { long n = 1; for (long x : s) n *= x; return n; }

    /** Writes {@code shape} random elements in {@code layout}; about a fifth of the chunks are left out (fill value). */
    private Written write(Layout layout, Type t, long[] shape, int[] chunks, int[] perShard, SplittableRandom r, boolean all) throws IOException {
        String prefix = "ranged-" + UUID.randomUUID() + "/";
        int n = shape.length;
        byte[] data = new byte[Math.toIntExact(prod(shape) * t.itemsize())];
        r.nextBytes(data);
        long[] grid = new long[n];
        for (int d = 0; d < n; d++) grid[d] = (shape[d] + chunks[d] - 1) / chunks[d];
        boolean v2 = layout.name().startsWith("V2");
        boolean sharded = layout.name().startsWith("V3_SHARD");
        String shapeJson = Arrays.toString(shape), chunkJson = Arrays.toString(chunks);
        if (v2) {
            String compressor = layout == Layout.V2_ZLIB ? "{\"id\": \"zlib\", \"level\": 1}" : "null";
            String order = layout == Layout.V2_F_ORDER ? "F" : "C";
            put(prefix + ".zarray", "{\"zarr_format\": 2, \"shape\": " + shapeJson + ", \"chunks\": " + chunkJson + ", \"dtype\": " + t.v2()
                    + ", \"compressor\": " + compressor + ", \"fill_value\": " + t.fillJson() + ", \"order\": \"" + order
                    + "\", \"filters\": null, \"dimension_separator\": \".\"}");
        } else {
            String bytes = "{\"name\": \"bytes\"" + (t.endian() == null ? "" : ", \"configuration\": {\"endian\": \"" + t.endian() + "\"}") + "}";
            if (layout == Layout.V3_TRANSPOSED || layout == Layout.V3_SHARD_TRANSPOSED)
                bytes = "{\"name\": \"transpose\", \"configuration\": {\"order\": " + Arrays.toString(storedAxes(layout, n)) + "}}, " + bytes;
            String gzip = "{\"name\": \"gzip\", \"configuration\": {\"level\": 1}}";
            String codecs;
            int[] gridChunk = chunks;
            if (sharded) {
                gridChunk = new int[n];
                for (int d = 0; d < n; d++) gridChunk[d] = chunks[d] * perShard[d];
                String inner = layout == Layout.V3_SHARD_GZIP ? "[" + bytes + ", " + gzip + "]" : "[" + bytes + "]";
                codecs = "[{\"name\": \"sharding_indexed\", \"configuration\": {\"chunk_shape\": " + chunkJson + ", \"codecs\": " + inner
                        + ", \"index_codecs\": [{\"name\": \"bytes\", \"configuration\": {\"endian\": \"little\"}}], \"index_location\": \""
                        + (layout == Layout.V3_SHARD_RAW_INDEX_FIRST ? "start" : "end") + "\"}}]";
            } else {
                codecs = layout == Layout.V3_GZIP ? "[" + bytes + ", " + gzip + "]" : "[" + bytes + "]";
            }
            put(prefix + "zarr.json", "{\"zarr_format\": 3, \"node_type\": \"array\", \"shape\": " + shapeJson + ", \"data_type\": \"" + t.v3()
                    + "\", \"chunk_grid\": {\"name\": \"regular\", \"configuration\": {\"chunk_shape\": " + Arrays.toString(gridChunk)
                    + "}}, \"chunk_key_encoding\": {\"name\": \"default\", \"configuration\": {\"separator\": \"/\"}}, \"fill_value\": "
                    + t.fillJson() + ", \"codecs\": " + codecs + ", \"attributes\": {}}");
        }
        if (sharded) {
            long[] shards = new long[n];
            for (int d = 0; d < n; d++) shards[d] = (grid[d] + perShard[d] - 1) / perShard[d];
            for (long[] s : indices(shards)) {
                if (!all && r.nextInt(6) == 0) continue; // a missing shard
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                List<long[]> slots = indices(toLong(perShard));
                long[] index = new long[2 * slots.size()];
                boolean first = layout == Layout.V3_SHARD_RAW_INDEX_FIRST;
                long base = first ? 16L * slots.size() : 0;
                for (int i = 0; i < slots.size(); i++) {
                    long[] c = new long[n];
                    boolean inside = true;
                    for (int d = 0; d < n; d++) {
                        c[d] = s[d] * perShard[d] + slots.get(i)[d];
                        inside &= c[d] < grid[d];
                    }
                    if (!inside || (!all && r.nextInt(5) == 0)) {
                        index[2 * i] = -1;
                        index[2 * i + 1] = -1;
                        continue;
                    }
                    byte[] enc = chunk(data, shape, chunks, c, t, storedAxes(layout, n));
                    if (layout == Layout.V3_SHARD_GZIP) enc = gzip(enc);
                    index[2 * i] = base + body.size();
                    index[2 * i + 1] = enc.length;
                    body.write(enc);
                }
                ByteBuffer ix = ByteBuffer.allocate(16 * slots.size()).order(ByteOrder.LITTLE_ENDIAN);
                for (long v : index) ix.putLong(v);
                ByteArrayOutputStream shard = new ByteArrayOutputStream();
                if (first) shard.write(ix.array());
                shard.write(body.toByteArray());
                if (!first) shard.write(ix.array());
                store().put(prefix + key(s, "c/", "/"), shard.toByteArray());
            }
        } else {
            for (long[] c : indices(grid)) {
                if (!all && r.nextInt(5) == 0) continue;
                byte[] enc = chunk(data, shape, chunks, c, t, storedAxes(layout, n));
                if (layout == Layout.V2_ZLIB) enc = zlib(enc);
                if (layout == Layout.V3_GZIP) enc = gzip(enc);
                store().put(prefix + (v2 ? key(c, "", ".") : key(c, "c/", "/")), enc);
            }
        }
        return new Written(prefix, shape, t.itemsize(), data);
    }

    private static String key(long[] idx, String head, String sep) {
        if (idx.length == 0) return head.isEmpty() ? "0" : "c";
        StringBuilder b = new StringBuilder(head);
        for (int d = 0; d < idx.length; d++) b.append(d == 0 ? "" : sep).append(idx[d]);
        return b.toString();
    }

    private static long[] toLong(int[] a) { return Arrays.stream(a).asLongStream().toArray(); }

    /** Every index of a grid, in C order. */
    private static List<long[]> indices(long[] grid) {
        List<long[]> out = new ArrayList<>();
        if (prod(grid) == 0) return out;
        long[] i = new long[grid.length];
        while (true) {
            out.add(i.clone());
            int d = grid.length - 1;
            while (d >= 0 && ++i[d] == grid[d]) i[d--] = 0;
            if (d < 0) return out;
        }
    }

    /**
     * The stored bytes of chunk {@code c}, its axes in the order {@code axes} (C order of the chunk with axis k the
     * decoded axis {@code axes[k]}), edge padding from the fill value.
     */
    private static byte[] chunk(byte[] data, long[] shape, int[] chunks, long[] c, Type t, int[] axes) {
        int n = shape.length, size = t.itemsize();
        long[] cs = toLong(chunks);
        byte[] out = new byte[Math.toIntExact(prod(cs) * size)];
        for (long[] local : indices(cs)) {
            long src = 0;
            boolean inside = true;
            for (int d = 0; d < n; d++) {
                long g = c[d] * chunks[d] + local[d];
                inside &= g < shape[d];
                src = src * shape[d] + g;
            }
            long dst = 0;
            for (int a : axes) dst = dst * chunks[a] + local[a];
            if (inside) System.arraycopy(data, (int) (src * size), out, (int) (dst * size), size);
            else System.arraycopy(t.fill(), 0, out, (int) (dst * size), size);
        }
        return out;
    }

    private static byte[] zlib(byte[] b) {
        Deflater z = new Deflater(1);
        z.setInput(b);
        z.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!z.finished()) out.write(buf, 0, z.deflate(buf));
        z.end();
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(b);
        }
        return out.toByteArray();
    }

    private void put(String key, String json) throws IOException { store().put(key, json.getBytes(StandardCharsets.UTF_8)); }

    /** What the selection holds: gathered from the logical array, or the fill value where no chunk was written. */
    private byte[] expected(Written w, Selection sel, int[] chunks, int[] perShard, Type t) throws IOException {
        int n = w.shape().length, size = w.itemsize();
        byte[] out = new byte[Math.toIntExact(sel.count() * size)];
        long[] counts = new long[n];
        for (int d = 0; d < n; d++) counts[d] = sel.dims()[d].count();
        int k = 0;
        java.util.Map<String, Boolean> seen = new java.util.HashMap<>(); // chunk presence, asked of the store once each
        for (long[] j : indices(counts)) {
            long src = 0;
            long[] c = new long[n];
            for (int d = 0; d < n; d++) {
                long g = sel.dims()[d].at(j[d]);
                src = src * w.shape()[d] + g;
                c[d] = g / chunks[d];
            }
            boolean present = seen.computeIfAbsent(Arrays.toString(c), x -> {
                try {
                    return chunkPresent(w, c, perShard);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            System.arraycopy(present ? w.data() : t.fill(), present ? (int) (src * size) : 0, out, k++ * size, size);
        }
        return out;
    }

    /** Whether the chunk was written, as the store says: its own object, or a non-empty entry in its shard's index. */
    private boolean chunkPresent(Written w, long[] c, int[] perShard) throws IOException {
        Optional<byte[]> meta = store().get(w.prefix() + "zarr.json");
        if (meta.isEmpty()) return store().size(w.prefix() + key(c, "", ".")).isPresent();
        if (perShard == null) return store().size(w.prefix() + key(c, "c/", "/")).isPresent();
        int n = c.length;
        long[] s = new long[n];
        long slot = 0;
        for (int d = 0; d < n; d++) {
            s[d] = c[d] / perShard[d];
            slot = slot * perShard[d] + c[d] % perShard[d];
        }
        Optional<byte[]> shard = store().get(w.prefix() + key(s, "c/", "/"));
        if (shard.isEmpty()) return false;
        int slots = Arrays.stream(perShard).reduce(1, (a, b) -> a * b);
        boolean first = new String(meta.get(), StandardCharsets.UTF_8).contains("\"start\"");
        int at = first ? 0 : shard.get().length - 16 * slots;
        return ByteBuffer.wrap(shard.get()).order(ByteOrder.LITTLE_ENDIAN).getLong(at + (int) (16 * slot)) != -1;
    }

    /** A random numpy-style selection: indices, ranges with any start, stop and step (negative ones too). */
    private static NDSlice randomSlice(long[] shape, SplittableRandom r) {
        List<NDSlice.Part> parts = new ArrayList<>();
        for (long len : shape) {
            switch (r.nextInt(6)) {
                case 0 -> parts.add(new NDSlice.Index(r.nextLong(-len, len)));
                case 1 -> parts.add(new NDSlice.Range(null, null, null));
                case 2 -> parts.add(new NDSlice.Range(null, null, (long) -(1 + r.nextInt(3))));
                default -> {
                    long step = (r.nextBoolean() ? 1 : -1) * (1 + (r.nextBoolean() ? r.nextInt(3) : r.nextInt((int) len + 2)));
                    parts.add(new NDSlice.Range(r.nextBoolean() ? null : r.nextLong(-len - 2, len + 2),
                            r.nextBoolean() ? null : r.nextLong(-len - 2, len + 2), step));
                }
            }
        }
        return new NDSlice(parts);
    }

    private void compareMany(Layout layout, Type t, long[] shape, int[] chunks, int[] perShard, long seed, int selections) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        Written w = write(layout, t, shape, chunks, perShard, r, false);
        ZarrArray a = ZarrArray.open(store(), w.prefix());
        ArraySlicer slicer = new ArraySlicer(pool, 64L << 20);
        for (int i = 0, count = Math.max(1, selections(selections)); i < count; i++) {
            NDSlice s = randomSlice(shape, r);
            Selection sel = s.resolve(shape);
            byte[] want = expected(w, sel, chunks, perShard, t);
            String what = layout + " " + t.v2() + " " + Arrays.toString(shape) + " chunks " + Arrays.toString(chunks) + " slice " + s;
            assertArrayEquals(want, slicer.read(a, sel), "ranged: " + what);
            assertArrayEquals(want, slicer.read(new WholeChunks(a), sel), "whole chunks: " + what);
        }
    }

    @Test
    void v2UncompressedAndCompressedAgreeWithTheLogicalArray() throws IOException {
        for (Layout l : List.of(Layout.V2_RAW, Layout.V2_ZLIB, Layout.V2_F_ORDER)) {
            compareMany(l, F8, new long[] {37, 50}, new int[] {8, 16}, null, 1, 60);
            compareMany(l, BIG_I4, new long[] {9, 10, 23}, new int[] {4, 3, 8}, null, 2, 60);
            compareMany(l, STRUCT, new long[] {40, 7}, new int[] {16, 4}, null, 3, 40);
            compareMany(l, U1, new long[] {300}, new int[] {64}, null, 4, 40);
            compareMany(l, F8, new long[0], new int[0], null, 5, 2);
        }
    }

    @Test
    void v3UncompressedAndCompressedAgreeWithTheLogicalArray() throws IOException {
        for (Layout l : List.of(Layout.V3_RAW, Layout.V3_GZIP, Layout.V3_TRANSPOSED)) {
            compareMany(l, F8, new long[] {37, 50}, new int[] {8, 16}, null, 6, 60);
            compareMany(l, BIG_I4, new long[] {9, 10, 23}, new int[] {4, 3, 8}, null, 7, 60);
            compareMany(l, U1, new long[] {300}, new int[] {64}, null, 8, 40);
            compareMany(l, F8, new long[0], new int[0], null, 9, 2);
        }
    }

    @Test
    void shardedInnerChunksAgreeWithTheLogicalArray() throws IOException {
        for (Layout l : List.of(Layout.V3_SHARD_RAW, Layout.V3_SHARD_RAW_INDEX_FIRST, Layout.V3_SHARD_GZIP, Layout.V3_SHARD_TRANSPOSED)) {
            compareMany(l, F8, new long[] {37, 50}, new int[] {4, 8}, new int[] {2, 3}, 10, 60);
            compareMany(l, BIG_I4, new long[] {9, 10, 23}, new int[] {2, 3, 4}, new int[] {2, 2, 3}, 11, 60);
        }
    }

    @Test
    void aStridedSliceOfUncompressedChunksReadsKilobytesNotChunks() throws IOException {
        // Rows 100 apart are 200 KiB apart in a chunk: one range per selected row of each chunk, 3 elements long.
        assertStridedSliceReadsKilobytes(Layout.V2_RAW, null, 42);
    }

    @Test
    void aStridedSliceOfShardedRawInnerChunksReadsIndexesAndKilobytes() throws IOException {
        assertStridedSliceReadsKilobytes(Layout.V3_SHARD_RAW, new int[] {2, 2}, 43);
    }

    @Test
    void aStridedSliceOfFOrderChunksReadsKilobytesNotChunks() throws IOException {
        // In F order a chunk's columns are its rows: one range per selected column of each chunk, 3 elements long.
        assertStridedSliceReadsKilobytes(Layout.V2_F_ORDER, null, 45);
    }

    @Test
    void aStridedSliceOfTransposedShardedInnerChunksReadsIndexesAndKilobytes() throws IOException {
        assertStridedSliceReadsKilobytes(Layout.V3_SHARD_TRANSPOSED, new int[] {2, 2}, 46);
    }

    /**
     * {@code ::100,::100} of the 1000 x 1000 array: the right values, from one multi-range read of 40 ranges in all
     * per chunk touched (16), no chunk or shard read whole, and for shards one index read per shard touched
     * (2 x 2 shards of 2 x 2 inner chunks).
     */
    private void assertStridedSliceReadsKilobytes(Layout layout, int[] perShard, long seed) throws IOException {
        Counting counting = new Counting(store());
        Written w = writeAll(layout, perShard, new SplittableRandom(seed));
        ZarrArray a = ZarrArray.open(counting, w.prefix());
        Selection sel = NDSlice.parse("::100,::100").resolve(new long[] {1000, 1000});
        counting.reset();
        assertArrayEquals(expected(w, sel, new int[] {256, 256}, perShard, F8), new ArraySlicer(pool, 64L << 20).read(a, sel));
        int indexes = perShard == null ? 0 : 4;
        assertEquals(0, counting.gets.get(), "no chunk or shard read whole");
        assertEquals(indexes, counting.rangeGets.get(), "one index read per shard touched");
        assertEquals(16, counting.multiRangeCalls.get(), "one multi-range read per chunk touched");
        assertEquals(40, counting.ranges.get(), "one range per selected row (column in F order) of each chunk");
        assertTrue(counting.bytes.get() <= indexes * 64 + 40 * (2 * 100 + 1) * 8, "read " + counting.bytes.get() + " bytes for 100 values");
    }

    @Test
    void streamingRowsOfFOrderChunksReadsEachChunkOnce() throws IOException {
        Counting counting = new Counting(store());
        Written w = writeAll(Layout.V2_F_ORDER, null, new SplittableRandom(47));
        ZarrArray a = ZarrArray.open(counting, w.prefix());
        Selection sel = NDSlice.parse("0:200,:").resolve(new long[] {1000, 1000});
        counting.reset();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // Bands of one row each, were the rows cut apart: in F order a row is spread over its whole chunk.
        new ArraySlicer(pool, 64L << 20).stream(a, sel, out, 8000);
        assertArrayEquals(expected(w, sel, new int[] {256, 256}, null, F8), out.toByteArray());
        assertEquals(4, counting.gets.get() + counting.multiRangeCalls.get(), "the 4 chunks touched, read once each");
    }

    @Test
    void compressedChunksAreReadOnceEach() throws IOException {
        Counting counting = new Counting(store());
        Written w = writeAll(Layout.V2_ZLIB, null, new SplittableRandom(44));
        ZarrArray a = ZarrArray.open(counting, w.prefix());
        Selection sel = NDSlice.parse("::-100,3::7").resolve(new long[] {1000, 1000});
        counting.reset();
        assertArrayEquals(expected(w, sel, new int[] {256, 256}, null, F8), new ArraySlicer(pool, 64L << 20).read(a, sel));
        assertEquals(16, counting.gets.get(), "each chunk touched read once, whole");
        assertEquals(0, counting.rangeGets.get() + counting.multiRangeCalls.get());
    }

    /**
     * A 1000 × 1000 float64 array in chunks of 256 × 256 (512 KiB each, 8 MB in all), every chunk written, so
     * the counts are exact.
     */
    private Written writeAll(Layout layout, int[] perShard, SplittableRandom r) throws IOException {
        return write(layout, F8, new long[] {1000, 1000}, new int[] {256, 256}, perShard, r, true);
    }
}
