package dev.tiledgateway.core.array;

import dev.tiledgateway.core.structure.ArrayStructure;

import java.io.IOException;

/**
 * An array stored as a regular grid of chunks, as a storage format (Zarr, ...) yields it.
 * Core slices across chunks; the format only decodes one chunk at a time.
 */
public interface ChunkedArray {

    /** Declared element type, shape and the chunking reported to clients. */
    ArrayStructure structure();

    /**
     * The grid's chunk shape. Every chunk is decoded to this full shape, edge chunks included
     * (padded as Zarr pads them); for a 0-d array this is an empty array.
     */
    int[] chunkShape();

    /**
     * The decoded chunk at grid position {@code chunkIndex}: {@code prod(chunkShape) * itemsize} bytes,
     * C order, each element in the declared data type's byte layout. A chunk that was never written
     * reads as the fill value. Must be safe to call from several threads at once. The array may be shared (a chunk
     * store may hand the same bytes to every reader, and the slicer answers with them as they are): never change it.
     *
     * @throws CorruptDataException when the stored bytes cannot be decoded
     */
    byte[] readChunk(long[] chunkIndex) throws IOException;

    /**
     * Whether {@link #readChunkRanges} reads only the ranges asked for (so a chunk may be read in several pieces at
     * no extra cost); false when a chunk can only be decoded whole.
     */
    default boolean readsRanges() { return false; }

    /**
     * The element stride of each axis in the bytes {@link #readChunkRanges} addresses: the chunk as stored, which
     * may keep its axes in another order than the C order {@link #readChunk} returns (Zarr's F order and
     * {@code transpose} codec); C order of {@link #chunkShape()} unless the format says otherwise.
     */
    default long[] rangeStrides() { return cOrderStrides(chunkShape()); }

    /** The element strides of a C-order array of {@code shape}. */
    static long[] cOrderStrides(int[] shape) {
        long[] s = new long[shape.length];
        long n = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = n;
            n *= shape[d];
        }
        return s;
    }

    /**
     * The bytes of each of {@code ranges} (byte offsets into the chunk as stored, laid out by {@link #rangeStrides},
     * within it), in the order given, when the format can read them without reading the whole chunk (chunks stored
     * as their elements: ranged reads of the stored object); empty when it cannot, and the caller falls back to
     * {@link #readChunk}. A chunk that was never written reads as the fill value here too.
     *
     * @throws CorruptDataException when the stored chunk is shorter than a decoded chunk
     */
    default java.util.Optional<java.util.List<byte[]>> readChunkRanges(long[] chunkIndex, java.util.List<dev.tiledgateway.core.store.ByteRange> ranges)
            throws IOException {
        return java.util.Optional.empty();
    }
}
