package dev.tiledgateway.formats.zarr.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.scalableminds.bloscjava.Blosc;
import dev.tiledgateway.core.array.CorruptDataException;

import java.util.Map;

/**
 * Blosc 1 frames (blosc-java, bundled natives): v2 {@code blosc} (numeric shuffle, -1 = auto) and
 * v3 {@code blosc} (named shuffle, typesize). Decoding needs no configuration: the frame header says it all.
 */
public final class BloscCodec implements BytesBytesCodec {

    private static final int HEADER = 16;
    private static final Map<String, Integer> SHUFFLE_NAMES = Map.of("noshuffle", 0, "shuffle", 1, "bitshuffle", 2);

    private final Blosc.Compressor cname;
    private final int clevel;
    private final Blosc.Shuffle shuffle;
    private final int typesize;
    private final int blocksize;

    public BloscCodec(String cname, int clevel, int shuffle, int typesize, int blocksize) {
        this.cname = compressor(cname);
        if (clevel < 0 || clevel > 9) throw new IllegalArgumentException("blosc clevel must be 0..9, got " + clevel);
        if (typesize < 1) throw new IllegalArgumentException("blosc typesize must be positive");
        if (shuffle == -1) shuffle = typesize == 1 ? 2 : 1;
        if (shuffle < 0 || shuffle > 2) throw new IllegalArgumentException("blosc shuffle must be -1..2, got " + shuffle);
        this.clevel = clevel;
        this.shuffle = Blosc.Shuffle.fromInt(shuffle);
        this.typesize = typesize;
        this.blocksize = blocksize;
    }

    static BloscCodec fromV2(JsonNode c, CodecContext ctx) {
        return new BloscCodec(c.path("cname").asText("lz4"), c.path("clevel").asInt(5), c.path("shuffle").asInt(1),
                ctx.itemsize(), c.path("blocksize").asInt(0));
    }

    static BloscCodec fromV3(JsonNode c, CodecContext ctx) {
        String s = c.path("shuffle").asText("noshuffle");
        Integer shuffle = SHUFFLE_NAMES.get(s);
        if (shuffle == null) throw new IllegalArgumentException("blosc codec: unknown shuffle " + s);
        return new BloscCodec(c.path("cname").asText("lz4"), c.path("clevel").asInt(5), shuffle,
                c.path("typesize").asInt(ctx.itemsize()), c.path("blocksize").asInt(0));
    }

    private static Blosc.Compressor compressor(String name) {
        for (Blosc.Compressor c : Blosc.Compressor.values()) if (c.getValue().equals(name)) return c;
        throw new IllegalArgumentException("unsupported blosc cname: " + name);
    }

    @Override
    public byte[] decode(byte[] encoded) throws CorruptDataException {
        if (encoded.length < HEADER) throw new CorruptDataException("blosc: " + encoded.length + " bytes is shorter than a header");
        long nbytes = le32(encoded, 4);
        long cbytes = le32(encoded, 12);
        if (cbytes > encoded.length)
            throw new CorruptDataException("blosc: frame says " + cbytes + " bytes but only " + encoded.length + " are stored (truncated)");
        if (cbytes < HEADER || nbytes > Integer.MAX_VALUE - 64)
            throw new CorruptDataException("blosc: implausible header (nbytes " + nbytes + ", cbytes " + cbytes + ")");
        try {
            byte[] out = Blosc.decompress(encoded, 1);
            if (out == null || out.length != nbytes)
                throw new CorruptDataException("blosc: decoded " + (out == null ? 0 : out.length) + " bytes, header says " + nbytes);
            return out;
        } catch (RuntimeException e) {
            throw new CorruptDataException("blosc data cannot be decoded: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] encode(byte[] decoded) {
        return Blosc.compress(decoded, typesize, cname, clevel, shuffle, blocksize, 1);
    }

    private static long le32(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }
}
