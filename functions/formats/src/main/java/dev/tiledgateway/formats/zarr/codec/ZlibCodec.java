package dev.tiledgateway.formats.zarr.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.array.CorruptDataException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.zip.Deflater;
import java.util.zip.InflaterInputStream;

/** zlib (RFC 1950): the v2 {@code zlib} compressor. */
public final class ZlibCodec implements BytesBytesCodec {

    private final int level;

    public ZlibCodec(int level) {
        if (level < 0 || level > 9) throw new IllegalArgumentException("zlib level must be 0..9, got " + level);
        this.level = level;
    }

    static ZlibCodec fromConfig(JsonNode configuration, CodecContext ctx) {
        return new ZlibCodec(configuration.path("level").asInt(6));
    }

    @Override
    public byte[] decode(byte[] encoded) throws CorruptDataException {
        return Streams.drain("zlib", () -> new InflaterInputStream(new ByteArrayInputStream(encoded)));
    }

    @Override
    public byte[] encode(byte[] decoded) {
        Deflater deflater = new Deflater(level);
        try {
            deflater.setInput(decoded);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(decoded.length / 2 + 64);
            byte[] buf = new byte[8192];
            while (!deflater.finished()) out.write(buf, 0, deflater.deflate(buf));
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }
}
