package dev.tiledgateway.formats.zarr.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.array.CorruptDataException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/** The v3 {@code crc32c} codec: a little-endian CRC32C of the bytes appended, verified on decode. */
public final class Crc32cCodec implements BytesBytesCodec {

    static Crc32cCodec fromConfig(JsonNode configuration, CodecContext ctx) { return new Crc32cCodec(); }

    @Override
    public byte[] decode(byte[] encoded) throws CorruptDataException {
        if (encoded.length < 4) throw new CorruptDataException("crc32c: " + encoded.length + " bytes cannot hold a checksum");
        int n = encoded.length - 4;
        int stored = ByteBuffer.wrap(encoded, n, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int actual = checksum(encoded, n);
        if (stored != actual)
            throw new CorruptDataException(String.format("crc32c mismatch: stored %08x, computed %08x", stored, actual));
        return Arrays.copyOf(encoded, n);
    }

    @Override
    public byte[] encode(byte[] decoded) {
        byte[] out = Arrays.copyOf(decoded, decoded.length + 4);
        ByteBuffer.wrap(out, decoded.length, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(checksum(decoded, decoded.length));
        return out;
    }

    @Override
    public long encodedSize(long decodedSize) { return decodedSize + 4; }

    private static int checksum(byte[] b, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, 0, len);
        return (int) crc.getValue();
    }
}
