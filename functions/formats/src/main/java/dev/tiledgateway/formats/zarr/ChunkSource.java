package dev.tiledgateway.formats.zarr;

import java.io.IOException;

/** Fetches and decodes one chunk by grid index (already range-checked); thread-safe. */
interface ChunkSource {

    byte[] read(long[] chunkIndex) throws IOException;
}
