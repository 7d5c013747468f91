package dev.tiledgateway.local.demo;

import dev.tiledgateway.core.store.BlobStore;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Materialises the chunks of the demo's multi-gigabyte arrays on first read: a missing chunk object under a
 * registered array prefix is generated deterministically, written to the underlying store, then served like
 * any other. Later reads (and later runs) find the stored object. Every byte is the same on every read.
 */
public final class LazyChunkStore implements BlobStore {

    /** Makes the stored (encoded) bytes of the chunk at a grid index. */
    @FunctionalInterface
    public interface ChunkMaker {
        byte[] make(long[] index);
    }

    private final BlobStore delegate;
    private final Map<String, Lazy> arrays = new ConcurrentHashMap<>();

    private record Lazy(long[] grid, ChunkMaker maker) {}

    public LazyChunkStore(BlobStore delegate) { this.delegate = delegate; }

    /** Chunks of the Zarr v2 array at {@code prefix} (dot-separated keys) come from {@code maker} when absent. */
    public void register(String prefix, long[] grid, ChunkMaker maker) {
        arrays.put(prefix, new Lazy(grid.clone(), maker));
    }

    private boolean fill(String key) throws IOException {
        int slash = key.lastIndexOf('/');
        if (slash < 0) return false;
        Lazy lazy = arrays.get(key.substring(0, slash + 1));
        if (lazy == null) return false;
        String[] parts = key.substring(slash + 1).split("\\.");
        if (parts.length != lazy.grid().length) return false;
        long[] idx = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                idx[i] = Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                return false;
            }
            if (idx[i] < 0 || idx[i] >= lazy.grid()[i]) return false;
        }
        delegate.put(key, lazy.maker().make(idx));
        return true;
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        Optional<byte[]> b = delegate.get(key);
        if (b.isEmpty() && fill(key)) b = delegate.get(key);
        return b;
    }

    @Override
    public Optional<byte[]> getRange(String key, long offset, long length) throws IOException {
        Optional<byte[]> b = delegate.getRange(key, offset, length);
        if (b.isEmpty() && fill(key)) b = delegate.getRange(key, offset, length);
        return b;
    }

    @Override
    public Optional<Long> size(String key) throws IOException {
        Optional<Long> s = delegate.size(key);
        if (s.isEmpty() && fill(key)) s = delegate.size(key);
        return s;
    }

    @Override
    public void put(String key, byte[] bytes) throws IOException { delegate.put(key, bytes); }

    @Override
    public void delete(String key) throws IOException { delegate.delete(key); }

    @Override
    public List<String> list(String prefix) throws IOException { return delegate.list(prefix); }

    @Override
    public Optional<URI> presignGet(String key, Duration ttl) { return delegate.presignGet(key, ttl); }

    @Override
    public Optional<String> keyOf(URI dataUri) { return delegate.keyOf(dataUri); }

    @Override
    public URI uriOf(String key) { return delegate.uriOf(key); }
}
