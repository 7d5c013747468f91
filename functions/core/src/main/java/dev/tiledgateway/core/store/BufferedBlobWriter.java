package dev.tiledgateway.core.store;

import java.io.IOException;
import java.util.Arrays;

/** The default streamed write of a store without one of its own: bytes gathered in memory, up to a bound, then one put. */
final class BufferedBlobWriter extends BlobWriter {

    private final BlobStore store;
    private final String key;
    private final long limit;
    private byte[] buf = new byte[8192];
    private int size;

    BufferedBlobWriter(BlobStore store, String key, long limit) {
        this.store = store;
        this.key = key;
        this.limit = limit;
    }

    @Override
    protected void append(byte[] b, int off, int len) throws IOException {
        if (size + (long) len > limit)
            throw new IOException("a buffered write of " + key + " may hold at most " + limit + " bytes");
        if (size + len > buf.length) buf = Arrays.copyOf(buf, (int) Math.min(limit, Math.max(size + (long) len, 2L * buf.length)));
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    @Override
    protected void store() throws IOException {
        byte[] whole = size == buf.length ? buf : Arrays.copyOf(buf, size);
        buf = null;
        store.put(key, whole);
    }

    @Override
    protected void abandon() { buf = null; }
}
