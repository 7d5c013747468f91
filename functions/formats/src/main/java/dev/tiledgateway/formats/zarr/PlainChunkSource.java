package dev.tiledgateway.formats.zarr;

import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.ByteRange;
import dev.tiledgateway.formats.zarr.codec.ChunkSpec;
import dev.tiledgateway.formats.zarr.codec.CodecPipeline;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** One stored object per chunk, decoded by a codec pipeline; an absent object reads as the fill value. */
final class PlainChunkSource implements ChunkSource {

    private final BlobStore store;
    private final String prefix;
    private final ChunkKeyEncoding keys;
    private final CodecPipeline pipeline;
    private final ChunkSpec spec;
    private final byte[] fillChunk;
    /** Where a chunk's elements lie in its stored bytes, when it is stored uncompressed; else null. */
    private final long[] rawStrides;

    PlainChunkSource(BlobStore store, String prefix, ChunkKeyEncoding keys, CodecPipeline pipeline, ChunkSpec spec) {
        this.store = store;
        this.prefix = prefix;
        this.keys = keys;
        this.pipeline = pipeline;
        this.spec = spec;
        this.fillChunk = spec.filled();
        this.rawStrides = pipeline.rawStrides(spec);
    }

    @Override
    public byte[] read(long[] chunkIndex) throws IOException {
        String key = prefix + keys.key(chunkIndex);
        Optional<byte[]> stored = store.get(key);
        if (stored.isEmpty()) return fillChunk.clone();
        byte[] out;
        try {
            out = pipeline.decode(stored.get(), spec);
        } catch (CorruptDataException e) {
            throw new CorruptDataException(key + ": " + e.getMessage(), e);
        }
        if (out.length != spec.byteLength())
            throw new CorruptDataException(key + ": decodes to " + out.length + " bytes, expected " + spec.byteLength());
        return out;
    }

    /**
     * Uncompressed chunks (the {@code bytes} codec, after transposes only: v2's F order, v3's {@code transpose}) are
     * stored as their elements: read just the ranges.
     */
    @Override
    public long[] rawStrides() { return rawStrides == null ? null : rawStrides.clone(); }

    @Override
    public Optional<List<byte[]>> readRanges(long[] chunkIndex, List<ByteRange> ranges) throws IOException {
        if (rawStrides == null) return Optional.empty();
        ChunkSource.checkWithin(spec.byteLength(), ranges);
        String key = prefix + keys.key(chunkIndex);
        Optional<List<byte[]>> parts = store.getRanges(key, ranges);
        if (parts.isEmpty()) return Optional.of(ChunkSource.slices(fillChunk, ranges));
        return ChunkSource.whole(parts.get(), ranges, key);
    }
}
