package dev.tiledgateway.formats.zarr.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.structure.DataType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The v3 {@code sharding_indexed} codec (reading only): a shard holds inner chunks, each encoded with
 * the inner codecs, plus an index of (offset, nbytes) pairs, encoded with the index codecs, at the
 * start or end. Readers fetch the index and single inner chunks by range; {@link #decode} decodes a
 * whole shard for pipelines where the shard cannot be read piecewise.
 */
public final class ShardingCodec implements ArrayBytesCodec {

    private static final long EMPTY = -1L; // 2^64 - 1 as a signed long

    private final int[] shardShape;
    private final int[] innerShape;
    private final int[] chunksPerShard;
    private final CodecPipeline inner;
    private final CodecPipeline index;
    private final ChunkSpec indexSpec;
    private final ByteOrder indexOrder;
    private final boolean indexAtEnd;
    private final int indexSize;
    private final int slots;

    private ShardingCodec(int[] shardShape, int[] innerShape, CodecPipeline inner, CodecPipeline index, boolean indexAtEnd) {
        this.shardShape = shardShape;
        this.innerShape = innerShape;
        this.chunksPerShard = new int[shardShape.length];
        int n = 1;
        for (int d = 0; d < shardShape.length; d++) {
            if (innerShape[d] <= 0 || shardShape[d] % innerShape[d] != 0)
                throw new IllegalArgumentException("sharding: inner chunk shape " + Arrays.toString(innerShape)
                        + " does not divide the shard shape " + Arrays.toString(shardShape));
            chunksPerShard[d] = shardShape[d] / innerShape[d];
            n = Math.multiplyExact(n, chunksPerShard[d]);
        }
        this.slots = n;
        this.inner = inner;
        this.index = index;
        int[] indexShape = Arrays.copyOf(chunksPerShard, chunksPerShard.length + 1);
        indexShape[chunksPerShard.length] = 2;
        this.indexSpec = new ChunkSpec(indexShape, 8, new byte[8]);
        long size = index.encodedSize(indexSpec);
        if (size < 0) throw new IllegalArgumentException("sharding: index_codecs must have a fixed encoded size (bytes, crc32c)");
        if (index.endianness() == null) throw new IllegalArgumentException("sharding: index bytes codec needs an endian");
        this.indexSize = Math.toIntExact(size);
        this.indexOrder = index.endianness() == DataType.Endianness.BIG ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        this.indexAtEnd = indexAtEnd;
    }

    static ShardingCodec fromV3(JsonNode c, CodecContext ctx) {
        JsonNode cs = c.path("chunk_shape");
        int[] shard = ctx.chunkShape();
        if (!cs.isArray() || cs.size() != shard.length)
            throw new IllegalArgumentException("sharding: chunk_shape must have " + shard.length + " entries, got " + cs);
        int[] innerShape = new int[cs.size()];
        for (int d = 0; d < innerShape.length; d++) innerShape[d] = cs.get(d).asInt(0);
        CodecPipeline inner = CodecPipeline.v3(c.path("codecs"), ctx.withShape(innerShape));
        int[] indexShape = new int[shard.length + 1];
        for (int d = 0; d < shard.length; d++) indexShape[d] = innerShape[d] <= 0 ? 0 : shard[d] / innerShape[d];
        indexShape[shard.length] = 2;
        CodecPipeline index = CodecPipeline.v3(c.path("index_codecs"), new CodecContext(8, indexShape));
        String location = c.path("index_location").asText("end");
        if (!location.equals("end") && !location.equals("start"))
            throw new IllegalArgumentException("sharding: index_location must be start or end, got " + location);
        return new ShardingCodec(shard, innerShape, inner, index, location.equals("end"));
    }

    public int[] innerShape() { return innerShape.clone(); }

    public int[] chunksPerShard() { return chunksPerShard.clone(); }

    /** Encoded size of the index in bytes. */
    public int indexSize() { return indexSize; }

    public boolean indexAtEnd() { return indexAtEnd; }

    /** Position of the inner chunk {@code local} (C order over chunks per shard) in the index. */
    public int slot(int[] local) {
        int s = 0;
        for (int d = 0; d < local.length; d++) s = s * chunksPerShard[d] + local[d];
        return s;
    }

    /** The (offset, nbytes) pairs of an encoded index; -1 marks an absent inner chunk. */
    public long[] decodeIndex(byte[] encoded) throws CorruptDataException {
        if (encoded.length != indexSize)
            throw new CorruptDataException("shard index is " + encoded.length + " bytes, expected " + indexSize + " (truncated shard?)");
        ByteBuffer raw = ByteBuffer.wrap(index.decode(encoded, indexSpec)).order(indexOrder);
        long[] out = new long[2 * slots];
        for (int i = 0; i < out.length; i++) out[i] = raw.getLong();
        return out;
    }

    /** Offset and length of inner chunk {@code slot}, or null if it is absent; checked against {@code shardSize} if known (>= 0). */
    public long[] range(long[] decodedIndex, int slot, long shardSize) throws CorruptDataException {
        long off = decodedIndex[2 * slot];
        long n = decodedIndex[2 * slot + 1];
        if (off == EMPTY && n == EMPTY) return null;
        if (off < 0 || n < 0 || n > Integer.MAX_VALUE - 64 || (shardSize >= 0 && off + n > shardSize))
            throw new CorruptDataException("shard index entry " + slot + " is invalid (offset " + Long.toUnsignedString(off)
                    + ", nbytes " + Long.toUnsignedString(n) + (shardSize >= 0 ? ", shard size " + shardSize : "") + ")");
        return new long[] {off, n};
    }

    /**
     * When inner chunks are stored as their elements (the {@code bytes} codec, after transposes only), so parts of one
     * can be read: the element stride of each decoded axis in their bytes; else null.
     */
    public long[] innerRawStrides(ChunkSpec innerSpec) { return inner.rawStrides(innerSpec); }

    /** Decodes one inner chunk's stored bytes. */
    public byte[] decodeInner(byte[] encoded, ChunkSpec innerSpec) throws CorruptDataException {
        return inner.decode(encoded, innerSpec);
    }

    @Override
    public byte[] decode(byte[] shard, ChunkSpec spec) throws CorruptDataException {
        if (shard.length < indexSize) throw new CorruptDataException("shard of " + shard.length + " bytes cannot hold its index");
        int at = indexAtEnd ? shard.length - indexSize : 0;
        long[] idx = decodeIndex(Arrays.copyOfRange(shard, at, at + indexSize));
        byte[] out = spec.filled();
        ChunkSpec innerSpec = spec.withShape(innerShape);
        int[] local = new int[chunksPerShard.length];
        int[] origin = new int[local.length];
        for (int slot = 0; slot < slots; slot++) {
            long[] r = range(idx, slot, shard.length);
            if (r != null) {
                byte[] decoded = inner.decode(Arrays.copyOfRange(shard, (int) r[0], (int) (r[0] + r[1])), innerSpec);
                for (int d = 0; d < local.length; d++) origin[d] = local[d] * innerShape[d];
                Transposer.copyBlock(decoded, innerShape, out, shardShape, origin, spec.itemsize());
            }
            for (int d = local.length - 1; d >= 0; d--) {
                if (++local[d] < chunksPerShard[d]) break;
                local[d] = 0;
            }
        }
        return out;
    }

    @Override
    public DataType.Endianness endianness() { return inner.endianness(); }
}
