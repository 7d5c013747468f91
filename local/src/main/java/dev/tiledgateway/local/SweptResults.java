package dev.tiledgateway.local;

import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.BlobWriter;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The store the local server materialises results in: its folder store, swept ({@link ResultSweeper}) each time
 * a result has been stored, so the cap holds from one result to the next and not only at the periodic sweeps.
 */
final class SweptResults implements BlobStore {

    private final BlobStore store;
    private final String prefix;
    private final ResultSweeper sweeper;

    SweptResults(BlobStore store, String prefix, ResultSweeper sweeper) {
        this.store = store;
        this.prefix = prefix;
        this.sweeper = sweeper;
    }

    private void stored(String key) throws IOException {
        if (key.startsWith(prefix)) sweeper.sweep();
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException { return store.get(key); }

    @Override
    public Optional<byte[]> getRange(String key, long offset, long length) throws IOException { return store.getRange(key, offset, length); }

    @Override
    public Optional<Long> size(String key) throws IOException { return store.size(key); }

    @Override
    public void put(String key, byte[] bytes) throws IOException {
        store.put(key, bytes);
        stored(key);
    }

    @Override
    public BlobWriter openWrite(String key) throws IOException {
        BlobWriter w = store.openWrite(key);
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

    @Override
    public void delete(String key) throws IOException { store.delete(key); }

    @Override
    public List<String> list(String prefix) throws IOException { return store.list(prefix); }

    @Override
    public Optional<URI> presignGet(String key, Duration ttl) { return store.presignGet(key, ttl); }

    @Override
    public Optional<String> keyOf(URI dataUri) { return store.keyOf(dataUri); }

    @Override
    public URI uriOf(String key) { return store.uriOf(key); }
}
