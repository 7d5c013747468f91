package dev.tiledgateway.formats.zarr;

import dev.tiledgateway.core.store.ByteRange;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Fetches and decodes one chunk by grid index (already range-checked); thread-safe. */
interface ChunkSource {

    byte[] read(long[] chunkIndex) throws IOException;

    /**
     * Where {@link #readRanges} reads ranges of the stored chunks (stored as their elements, their axes maybe permuted:
     * v2's F order, v3's {@code transpose}): the element stride of each axis in those bytes; else null.
     */
    default long[] rawStrides() { return null; }

    /** Whether {@link #readRanges} reads ranges of the stored chunks. */
    default boolean readsRanges() { return rawStrides() != null; }

    /**
     * Ranges of the chunk as stored (laid out by {@link #rawStrides}), without reading all of it, where the encoding
     * allows; else empty.
     */
    default Optional<List<byte[]>> readRanges(long[] chunkIndex, List<ByteRange> ranges) throws IOException {
        return Optional.empty();
    }

    /** The ranges of a decoded chunk, cut from {@code chunk} (the fill value's chunk for a missing one). */
    static List<byte[]> slices(byte[] chunk, List<ByteRange> ranges) {
        checkWithin(chunk.length, ranges);
        return ranges.stream().map(r -> java.util.Arrays.copyOfRange(chunk, (int) r.offset(), (int) r.end())).toList();
    }

    static void checkWithin(long chunkBytes, List<ByteRange> ranges) {
        for (ByteRange r : ranges) if (r.end() > chunkBytes) throw new IllegalArgumentException("range " + r + " outside the chunk of " + chunkBytes + " bytes");
    }

    /** Checks that the stored object held every range whole (an uncompressed chunk is as long as a decoded one). */
    static Optional<List<byte[]>> whole(List<byte[]> got, List<ByteRange> ranges, String what) throws dev.tiledgateway.core.array.CorruptDataException {
        for (int i = 0; i < ranges.size(); i++) {
            if (got.get(i).length != ranges.get(i).length())
                throw new dev.tiledgateway.core.array.CorruptDataException(what + ": stored chunk ends before byte " + ranges.get(i).end() + " of its decoded size");
        }
        return Optional.of(got);
    }
}
