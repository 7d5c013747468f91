package dev.tiledgateway.indexer.plan;

import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.BlobWriter;
import dev.tiledgateway.core.store.ForwardingBlobStore;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The planner's view of the object store: every read of the store it wraps, no write. */
public final class ReadOnlyStore extends ForwardingBlobStore {

    public ReadOnlyStore(BlobStore store) { super(store); }

    @Override
    public void put(String key, byte[] bytes) { throw new UnsupportedOperationException("the indexer never writes objects"); }

    @Override
    public BlobWriter openWrite(String key) { throw new UnsupportedOperationException("the indexer never writes objects"); }

    @Override
    public boolean copy(String from, String to) { throw new UnsupportedOperationException("the indexer never writes objects"); }

    @Override
    public void delete(String key) { throw new UnsupportedOperationException("the indexer never deletes objects"); }

    @Override
    public Optional<URI> presignGet(String key, Duration ttl) { return Optional.empty(); }
}
