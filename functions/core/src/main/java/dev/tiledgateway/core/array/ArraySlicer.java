package dev.tiledgateway.core.array;

import dev.tiledgateway.core.error.Causes;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.store.ByteRange;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Reads a selection of a {@link ChunkedArray} into C-order bytes, fetching the chunks it touches
 * concurrently (bounded by a byte budget, so a few huge chunks do not all sit in memory at once). Each chunk is
 * read once: by the byte ranges of the selected elements ({@link ChunkRanges}) where the format can read ranges
 * and they add up to less than three quarters of the chunk, else whole.
 */
public final class ArraySlicer {

    private final ExecutorService executor;
    private final long inFlightBudget;
    private final Semaphore budget;

    /** @param inFlightBytes the most decoded chunk bytes held at once across all reads */
    public ArraySlicer(ExecutorService executor, long inFlightBytes) {
        this.executor = executor;
        this.inFlightBudget = Math.max(1, inFlightBytes >> 20);
        this.budget = new Semaphore((int) Math.min(Integer.MAX_VALUE, inFlightBudget), true);
    }

    /** One stretch of consecutive result positions along a dimension that fall in the same chunk. */
    private record Run(long chunk, long firstResult, long count, long firstLocal) {}

    public byte[] read(ChunkedArray array, Selection sel) throws IOException {
        int itemsize = array.structure().dataType().itemsize();
        long total = sel.count();
        int size = Math.toIntExact(Math.multiplyExact(total, itemsize));
        if (total == 0) return new byte[0];
        int[] cs = array.chunkShape();
        int n = sel.dims().length;
        if (n == 0) {
            byte[] out = new byte[size];
            byte[] chunk = array.readChunk(new long[0]);
            System.arraycopy(chunk, 0, out, 0, itemsize);
            return out;
        }
        List<List<Run>> runs = new ArrayList<>();
        for (int d = 0; d < n; d++) runs.add(runsOf(sel.dims()[d], cs[d]));
        long[] whole = wholeChunk(runs, sel, cs);
        if (whole != null) {
            // Exactly one whole chunk (a block): its decoded bytes are the result, as they are.
            int permits = permits(size);
            budget.acquireUninterruptibly(permits);
            try {
                byte[] chunk = array.readChunk(whole);
                if (chunk.length == size) return chunk;
                if (chunk.length > size) return java.util.Arrays.copyOf(chunk, size);
                throw TiledException.unprocessable("Stored array data is corrupt: decoded chunk " + java.util.Arrays.toString(whole)
                        + " has " + chunk.length + " bytes, expected " + size);
            } catch (CorruptDataException e) {
                throw TiledException.unprocessable("Stored array data is corrupt: " + e.getMessage());
            } finally {
                budget.release(permits);
            }
        }
        byte[] out = new byte[size];
        long[] outStride = new long[n];
        long[] srcStride = new long[n];
        outStride[n - 1] = 1;
        srcStride[n - 1] = 1;
        for (int d = n - 2; d >= 0; d--) {
            outStride[d] = outStride[d + 1] * sel.dims()[d + 1].count();
            srcStride[d] = srcStride[d + 1] * cs[d + 1];
        }
        long perChunk = itemsize;
        for (int c : cs) perChunk *= c;
        final long chunkBytes = perChunk;
        int permits = permits(chunkBytes);
        // Ranges address the chunk as stored, whose axes may lie in another order than the decoded chunk's C order.
        long[] storedStride = array.readsRanges() ? array.rangeStrides() : srcStride;

        List<Future<?>> futures = new ArrayList<>();
        int[] pos = new int[n];
        try {
            while (true) {
                Run[] combo = new Run[n];
                long[] idx = new long[n];
                for (int d = 0; d < n; d++) {
                    combo[d] = runs.get(d).get(pos[d]);
                    idx[d] = combo[d].chunk();
                }
                futures.add(executor.submit(() -> {
                    budget.acquireUninterruptibly(permits);
                    try {
                        // Only the bytes of the selected elements (near ones merged), unless they come to most of the chunk.
                        long[] lo = new long[n], step = new long[n], count = new long[n];
                        for (int d = 0; d < n; d++) {
                            long a = combo[d].firstLocal(), b = a + (combo[d].count() - 1) * sel.dims()[d].step();
                            lo[d] = Math.min(a, b);
                            step[d] = Math.abs(sel.dims()[d].step());
                            count[d] = combo[d].count();
                        }
                        List<ByteRange> ranges = ChunkRanges.plan(lo, step, count, storedStride, itemsize, ChunkRanges.GAP, chunkBytes * 3 / 4);
                        Optional<List<byte[]>> parts = ranges == null ? Optional.empty() : array.readChunkRanges(idx, ranges);
                        if (parts.isPresent()) {
                            ChunkRanges.Read read = new ChunkRanges.Read(ranges, parts.get());
                            copy(read::copy, out, combo, sel, storedStride, outStride, itemsize, 0, 0, 0);
                        } else {
                            byte[] chunk = array.readChunk(idx);
                            if (chunk.length < chunkBytes) throw new CorruptDataException("decoded chunk " + java.util.Arrays.toString(idx)
                                    + " has " + chunk.length + " bytes, expected " + chunkBytes);
                            copy((from, to, at, len) -> System.arraycopy(chunk, (int) from, to, at, len), out, combo, sel, srcStride, outStride, itemsize, 0, 0, 0);
                        }
                    } finally {
                        budget.release(permits);
                    }
                    return null;
                }));
                int d = n - 1;
                while (d >= 0 && ++pos[d] == runs.get(d).size()) pos[d--] = 0;
                if (d < 0) break;
            }
            for (Future<?> f : futures) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading chunks", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable c = e.getCause();
            if (c instanceof CorruptDataException cde) throw TiledException.unprocessable("Stored array data is corrupt: " + cde.getMessage());
            throw Causes.rethrow(c);
        }
        return out;
    }

