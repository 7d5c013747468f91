package dev.tiledgateway.formats.zarr.codec;

import dev.tiledgateway.core.array.CorruptDataException;

/** A codec from bytes to bytes: compressors and checksums. Implementations are stateless. */
public interface BytesBytesCodec {

    /** The bytes before encoding; any failure of the underlying library is a CorruptDataException. */
    byte[] decode(byte[] encoded) throws CorruptDataException;

    byte[] encode(byte[] decoded);

    /** Encoded size for a decoded size, or -1 when it depends on the content (compressors). */
    default long encodedSize(long decodedSize) { return -1; }
}
