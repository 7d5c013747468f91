package dev.tiledgateway.core.array;

import java.io.IOException;

/** Stored bytes that cannot be decoded as their metadata says (truncated, wrong codec, bad checksum). */
public final class CorruptDataException extends IOException {
    public CorruptDataException(String message) { super(message); }

    public CorruptDataException(String message, Throwable cause) { super(message, cause); }
}
