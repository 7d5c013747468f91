package dev.tiledgateway.formats.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.array.CorruptDataException;

/** Reading shapes from metadata JSON and walking regular chunk grids. */
final class Shapes {

    private Shapes() {}

    static long[] longs(JsonNode n, String what, String where) throws CorruptDataException {
        if (!n.isArray()) throw new CorruptDataException(where + ": '" + what + "' must be an array of integers, got " + n);
        long[] out = new long[n.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode x = n.get(i);
            if (!x.canConvertToLong() || !x.isIntegralNumber() || x.asLong() < 0)
                throw new CorruptDataException(where + ": '" + what + "' must hold non-negative integers, got " + n);
            out[i] = x.asLong();
        }
        return out;
    }

    static int[] positiveInts(JsonNode n, String what, String where) throws CorruptDataException {
        long[] l = longs(n, what, where);
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            if (l[i] < 1 || l[i] > Integer.MAX_VALUE) throw new CorruptDataException(where + ": '" + what + "' must hold positive ints, got " + n);
            out[i] = (int) l[i];
        }
        return out;
    }

    /** Number of chunks along each dimension. */
    static long[] grid(long[] shape, int[] chunkShape) {
        long[] g = new long[shape.length];
        for (int d = 0; d < shape.length; d++) g[d] = (shape[d] + chunkShape[d] - 1) / chunkShape[d];
        return g;
    }

    /** Bytes of one decoded chunk, refusing chunks a Java array cannot hold. */
    static int chunkBytes(int[] chunkShape, int itemsize) {
        long n = itemsize;
        for (int c : chunkShape) n = Math.multiplyExact(n, (long) c);
        if (n > Integer.MAX_VALUE - 64) throw new IllegalArgumentException("chunks of " + n + " bytes are too large to decode");
        return (int) n;
    }
}
