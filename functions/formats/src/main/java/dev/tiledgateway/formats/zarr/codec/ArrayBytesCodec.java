package dev.tiledgateway.formats.zarr.codec;

import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.structure.DataType;

/** A codec that serializes an array to bytes (exactly one per pipeline: bytes, sharding_indexed). */
public interface ArrayBytesCodec {

    /**
     * C-order bytes of the chunk in the declared byte layout. The declared layout is the one this
     * codec stores, so no byte swapping happens here.
     */
    byte[] decode(byte[] encoded, ChunkSpec spec) throws CorruptDataException;

    /** Byte order of multi-byte elements as stored, or null when not configured (1-byte types). */
    DataType.Endianness endianness();
}