    /** The budget's permits for holding {@code bytes} (one per MiB, at least one, at most the whole budget). */
    private int permits(long bytes) { return (int) Math.min(inFlightBudget, Math.max(1, bytes >> 20)); }

    /** About how many result bytes {@link #stream} reads at once, where the array's chunks can be read in pieces. */
    public static final long BAND_BYTES = 8L << 20;

    /**
     * Writes the C-order bytes of {@code sel} to {@code out} band by band along the first dimension, reading the
     * next band while the last is written, so that the reads of the chunks and the writing of the result overlap
     * and at most two bands are held (never the whole result). A band is the result rows that fall in one row of
     * chunks, cut into pieces of about {@link #BAND_BYTES} where the array reads ranges of its chunks (uncompressed
     * chunks); a chunk that must be decoded whole is decoded once per band, so those bands are never cut, and a
     * band larger than {@link #BAND_BYTES} is not read ahead. The bytes are those {@link #read} returns.
     */
    public void stream(ChunkedArray array, Selection sel, java.io.OutputStream out) throws IOException {
        stream(array, sel, out, BAND_BYTES);
    }

    /** As {@link #stream(ChunkedArray, Selection, java.io.OutputStream)}, with bands of about {@code bandBytes} (tests use small ones). */
    public void stream(ChunkedArray array, Selection sel, java.io.OutputStream out, long bandBytes) throws IOException {
        List<Selection> bands = bands(array, sel, bandBytes);
        int itemsize = array.structure().dataType().itemsize();
        java.util.concurrent.CompletableFuture<byte[]> next = null;
        Thread reader = null;
        try {
            for (int i = 0; i < bands.size(); i++) {
                byte[] band;
                if (next != null) band = join(next);
                else band = read(array, bands.get(i));
                next = null;
                if (i + 1 < bands.size() && bands.get(i + 1).count() * itemsize <= bandBytes) {
                    Selection following = bands.get(i + 1);
                    next = new java.util.concurrent.CompletableFuture<>();
                    var promise = next;
                    // A thread of its own, not the executor's: a bounded executor could be full of this read's chunk tasks.
                    reader = Thread.ofVirtual().name("band-read").start(() -> {
                        try {
                            promise.complete(read(array, following));
                        } catch (Throwable e) {
                            promise.completeExceptionally(e);
                        }
                    });
                }
                out.write(band);
            }
        } finally {
            if (next != null) {
                next.cancel(true);
                reader.interrupt(); // a read ahead nobody will take stops fetching chunks
            }
        }
    }

