package dev.tiledgateway.formats.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.array.ChunkedArray;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.ByteRange;
import dev.tiledgateway.core.structure.ArrayStructure;
import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.formats.zarr.codec.ArrayArrayCodec;
import dev.tiledgateway.formats.zarr.codec.BytesBytesCodec;
import dev.tiledgateway.formats.zarr.codec.BytesCodec;
import dev.tiledgateway.formats.zarr.codec.ChunkSpec;
import dev.tiledgateway.formats.zarr.codec.CodecContext;
import dev.tiledgateway.formats.zarr.codec.CodecPipeline;
import dev.tiledgateway.formats.zarr.codec.CodecRegistry;
import dev.tiledgateway.formats.zarr.codec.ShardingCodec;
import dev.tiledgateway.formats.zarr.codec.TransposeCodec;
import dev.tiledgateway.formats.zarr.codec.Transposer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A Zarr v2 or v3 array in a {@link BlobStore}, decoded one chunk at a time.
 *
 * <p>The data type is declared exactly as stored (v2: the dtype string's byte order; v3: the
 * {@code bytes} codec's endian), so chunks are returned without byte swapping. V2 arrays in F order
 * are returned in C order like every other chunk.
 *
 * <p>Sharded v3 arrays, whose only codec is {@code sharding_indexed}, are exposed at the granularity
 * of their <em>inner</em> chunks: {@link #chunkShape()}, {@link #readChunk} and the chunks in
 * {@link #structure()} all follow the inner chunk grid. An inner chunk is the smallest unit that
 * can be fetched (two ranged GETs: the shard index, then the chunk) and decoded on its own, so a
 * slice never pulls in a whole shard; and the chunks reported to clients are then exactly the
 * pieces that are cheap to request, so structure and read granularity cannot disagree. (The
 * inner grid refines the shard grid, as the shard shape is a multiple of the inner chunk shape.)
 * If other codecs surround the sharding codec, a shard can only be decoded whole, and the shard
 * grid is used instead.
 *
 * <p>Instances are immutable and thread-safe. {@code open} throws IllegalArgumentException for a
 * prefix that holds no array and for unsupported features (data types, codecs, grids), naming them;
 * malformed metadata JSON is a {@link dev.tiledgateway.core.array.CorruptDataException}.
 */
public final class ZarrArray implements ChunkedArray {

    private final String prefix;
    private final int zarrFormat;
    private final ArrayStructure structure;
    private final int[] chunkShape;
    private final long[] grid;
    private final JsonNode attributes;
    private final ChunkSource source;

    private ZarrArray(String prefix, int zarrFormat, DataType dt, long[] shape, int[] chunkShape, List<String> dims,
                      JsonNode attributes, ChunkSource source) {
        this.prefix = prefix;
        this.zarrFormat = zarrFormat;
        this.structure = ArrayStructure.regular(dt, shape, chunkShape, dims);
        this.chunkShape = chunkShape.clone();
        this.grid = Shapes.grid(shape, chunkShape);
        this.attributes = attributes.deepCopy();
        this.source = source;
    }

    /** Opens the array whose metadata lies under {@code prefix} ({@code ""}, {@code "a/b"} or {@code "a/b/"}). */
    public static ZarrArray open(BlobStore store, String prefix) throws IOException {
        String p = ZarrIo.normalize(prefix);
        Optional<JsonNode> v3 = ZarrIo.readJson(store, p + "zarr.json");
        try {
            if (v3.isPresent()) return openV3(store, p, V3ArrayMetadata.parse(v3.get(), p + "zarr.json"));
            Optional<JsonNode> v2 = ZarrIo.readJson(store, p + ".zarray");
            if (v2.isPresent()) {
                JsonNode attrs = ZarrIo.readJson(store, p + ".zattrs").orElseGet(Json::object);
                return openV2(store, p, V2ArrayMetadata.parse(v2.get(), p + ".zarray"), attrs);
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("Zarr array at '" + p + "': " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("no Zarr array at '" + p + "'");
    }

    private static ZarrArray openV2(BlobStore store, String p, V2ArrayMetadata m, JsonNode attrs) {
        DataType dt = m.dataType();
        int itemsize = dt.itemsize();
        Shapes.chunkBytes(m.chunks(), itemsize);
        CodecContext ctx = new CodecContext(itemsize, m.chunks());
        List<BytesBytesCodec> bytesBytes = new ArrayList<>();
        for (JsonNode f : m.filters()) bytesBytes.add(CodecRegistry.v2(f, ctx, "filter"));
        if (m.compressor() != null && !m.compressor().isNull()) bytesBytes.add(CodecRegistry.v2(m.compressor(), ctx, "compressor"));
        int ndim = m.chunks().length;
        List<ArrayArrayCodec> arrayArray = m.fortranOrder() && ndim > 1
                ? List.of(new TransposeCodec(Transposer.reversed(ndim))) : List.of();
        DataType.Endianness e = dt instanceof DataType.Builtin b ? b.endianness() : null;
        CodecPipeline pipeline = new CodecPipeline(arrayArray, new BytesCodec(e), bytesBytes);
        byte[] fill = FillValues.v2(m.fillValue(), dt);
        ChunkSpec spec = new ChunkSpec(m.chunks(), itemsize, fill);
        ChunkSource source = new PlainChunkSource(store, p, ChunkKeyEncoding.v2(m.dimensionSeparator()), pipeline, spec);
        return new ZarrArray(p, 2, dt, m.shape(), m.chunks(), v2Dims(attrs, ndim), attrs, source);
    }

    private static ZarrArray openV3(BlobStore store, String p, V3ArrayMetadata m) {
        int itemsize = DataTypes.v3Itemsize(m.dataType());
        Shapes.chunkBytes(m.chunkShape(), itemsize);
        CodecPipeline pipeline = CodecPipeline.v3(m.codecs(), new CodecContext(itemsize, m.chunkShape()));
        DataType.Builtin dt = DataTypes.v3(m.dataType(), pipeline.endianness());
        byte[] fill = FillValues.v3(m.fillValue(), dt);
        ChunkKeyEncoding keys = ChunkKeyEncoding.fromV3(m.chunkKeyEncoding());
        if (pipeline.isArrayBytesOnly() && pipeline.arrayBytes() instanceof ShardingCodec sharding) {
            int[] inner = sharding.innerShape();
            ChunkSource source = new ShardedChunkSource(store, p, keys, sharding, new ChunkSpec(inner, itemsize, fill));
            return new ZarrArray(p, 3, dt, m.shape(), inner, m.dimensionNames(), m.attributes(), source);
        }
        ChunkSource source = new PlainChunkSource(store, p, keys, pipeline, new ChunkSpec(m.chunkShape(), itemsize, fill));
        return new ZarrArray(p, 3, dt, m.shape(), m.chunkShape(), m.dimensionNames(), m.attributes(), source);
    }

    /** xarray's convention: {@code _ARRAY_DIMENSIONS}, a list of one name per dimension. */
    private static List<String> v2Dims(JsonNode attrs, int ndim) {
        JsonNode d = attrs.path("_ARRAY_DIMENSIONS");
        if (!d.isArray() || d.size() != ndim) return null;
        List<String> names = new ArrayList<>();
        for (JsonNode n : d) {
            if (!n.isTextual()) return null;
            names.add(n.asText());
        }
        return List.copyOf(names);
    }

    /** The normalized key prefix of the array ({@code ""} or ending with '/'). */
    public String prefix() { return prefix; }

    /** 2 or 3. */
    public int zarrFormat() { return zarrFormat; }

    /** The user attributes (v2 {@code .zattrs}, v3 {@code attributes}); an empty object if none. A copy. */
    public JsonNode attributes() { return attributes.deepCopy(); }

    @Override
    public ArrayStructure structure() { return structure; }

    @Override
    public int[] chunkShape() { return chunkShape.clone(); }

    /** Number of chunks along each dimension. */
    public long[] gridShape() { return grid.clone(); }

    /** @throws IllegalArgumentException when {@code chunkIndex} has the wrong rank or lies outside the grid */
    @Override
    public byte[] readChunk(long[] chunkIndex) throws IOException {
        if (chunkIndex == null || chunkIndex.length != grid.length)
            throw new IllegalArgumentException("chunk index " + Arrays.toString(chunkIndex) + " does not have rank " + grid.length);
        for (int d = 0; d < grid.length; d++) {
            if (chunkIndex[d] < 0 || chunkIndex[d] >= grid[d])
                throw new IllegalArgumentException("chunk index " + Arrays.toString(chunkIndex) + " is outside the grid " + Arrays.toString(grid));
        }
        return source.read(chunkIndex.clone());
    }

    @Override
    public boolean readsRanges() { return source.readsRanges(); }

    @Override
    public long[] rangeStrides() {
        long[] raw = source.rawStrides();
        return raw != null ? raw : ChunkedArray.super.rangeStrides();
    }

    @Override
    public Optional<List<byte[]>> readChunkRanges(long[] chunkIndex, List<ByteRange> ranges) throws IOException {
        if (chunkIndex == null || chunkIndex.length != grid.length) return Optional.empty();
        for (int d = 0; d < grid.length; d++) if (chunkIndex[d] < 0 || chunkIndex[d] >= grid[d]) return Optional.empty();
        return source.readRanges(chunkIndex.clone(), ranges);
    }
}
