package dev.tiledgateway.formats.zarr;

import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.formats.zarr.codec.BytesCodec;
import dev.tiledgateway.formats.zarr.codec.ChunkSpec;
import dev.tiledgateway.formats.zarr.codec.CodecPipeline;

import java.io.IOException;
import java.util.Optional;

/** One stored object per chunk, decoded by a codec pipeline; an absent object reads as the fill value. */
final class PlainChunkSource implements ChunkSource {

    private final BlobStore store;
    private final String prefix;
    private final ChunkKeyEncoding keys;
    private final CodecPipeline pipeline;
    private final ChunkSpec spec;
    private final byte[] fillChunk;

    PlainChunkSource(BlobStore store, String prefix, ChunkKeyEncoding keys, CodecPipeline pipeline, ChunkSpec spec) {
        this.store = store;
        this.prefix = prefix;
        this.keys = keys;
        this.pipeline = pipeline;
        this.spec = spec;
        this.fillChunk = spec.filled();
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

    /** Uncompressed chunks (the {@code bytes} codec alone) are stored as decoded: read just the range. */
    @Override
    public Optional<byte[]> readRange(long[] chunkIndex, long offset, int length) throws IOException {
        if (!pipeline.isArrayBytesOnly() || !(pipeline.arrayBytes() instanceof BytesCodec)) return Optional.empty();
        if (offset < 0 || length < 0 || offset + length > spec.byteLength()) throw new IllegalArgumentException("range outside the chunk");
        String key = prefix + keys.key(chunkIndex);
        Optional<byte[]> part = store.getRange(key, offset, length);
        if (part.isEmpty()) return Optional.of(java.util.Arrays.copyOfRange(fillChunk, (int) offset, (int) offset + length));
        if (part.get().length != length)
            throw new CorruptDataException(key + ": stored chunk is shorter than its " + spec.byteLength() + " bytes");
        return part;
    }
}
