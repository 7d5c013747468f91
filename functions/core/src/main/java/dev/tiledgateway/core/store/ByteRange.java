package dev.tiledgateway.core.store;

/** {@code length} bytes of an object starting at {@code offset}: one piece of a {@link BlobStore#getRanges} read. */
public record ByteRange(long offset, int length) {

    public ByteRange {
        if (offset < 0 || length < 0) throw new IllegalArgumentException("invalid byte range: offset " + offset + ", length " + length);
    }

    /** The exclusive end offset. */
    public long end() { return offset + length; }
}
