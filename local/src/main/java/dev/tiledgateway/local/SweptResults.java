package dev.tiledgateway.local;

import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.BlobWriter;
import dev.tiledgateway.core.store.ForwardingBlobStore;

import java.io.IOException;

/**
 * The store the local server materialises results in: its folder store, swept ({@link ResultSweeper}) each time
 * a result has been stored, so the cap holds from one result to the next and not only at the periodic sweeps.
 */
final class SweptResults extends ForwardingBlobStore {

    private final String prefix;
    private final ResultSweeper sweeper;

    SweptResults(BlobStore store, String prefix, ResultSweeper sweeper) {
        super(store);
        this.prefix = prefix;
        this.sweeper = sweeper;
    }

    @Override
    public java.util.Optional<java.util.List<byte[]>> getRanges(String key, java.util.List<dev.tiledgateway.core.store.ByteRange> ranges) throws IOException {
        return forwardRanges(key, ranges);
    }

    private void stored(String key) throws IOException {
        if (key.startsWith(prefix)) sweeper.sweep();
    }

    @Override
    public void put(String key, byte[] bytes) throws IOException {
        delegate.put(key, bytes);
        stored(key);
    }

    @Override
    public boolean copy(String from, String to) throws IOException {
        boolean copied = delegate.copy(from, to);
        if (copied) stored(to);
        return copied;
    }

    @Override
    public BlobWriter openWrite(String key) throws IOException {
        BlobWriter w = delegate.openWrite(key);
        return new BlobWriter() {
            @Override
            protected void append(byte[] b, int off, int len) throws IOException { w.write(b, off, len); }

            @Override
            protected void store() throws IOException {
                w.commit();
                stored(key);
            }

            @Override
            protected void abandon() throws IOException { w.close(); }
        };
    }
}
