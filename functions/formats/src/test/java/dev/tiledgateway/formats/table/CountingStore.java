package dev.tiledgateway.formats.table;

import dev.tiledgateway.core.store.BlobStore;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A store that counts whole-object and ranged GETs, to pin down how Parquet objects are fetched. */
final class CountingStore implements BlobStore {
    private final BlobStore inner;
    int wholeGets;
    int rangeGets;

    CountingStore(BlobStore inner) { this.inner = inner; }

    public Optional<byte[]> get(String key) throws IOException { wholeGets++; return inner.get(key); }

    public Optional<byte[]> getRange(String key, long offset, long length) throws IOException { rangeGets++; return inner.getRange(key, offset, length); }

    public Optional<Long> size(String key) throws IOException { return inner.size(key); }

    public void put(String key, byte[] bytes) throws IOException { inner.put(key, bytes); }

    public void delete(String key) throws IOException { inner.delete(key); }

    public List<String> list(String prefix) throws IOException { return inner.list(prefix); }

    public Optional<URI> presignGet(String key, Duration ttl) { return inner.presignGet(key, ttl); }
}
