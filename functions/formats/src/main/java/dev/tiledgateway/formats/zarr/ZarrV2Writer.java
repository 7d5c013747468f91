package dev.tiledgateway.formats.zarr;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.formats.zarr.codec.BytesBytesCodec;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes Zarr v2 arrays (C order, '.' separated chunk keys, no filters) and groups that
 * zarr-python reads. Create the array, then hand it each chunk's full C-order bytes, edge chunks
 * padded to the chunk shape. Chunks never written read as the fill value. For xarray-style
 * dimension names put {@code _ARRAY_DIMENSIONS} into the attributes.
 */
public final class ZarrV2Writer {

    private final BlobStore store;
    private final String prefix;
    private final int[] chunkShape;
    private final long[] grid;
    private final int chunkBytes;
    private final BytesBytesCodec compressor;
    private final ChunkKeyEncoding keys = ChunkKeyEncoding.v2(".");

    private ZarrV2Writer(BlobStore store, String prefix, int[] chunkShape, long[] grid, int chunkBytes, BytesBytesCodec compressor) {
        this.store = store;
        this.prefix = prefix;
        this.chunkShape = chunkShape;
        this.grid = grid;
        this.chunkBytes = chunkBytes;
        this.compressor = compressor;
    }

    /**
     * Writes {@code .zarray} (and {@code .zattrs} when {@code attributes} is non-empty) under {@code prefix}.
     * {@code fillValue} may be null, a Boolean, Number, String (U, or "NaN"/"Infinity" for floats),
     * byte[] (S, V and record types) or double[2] (complex).
     */
    public static ZarrV2Writer create(BlobStore store, String prefix, DataType dataType, long[] shape, int[] chunkShape,
                                      V2Compressor compressor, Object fillValue, Map<String, ?> attributes) throws IOException {
        String p = ZarrIo.normalize(prefix);
        if (shape.length != chunkShape.length) throw new IllegalArgumentException("shape and chunk shape differ in rank");
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0 || chunkShape[d] < 1) throw new IllegalArgumentException("bad shape " + Arrays.toString(shape)
                    + " / chunk shape " + Arrays.toString(chunkShape));
        }
        V2Compressor comp = compressor == null ? V2Compressor.none() : compressor;
        int bytes = Shapes.chunkBytes(chunkShape, dataType.itemsize());
        ObjectNode meta = Json.object();
        ArrayNode chunks = meta.putArray("chunks");
        for (int c : chunkShape) chunks.add(c);
        meta.set("compressor", comp.toJson());
        meta.put("dimension_separator", ".");
        meta.set("dtype", DataTypes.toV2(dataType));
        meta.set("fill_value", FillValues.toV2(fillValue, dataType));
        meta.putNull("filters");
        meta.put("order", "C");
        ArrayNode s = meta.putArray("shape");
        for (long x : shape) s.add(x);
        meta.put("zarr_format", 2);
        BytesBytesCodec codec = comp.codec(dataType.itemsize(), chunkShape);
        store.put(p + ".zarray", ZarrIo.writeJson(meta));
        writeAttributes(store, p, attributes);
        return new ZarrV2Writer(store, p, chunkShape.clone(), Shapes.grid(shape, chunkShape), bytes, codec);
    }

    /**
     * A writer of chunks into the array already described under {@code prefix} by {@link #create} with the same
     * arguments: nothing is read or written until a chunk is.
     */
    public static ZarrV2Writer reopen(BlobStore store, String prefix, DataType dataType, long[] shape, int[] chunkShape,
                                      V2Compressor compressor) {
        String p = ZarrIo.normalize(prefix);
        V2Compressor comp = compressor == null ? V2Compressor.none() : compressor;
        return new ZarrV2Writer(store, p, chunkShape.clone(), Shapes.grid(shape, chunkShape), Shapes.chunkBytes(chunkShape, dataType.itemsize()),
                comp.codec(dataType.itemsize(), chunkShape));
    }

    /** Writes {@code .zgroup} (and {@code .zattrs} when {@code attributes} is non-empty) under {@code prefix}. */
    public static void writeGroup(BlobStore store, String prefix, Map<String, ?> attributes) throws IOException {
        String p = ZarrIo.normalize(prefix);
        store.put(p + ".zgroup", ZarrIo.writeJson(Map.of("zarr_format", 2)));
        writeAttributes(store, p, attributes);
    }

    private static void writeAttributes(BlobStore store, String p, Map<String, ?> attributes) throws IOException {
        if (attributes == null || attributes.isEmpty()) store.delete(p + ".zattrs");
        else store.put(p + ".zattrs", ZarrIo.writeJson(attributes));
    }

    /** Encodes and stores one chunk: {@code prod(chunkShape) * itemsize} bytes in C order. */
    public void writeChunk(long[] chunkIndex, byte[] chunk) throws IOException {
        if (chunkIndex.length != grid.length) throw new IllegalArgumentException("chunk index has the wrong rank");
        for (int d = 0; d < grid.length; d++) {
            if (chunkIndex[d] < 0 || chunkIndex[d] >= grid[d])
                throw new IllegalArgumentException("chunk index " + Arrays.toString(chunkIndex) + " is outside the grid " + Arrays.toString(grid));
        }
        if (chunk.length != chunkBytes)
            throw new IllegalArgumentException("chunk has " + chunk.length + " bytes, expected " + chunkBytes);
        store.put(prefix + keys.key(chunkIndex), compressor == null ? chunk : compressor.encode(chunk));
    }

    /** The key of the chunk at {@code chunkIndex} (whether or not it is stored). */
    public String chunkKey(long[] chunkIndex) { return prefix + keys.key(chunkIndex); }

    /** The normalized key prefix of the array. */
    public String prefix() { return prefix; }

    public int[] chunkShape() { return chunkShape.clone(); }

    /** Number of chunks along each dimension. */
    public long[] gridShape() { return grid.clone(); }
}
