package dev.tiledgateway.formats.zarr.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.array.CorruptDataException;

/** The v3 {@code transpose} codec; also v2's {@code order: "F"} (all axes reversed). */
public final class TransposeCodec implements ArrayArrayCodec {

    private final int[] order;
    private final int[] inverse;

    public TransposeCodec(int[] order) {
        boolean[] seen = new boolean[order.length];
        for (int o : order) {
            if (o < 0 || o >= order.length || seen[o])
                throw new IllegalArgumentException("transpose order is not a permutation: " + java.util.Arrays.toString(order));
            seen[o] = true;
        }
        this.order = order.clone();
        this.inverse = Transposer.inverse(order);
    }

    static TransposeCodec fromV3(JsonNode configuration, CodecContext ctx) {
        JsonNode o = configuration.path("order");
        if (!o.isArray()) throw new IllegalArgumentException("transpose codec needs an 'order' array, got " + o);
        int[] order = new int[o.size()];
        for (int i = 0; i < order.length; i++) order[i] = o.get(i).asInt(-1);
        if (order.length != ctx.chunkShape().length)
            throw new IllegalArgumentException("transpose order has " + order.length + " axes, the array " + ctx.chunkShape().length);
        return new TransposeCodec(order);
    }

    /** {@code values}, one per decoded axis, in the order of the encoded axes. */
    int[] permuted(int[] values) {
        int[] out = new int[order.length];
        for (int i = 0; i < order.length; i++) out[i] = values[order[i]];
        return out;
    }

    @Override
    public ChunkSpec encodedSpec(ChunkSpec decoded) {
        int[] s = decoded.shape();
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) out[i] = s[order[i]];
        return decoded.withShape(out);
    }

    @Override
    public byte[] decode(byte[] encoded, ChunkSpec decoded) throws CorruptDataException {
        if (encoded.length != decoded.byteLength()) throw new CorruptDataException("transposed chunk has the wrong size");
        return Transposer.permute(encoded, encodedSpec(decoded).shape(), inverse, decoded.itemsize());
    }

    @Override
    public byte[] encode(byte[] decoded, ChunkSpec spec) {
        return Transposer.permute(decoded, spec.shape(), order, spec.itemsize());
    }
}
