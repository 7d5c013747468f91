package dev.tiledgateway.core.array;

import dev.tiledgateway.core.store.ByteRange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The byte ranges of one chunk (C order, or its axes in any other order) that hold a strided box of its elements,
 * with near ranges merged, and the way back from a chunk offset to the bytes read for it.
 *
 * <p>Ranges whose gap is at most {@link #GAP} bytes are merged. On S3 a ranged GET costs tens of milliseconds
 * of latency (and is billed), while 64 KiB streams in well under a millisecond, so reading a gap that small is
 * always cheaper than another request. On files a gap costs a copy from the page cache (about 10 µs for 64 KiB)
 * against a system call of a microsecond or two, a small loss there. And the merge bounds the work: ranges that
 * stay apart are more than 64 KiB apart, so a chunk yields at most {@code chunkBytes / 64 KiB} of them (2,048 for
 * a 134 MB chunk).
 */
final class ChunkRanges {

    /** Gaps up to this many bytes are read rather than skipped. */
    static final long GAP = 64 * 1024;

    private ChunkRanges() {}

    /**
     * The merged ranges, in order, holding elements {@code lo[d] + j * step[d]} ({@code j < count[d]}) of a chunk
     * whose element strides are {@code stride} (those of a C-order array whose axes may be permuted); null when they
     * add up to more than {@code limit} bytes (the caller then reads the whole chunk in one request).
     *
     * @param step positive: the set of elements is the same whichever way a dimension is walked
     */
    static List<ByteRange> plan(long[] lo, long[] step, long[] count, long[] stride, int itemsize, long gap, long limit) {
        // The same box with its axes from the outermost as stored to the innermost: a C-order box of the stored bytes.
        Integer[] order = new Integer[lo.length];
        for (int d = 0; d < order.length; d++) order[d] = d;
        Arrays.sort(order, (a, b) -> Long.compare(stride[b], stride[a]));
        return planOuterFirst(permute(lo, order), permute(step, order), permute(count, order), permute(stride, order), itemsize, gap, limit);
    }

    /** As {@link #plan}, for strides from the largest to the smallest. */
    private static List<ByteRange> planOuterFirst(long[] lo, long[] step, long[] count, long[] stride, int itemsize, long gap, long limit) {
        int n = lo.length;
        // block[d]: bytes from the first to the end of the last selected element of dimensions d.. (outer ones fixed).
        long[] block = new long[n + 1];
        block[n] = itemsize;
        for (int d = n - 1; d >= 0; d--) block[d] = (count[d] - 1) * step[d] * stride[d] * itemsize + block[d + 1];
        // Dimensions k.. are read as one segment each: the gaps between their blocks are small enough to read.
        int k = n;
        while (k > 0 && (count[k - 1] == 1 || step[k - 1] * stride[k - 1] * itemsize - block[k] <= gap)) k--;
        long base = 0;
        for (int d = 0; d < n; d++) base += lo[d] * stride[d] * itemsize;
        long segment = block[k];
        List<ByteRange> out = new ArrayList<>();
        long total = 0, curStart = -1, curEnd = -1;
        long[] j = new long[k];
        while (true) {
            long s = base;
            for (int d = 0; d < k; d++) s += j[d] * step[d] * stride[d] * itemsize;
            long e = s + segment;
            if (curStart >= 0 && s - curEnd <= gap) {
                curEnd = Math.max(curEnd, e);
            } else {
                if (curStart >= 0) {
                    total += curEnd - curStart;
                    out.add(new ByteRange(curStart, Math.toIntExact(curEnd - curStart)));
                }
                curStart = s;
                curEnd = e;
            }
            if (total + (curEnd - curStart) > limit) return null;
            int d = k - 1;
            while (d >= 0 && ++j[d] == count[d]) j[d--] = 0;
            if (d < 0) break;
        }
        out.add(new ByteRange(curStart, Math.toIntExact(curEnd - curStart)));
        return out;
    }

    private static long[] permute(long[] v, Integer[] order) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[order[i]];
        return out;
    }

    /** Bytes read for {@code ranges} (sorted, apart), addressed by their offsets in the chunk. */
    static final class Read {
        private final long[] starts;
        private final byte[][] bytes;

        Read(List<ByteRange> ranges, List<byte[]> bytes) {
            this.starts = new long[ranges.size()];
            for (int i = 0; i < starts.length; i++) starts[i] = ranges.get(i).offset();
            this.bytes = bytes.toArray(byte[][]::new);
        }

        /** The range the last copy came from: element by element, the next copy mostly comes from it too. */
        private int last;

        /** Copies {@code len} bytes at chunk offset {@code from}, which lie inside one range read. Not thread-safe. */
        void copy(long from, byte[] out, int at, int len) {
            int i = last;
            if (from < starts[i] || from + len > starts[i] + bytes[i].length) {
                i = Arrays.binarySearch(starts, from);
                if (i < 0) i = -i - 2;
                if (i < 0 || from + len > starts[i] + bytes[i].length)
                    throw new IllegalStateException("chunk bytes " + from + ".." + (from + len) + " were not read");
                last = i;
            }
            System.arraycopy(bytes[i], (int) (from - starts[i]), out, at, len);
        }
    }
}