    private static byte[] join(java.util.concurrent.CompletableFuture<byte[]> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading chunks", e);
        } catch (ExecutionException e) {
            throw Causes.rethrow(e.getCause());
        }
    }

    /** The selection cut along its first dimension into the bands {@link #stream} reads one at a time. */
    static List<Selection> bands(ChunkedArray array, Selection sel, long bandBytes) {
        Selection.Dim[] dims = sel.dims();
        if (dims.length == 0 || sel.count() == 0) return List.of(sel);
        long rowBytes = (long) array.structure().dataType().itemsize();
        for (int d = 1; d < dims.length; d++) rowBytes = Math.multiplyExact(rowBytes, dims[d].count());
        long perBand = Math.max(1, bandBytes / Math.max(1, rowBytes));
        // A few rows of a chunk are cheap to read alone only when the first axis is the outermost as stored; in F
        // order they are spread over the whole chunk, so each band reads its chunks once.
        boolean pieces = array.readsRanges() && outermostFirst(array.rangeStrides());
        List<Selection> out = new ArrayList<>();
        long first = 0, rows = 0; // the band being gathered: result rows [first, first + rows)
        for (Run r : runsOf(dims[0], array.chunkShape()[0])) {
            long piece = pieces ? perBand : r.count();
            for (long k = 0; k < r.count(); k += piece) {
                long n = Math.min(piece, r.count() - k);
                if (rows > 0 && rows + n <= perBand) {
                    rows += n; // small pieces (few rows per chunk) go together
                    continue;
                }
                if (rows > 0) out.add(band(sel, first, rows));
                first = r.firstResult() + k;
                rows = n;
            }
        }
        out.add(band(sel, first, rows));
        return out;
    }

    private static boolean outermostFirst(long[] strides) {
        for (long s : strides) if (s > strides[0]) return false;
        return true;
    }

    private static Selection band(Selection sel, long first, long rows) {
        Selection.Dim[] dims = sel.dims().clone();
        Selection.Dim d = dims[0];
        dims[0] = new Selection.Dim(d.at(first), d.step(), rows, d.dropped());
        return new Selection(dims);
    }

    /** The grid index of the chunk the selection is, element for element in order, or null when it is not one whole chunk. */
    private static long[] wholeChunk(List<List<Run>> runs, Selection sel, int[] cs) {
        long[] idx = new long[runs.size()];
        for (int d = 0; d < idx.length; d++) {
            if (runs.get(d).size() != 1 || sel.dims()[d].step() != 1) return null;
            Run r = runs.get(d).getFirst();
            if (r.firstLocal() != 0 || r.count() != cs[d]) return null;
            idx[d] = r.chunk();
        }
        return idx;
    }

    private static List<Run> runsOf(Selection.Dim dim, int chunkLen) {
        List<Run> runs = new ArrayList<>();
        long k = 0;
        while (k < dim.count()) {
            long src = dim.at(k);
            long chunk = src / chunkLen;
            long lo = chunk * chunkLen, hi = lo + chunkLen - 1;
            long last; // last k whose source lies in [lo, hi]
            if (dim.step() > 0) last = Math.min(dim.count() - 1, k + (hi - src) / dim.step());
            else last = Math.min(dim.count() - 1, k + (src - lo) / (-dim.step()));
            runs.add(new Run(chunk, k, last - k + 1, src - lo));
            k = last + 1;
        }
        return runs;
    }

    /** Where the bytes of a chunk come from: the whole decoded chunk, or the ranges read of it. */
    @FunctionalInterface
    private interface ChunkBytes {
        void copy(long from, byte[] out, int at, int len);
    }

    private static void copy(ChunkBytes chunk, byte[] out, Run[] combo, Selection sel, long[] srcStride, long[] outStride,
                             int itemsize, int d, long srcBase, long outBase) {
        Run r = combo[d];
        long step = sel.dims()[d].step();
        long srcPos = srcBase + r.firstLocal() * srcStride[d];
        long outPos = outBase + r.firstResult() * outStride[d];
        if (d == combo.length - 1) {
            if (step == 1 && srcStride[d] == 1) {
                chunk.copy(srcPos * itemsize, out, (int) (outPos * itemsize), (int) (r.count() * itemsize));
            } else {
                for (long k = 0; k < r.count(); k++) {
                    chunk.copy((srcPos + k * step * srcStride[d]) * itemsize, out, (int) ((outPos + k) * itemsize), itemsize);
                }
            }
            return;
        }
        for (long k = 0; k < r.count(); k++) {
            copy(chunk, out, combo, sel, srcStride, outStride, itemsize, d + 1, srcPos + k * step * srcStride[d], outPos + k * outStride[d]);
        }
    }
}
