package dev.tiledgateway.formats.zarr;

import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.error.Causes;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.ByteRange;
import dev.tiledgateway.formats.zarr.codec.ChunkSpec;
import dev.tiledgateway.formats.zarr.codec.ShardingCodec;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Inner chunks of v3 shards, read with ranged GETs: the shard index, once per shard while this source lives (one
 * request's reading of the array), then the inner chunk (or, for inner chunks stored uncompressed, only the ranges
 * of it a selection needs). An absent shard or an index entry of all ones reads as the fill value.
 */
final class ShardedChunkSource implements ChunkSource {

    private final BlobStore store;
    private final String prefix;
    private final ChunkKeyEncoding keys;
    private final ShardingCodec codec;
    private final ChunkSpec innerSpec;
    private final int[] perShard;
    private final byte[] fillChunk;
    /** Where an inner chunk's elements lie in its stored bytes, when it is stored uncompressed; else null. */
    private final long[] rawStrides;
    /**
     * The shard indexes read so far (empty: no such shard), each read once even when several threads want it at
     * the same time; up to {@link #KEPT_INDEX_BYTES} of them, beyond which an index is read for each inner chunk.
     */
    private final ConcurrentHashMap<String, CompletableFuture<Optional<long[]>>> indexes = new ConcurrentHashMap<>();
    private final AtomicLong keptIndexBytes = new AtomicLong();
    static final long KEPT_INDEX_BYTES = 8L << 20;

    ShardedChunkSource(BlobStore store, String prefix, ChunkKeyEncoding keys, ShardingCodec codec, ChunkSpec innerSpec) {
        this.store = store;
        this.prefix = prefix;
        this.keys = keys;
        this.codec = codec;
        this.innerSpec = innerSpec;
        this.perShard = codec.chunksPerShard();
        this.fillChunk = innerSpec.filled();
        this.rawStrides = codec.innerRawStrides(innerSpec);
    }

    /** Where an inner chunk lies: its shard's key and its byte range there; a null range for a chunk never written. */
    private record Located(String key, long[] range) {}

    /** Where the inner chunk lies, from its shard's index; null when the shard does not exist. */
    private Located locate(long[] innerIndex) throws IOException {
        long[] shard = new long[innerIndex.length];
        int[] local = new int[innerIndex.length];
        for (int d = 0; d < innerIndex.length; d++) {
            shard[d] = innerIndex[d] / perShard[d];
            local[d] = (int) (innerIndex[d] % perShard[d]);
        }
        String key = prefix + keys.key(shard);
        Optional<long[]> index = index(key);
        if (index.isEmpty()) return null;
        try {
            return new Located(key, codec.range(index.get(), codec.slot(local), -1));
        } catch (CorruptDataException e) {
            throw new CorruptDataException(key + ": " + e.getMessage(), e);
        }
    }

    /** The shard's index, read once (the first thread to want it reads it; the others wait for it). */
    private Optional<long[]> index(String key) throws IOException {
        CompletableFuture<Optional<long[]>> kept = indexes.get(key);
        if (kept == null) {
            if (keptIndexBytes.get() >= KEPT_INDEX_BYTES) return readIndex(key);
            CompletableFuture<Optional<long[]>> mine = new CompletableFuture<>();
            kept = indexes.putIfAbsent(key, mine);
            if (kept == null) {
                try {
                    Optional<long[]> index = readIndex(key);
                    keptIndexBytes.addAndGet(codec.indexSize());
                    mine.complete(index);
                    return index;
                } catch (IOException | RuntimeException e) {
                    indexes.remove(key, mine); // a later read tries again
                    mine.completeExceptionally(e);
                    throw e;
                }
            }
        }
        try {
            return kept.join();
        } catch (CompletionException e) {
            throw Causes.rethrow(e.getCause());
        }
    }

    /** Reads the shard index (one ranged GET); empty when the shard does not exist. */
    private Optional<long[]> readIndex(String key) throws IOException {
        int n = codec.indexSize();
        Optional<byte[]> indexBytes = codec.indexAtEnd() ? store.getRange(key, -n, n) : store.getRange(key, 0, n);
        if (indexBytes.isEmpty()) return Optional.empty();
        try {
            return Optional.of(codec.decodeIndex(indexBytes.get()));
        } catch (CorruptDataException e) {
            throw new CorruptDataException(key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] read(long[] innerIndex) throws IOException {
        Located at = locate(innerIndex);
        if (at == null || at.range() == null) return fillChunk.clone();
        long[] range = at.range();
        try {
            Optional<byte[]> body = store.getRange(at.key(), range[0], range[1]);
            if (body.isEmpty()) throw new CorruptDataException("shard disappeared while reading");
            if (body.get().length != range[1])
                throw new CorruptDataException("inner chunk at offset " + range[0] + " wants " + range[1]
                        + " bytes, the shard has only " + body.get().length + " there (truncated shard?)");
            byte[] out = codec.decodeInner(body.get(), innerSpec);
            if (out.length != innerSpec.byteLength())
                throw new CorruptDataException("inner chunk decodes to " + out.length + " bytes, expected " + innerSpec.byteLength());
            return out;
        } catch (CorruptDataException e) {
            throw new CorruptDataException(at.key() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Inner chunks stored uncompressed (their axes maybe permuted): the shard index, then only the ranges asked for,
     * inside the chunk's bytes.
     */
    @Override
    public long[] rawStrides() { return rawStrides == null ? null : rawStrides.clone(); }

    @Override
    public Optional<List<byte[]>> readRanges(long[] innerIndex, List<ByteRange> ranges) throws IOException {
        if (rawStrides == null) return Optional.empty();
        ChunkSource.checkWithin(innerSpec.byteLength(), ranges);
        Located at = locate(innerIndex);
        if (at == null || at.range() == null) return Optional.of(ChunkSource.slices(fillChunk, ranges));
        long[] range = at.range();
        if (range[1] != innerSpec.byteLength())
            throw new CorruptDataException(at.key() + ": uncompressed inner chunk at offset " + range[0] + " holds " + range[1]
                    + " bytes, expected " + innerSpec.byteLength());
        List<ByteRange> inShard = ranges.stream().map(r -> new ByteRange(range[0] + r.offset(), r.length())).toList();
        Optional<List<byte[]>> parts = store.getRanges(at.key(), inShard);
        if (parts.isEmpty()) throw new CorruptDataException(at.key() + ": shard disappeared while reading");
        return ChunkSource.whole(parts.get(), ranges, at.key());
    }
}
