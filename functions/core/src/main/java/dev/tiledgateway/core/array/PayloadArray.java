package dev.tiledgateway.core.array;

import dev.tiledgateway.core.structure.ArrayStructure;

/** An array already in memory (a table column, say) seen as a single-chunk {@link ChunkedArray}. */
public final class PayloadArray implements ChunkedArray {

    private final ArrayPayload payload;
    private final ArrayStructure structure;
    private final int[] chunk;

    public PayloadArray(ArrayPayload payload) {
        this.payload = payload;
        this.chunk = new int[payload.shape().length];
        for (int d = 0; d < chunk.length; d++) chunk[d] = (int) Math.max(1, payload.shape()[d]);
        this.structure = ArrayStructure.regular(payload.dataType(), payload.shape(), chunk, null);
    }

    @Override
    public ArrayStructure structure() { return structure; }

    @Override
    public int[] chunkShape() { return chunk.clone(); }

    @Override
    public byte[] readChunk(long[] chunkIndex) {
        for (long i : chunkIndex) if (i != 0) throw new IllegalArgumentException("a payload array has one chunk");
        return payload.bytes();
    }
}
