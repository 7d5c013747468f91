package dev.tiledgateway.formats.zarr.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.structure.DataType;

/**
 * The v3 {@code bytes} codec (and the implicit array-to-bytes step of v2): elements stored in the
 * given byte order, which becomes the declared byte order, so decoding only checks the length.
 */
public final class BytesCodec implements ArrayBytesCodec {

    private final DataType.Endianness endianness;

    public BytesCodec(DataType.Endianness endianness) { this.endianness = endianness; }

    static BytesCodec fromV3(JsonNode configuration, CodecContext ctx) {
        JsonNode endian = configuration.path("endian");
        if (endian.isMissingNode() || endian.isNull()) {
            if (ctx.itemsize() > 1) throw new IllegalArgumentException("bytes codec needs 'endian' for multi-byte data types");
            return new BytesCodec(null);
        }
        return switch (endian.asText()) {
            case "little" -> new BytesCodec(DataType.Endianness.LITTLE);
            case "big" -> new BytesCodec(DataType.Endianness.BIG);
            default -> throw new IllegalArgumentException("bytes codec: unknown endian " + endian);
        };
    }

    @Override
    public byte[] decode(byte[] encoded, ChunkSpec spec) throws CorruptDataException {
        if (encoded.length != spec.byteLength())
            throw new CorruptDataException("chunk holds " + encoded.length + " bytes, expected " + spec.byteLength()
                    + " for shape " + java.util.Arrays.toString(spec.shape()));
        return encoded;
    }

    @Override
    public DataType.Endianness endianness() { return endianness; }
}
