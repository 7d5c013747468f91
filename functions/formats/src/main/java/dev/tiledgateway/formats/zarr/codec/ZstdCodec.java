package dev.tiledgateway.formats.zarr.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdInputStream;
import dev.tiledgateway.core.array.CorruptDataException;

import java.io.ByteArrayInputStream;

/** Zstandard frames (zstd-jni): v3 {@code zstd} (level, checksum), v2 {@code zstd} (level). */
public final class ZstdCodec implements BytesBytesCodec {

    private final int level;
    private final boolean checksum;

    public ZstdCodec(int level, boolean checksum) {
        this.level = level;
        this.checksum = checksum;
    }

    static ZstdCodec fromConfig(JsonNode configuration, CodecContext ctx) {
        return new ZstdCodec(configuration.path("level").asInt(0), configuration.path("checksum").asBoolean(false));
    }

    @Override
    public byte[] decode(byte[] encoded) throws CorruptDataException {
        if (encoded.length == 0) throw new CorruptDataException("zstd: empty input is not a frame");
        // Streaming decode: handles frames without a content size and concatenated frames.
        return Streams.drain("zstd", () -> new ZstdInputStream(new ByteArrayInputStream(encoded)));
    }

    @Override
    public byte[] encode(byte[] decoded) {
        try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
            return ctx.setLevel(level).setChecksum(checksum).compress(decoded);
        }
    }
}
