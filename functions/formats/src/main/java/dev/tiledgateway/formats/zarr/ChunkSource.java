package dev.tiledgateway.formats.zarr;

import java.io.IOException;

/** Fetches and decodes one chunk by grid index (already range-checked); thread-safe. */
interface ChunkSource {

    byte[] read(long[] chunkIndex) throws IOException;

    /** Part of the decoded chunk without decoding all of it, where the encoding allows; else empty. */
    default java.util.Optional<byte[]> readRange(long[] chunkIndex, long offset, int length) throws IOException {
        return java.util.Optional.empty();
    }
}
