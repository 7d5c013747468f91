package dev.tiledgateway.formats.zarr.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.array.CorruptDataException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** gzip (RFC 1952): v3 {@code gzip}, v2 {@code gzip}. */
public final class GzipCodec implements BytesBytesCodec {

    private final int level;

    public GzipCodec(int level) {
        if (level < 0 || level > 9) throw new IllegalArgumentException("gzip level must be 0..9, got " + level);
        this.level = level;
    }

    static GzipCodec fromConfig(JsonNode configuration, CodecContext ctx) {
        return new GzipCodec(configuration.path("level").asInt(6));
    }

    @Override
    public byte[] decode(byte[] encoded) throws CorruptDataException {
        return Streams.drain("gzip", () -> new GZIPInputStream(new ByteArrayInputStream(encoded)));
    }

    @Override
    public byte[] encode(byte[] decoded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(decoded.length / 2 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out) { { def.setLevel(level); } }) {
            gz.write(decoded);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
