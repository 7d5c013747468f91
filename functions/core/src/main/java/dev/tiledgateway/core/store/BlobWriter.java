package dev.tiledgateway.core.store;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An object being written as a stream ({@link BlobStore#openWrite}). Nothing is visible under its key until
 * {@link #commit()} returns; then the whole object is, replacing any earlier one at once, as {@link BlobStore#put}
 * does. Closing a writer that was not committed abandons it: nothing is stored, an earlier object at the key is
 * kept, and whatever the write held (a temporary file, an open multipart upload, buffers) is released.
 *
 * <p>Use it in a try-with-resources block and commit as the block's last statement, so that any failure on the
 * way (of the producer or of the store) leaves nothing behind. One thread at a time.
 */
public abstract class BlobWriter extends OutputStream {

    private boolean committed;
    private boolean closed;

    /** Makes the bytes written so far the object at the key. Writing after this is an error. */
    public final void commit() throws IOException {
        if (closed) throw new IOException("the write was already " + (committed ? "committed" : "abandoned"));
        closed = true;
        committed = true;
        store();
    }

    /** Abandons the write unless it was committed; idempotent. */
    @Override
    public final void close() throws IOException {
        if (closed) return;
        closed = true;
        abandon();
    }

    /** Whether the write is still open for bytes. */
    protected final boolean open() { return !closed; }

    @Override
    public final void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

    @Override
    public final void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (closed) throw new IOException("the write was already " + (committed ? "committed" : "abandoned"));
        if (len > 0) append(b, off, len);
    }

    /** Takes {@code len} bytes; the array may be reused by the caller once this returns. */
    protected abstract void append(byte[] b, int off, int len) throws IOException;

    /** Makes the object appear whole under its key. On failure nothing may be left half-stored. */
    protected abstract void store() throws IOException;

    /** Drops everything written; must not throw for an ordinary failure of the write it abandons. */
    protected abstract void abandon() throws IOException;
}
