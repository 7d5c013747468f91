package dev.tiledgateway.indexer.plan;

import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.BlobWriter;
import dev.tiledgateway.core.store.ObjectVersion;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The planner's view of the object store: every read of the store it wraps, no write. */
public final class ReadOnlyStore implements BlobStore {

    private final BlobStore store;

    public ReadOnlyStore(BlobStore store) { this.store = store; }

    @Override
    public Optional<byte[]> get(String key) throws IOException { return store.get(key); }

    @Override
    public Optional<byte[]> getRange(String key, long offset, long length) throws IOException { return store.getRange(key, offset, length); }

    @Override
    public Optional<Long> size(String key) throws IOException { return store.size(key); }

    @Override
    public List<String> list(String prefix) throws IOException { return store.list(prefix); }

    @Override
    public Optional<ObjectVersion> version(String key) throws IOException { return store.version(key); }

    @Override
    public List<ObjectVersion> versions(String prefix) throws IOException { return store.versions(prefix); }

    @Override
    public void put(String key, byte[] bytes) { throw new UnsupportedOperationException("the indexer never writes objects"); }

    @Override
    public BlobWriter openWrite(String key) { throw new UnsupportedOperationException("the indexer never writes objects"); }

    @Override
    public void delete(String key) { throw new UnsupportedOperationException("the indexer never deletes objects"); }

    @Override
    public Optional<URI> presignGet(String key, Duration ttl) { return Optional.empty(); }
}
