package dev.tiledgateway.formats.zarr.codec;

import dev.tiledgateway.core.array.CorruptDataException;

/** A codec that turns one array into another array of the same elements (e.g. transpose). */
public interface ArrayArrayCodec {

    /** The spec of the encoded array, given the spec of the decoded one. */
    ChunkSpec encodedSpec(ChunkSpec decoded);

    /** C-order bytes of the decoded array, from C-order bytes of the encoded one. */
    byte[] decode(byte[] encoded, ChunkSpec decoded) throws CorruptDataException;

    /** C-order bytes of the encoded array, from C-order bytes of the decoded one. */
    byte[] encode(byte[] decoded, ChunkSpec spec);
}
