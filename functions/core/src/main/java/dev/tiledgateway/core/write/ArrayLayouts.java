package dev.tiledgateway.core.write;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.structure.ArrayStructure;
import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.core.structure.StructureJson;

import java.util.Arrays;
import java.util.List;

/**
 * The array structures the gateway can store: a regular chunk grid (every chunk as long as the first along its
 * dimension, the last possibly shorter, as Zarr stores them), chunks that fit in one request body, and a bounded
 * number of chunks. Everything is checked before anything is stored.
 */
public final class ArrayLayouts {

    private ArrayLayouts() {}

    /** The structure to store for one sent to create an array; 422 (or 413) naming what cannot be stored. */
    public static ArrayStructure forCreation(JsonNode structure) {
        if (structure == null || !structure.isObject()) throw TiledException.unprocessable("The array's data source needs a structure object");
        JsonNode shapeNode = structure.get("shape"), chunksNode = structure.get("chunks"), dt = structure.get("data_type");
        if (shapeNode == null || !shapeNode.isArray()) throw TiledException.unprocessable("The array structure needs a shape: a list of integers");
        if (chunksNode == null || !chunksNode.isArray()) throw TiledException.unprocessable("The array structure needs chunks: one list of chunk lengths per dimension");
        if (dt == null || !dt.isObject()) throw TiledException.unprocessable("The array structure needs a data_type object");
        if (shapeNode.size() > WriteLimits.MAX_NDIM) throw TiledException.unprocessable("Arrays of at most " + WriteLimits.MAX_NDIM + " dimensions can be written");
        for (JsonNode n : shapeNode) if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 0)
            throw TiledException.unprocessable("The shape must be non-negative integers, not " + shapeNode);
        for (JsonNode c : chunksNode) {
            if (!c.isArray()) throw TiledException.unprocessable("chunks must be a list of lists of integers");
            for (JsonNode n : c) if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0)
                throw TiledException.unprocessable("Chunk lengths must be non-negative integers, not " + c);
        }
        DataType type;
        try {
            type = StructureJson.dataType(dt);
        } catch (RuntimeException e) {
            throw TiledException.unprocessable("The data_type " + dt + " is not one the gateway can store"
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        ArrayStructure sent;
        try {
            sent = StructureJson.array(structure);
        } catch (RuntimeException e) {
            throw TiledException.unprocessable("The array structure is inconsistent: " + e.getMessage());
        }
        List<String> dims = sent.dims();
        if (dims != null && dims.size() != sent.ndim())
            throw TiledException.unprocessable("dims names " + dims.size() + " dimensions but the shape has " + sent.ndim());
        int[] chunkShape = new int[sent.ndim()];
        for (int d = 0; d < sent.ndim(); d++) {
            long[] c = sent.chunks()[d];
            long first = c.length == 0 ? 1 : Math.max(1, c[0]);
            for (int i = 0; i < c.length; i++) {
                boolean last = i == c.length - 1;
                if (last ? c[i] > first || (c[i] == 0 && sent.shape()[d] > 0) : c[i] != first)
                    throw TiledException.unprocessable("The chunks along dimension " + d + " are irregular (" + abbreviated(c)
                            + "): the gateway stores arrays as Zarr, whose chunks are all as long as the first but the last, which may be shorter");
            }
            if (first > Integer.MAX_VALUE) throw TiledException.unprocessable("A chunk of " + first + " elements along dimension " + d + " is too long");
            chunkShape[d] = (int) first;
        }
        ArrayStructure stored = ArrayStructure.regular(type, sent.shape(), chunkShape, dims);
        checkBounds(stored);
        return stored;
    }

    /** 422 when the array's chunks would not fit in one request, or are too many, or its size overflows. */
    public static void checkBounds(ArrayStructure s) {
        int itemsize = s.dataType().itemsize();
        long chunkBytes = itemsize;
        long chunks = 1;
        try {
            s.size();
            Math.multiplyExact(s.size(), (long) itemsize);
            for (int d = 0; d < s.ndim(); d++) {
                chunkBytes = Math.multiplyExact(chunkBytes, chunkLength(s, d));
                chunks = Math.multiplyExact(chunks, (long) s.chunks()[d].length);
            }
        } catch (ArithmeticException e) {
            throw TiledException.unprocessable("The array's shape " + Arrays.toString(s.shape()) + " is too large to store");
        }
        if (chunkBytes > WriteLimits.MAX_BODY_BYTES)
            throw TiledException.unprocessable("Each chunk of this array holds " + chunkBytes + " bytes, more than one request may carry ("
                    + WriteLimits.MAX_BODY_BYTES + " bytes), so its blocks could not be written. Choose smaller chunks (with the Python client,"
                    + " write_array a dask array, e.g. dask.array.from_array(a, chunks=...), with chunks under 4.5 MB).");
        if (chunks > WriteLimits.MAX_CHUNKS)
            throw TiledException.unprocessable("The array would have " + chunks + " chunks; at most " + WriteLimits.MAX_CHUNKS + " can be written. Choose larger chunks.");
    }

    /** The chunk length along {@code d}: the first chunk's (1 where the dimension is empty). */
    public static int chunkLength(ArrayStructure s, int d) {
        long[] c = s.chunks()[d];
        return c.length == 0 ? 1 : (int) Math.max(1, c[0]);
    }

    public static int[] chunkShape(ArrayStructure s) {
        int[] out = new int[s.ndim()];
        for (int d = 0; d < out.length; d++) out[d] = chunkLength(s, d);
        return out;
    }

    /** The same array grown to {@code shape}, its chunk pattern extended (Zarr's regular grid). */
    public static ArrayStructure resized(ArrayStructure s, long[] shape) {
        int[] chunk = chunkShape(s);
        long chunks = 1;
        for (int d = 0; d < shape.length; d++) {
            long n = (shape[d] + chunk[d] - 1) / chunk[d];
            if (n > WriteLimits.MAX_CHUNKS || (chunks = chunks * n) > WriteLimits.MAX_CHUNKS)
                throw TiledException.unprocessable("Grown to " + Arrays.toString(shape) + ", the array would have more than " + WriteLimits.MAX_CHUNKS
                        + " chunks of " + Arrays.toString(chunk) + "; at most that many can be written");
        }
        ArrayStructure r = ArrayStructure.regular(s.dataType(), shape, chunkShape(s), s.dims());
        checkBounds(r);
        return r;
    }

    private static String abbreviated(long[] c) {
        if (c.length <= 8) return Arrays.toString(c);
        return Arrays.toString(Arrays.copyOf(c, 8)).replace("]", ", ... (" + c.length + " chunks)]");
    }
}
