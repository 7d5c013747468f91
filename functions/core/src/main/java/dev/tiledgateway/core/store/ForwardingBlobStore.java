package dev.tiledgateway.core.store;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A {@link BlobStore} that hands every call to another; wrappers override only what they add.
 * {@link #getRanges} is the exception: it is not forwarded but goes through this wrapper's {@link #getRange}, so a
 * wrapper that guards or changes reads stays in the path; a wrapper that only passes reads on forwards it itself
 * (with {@link #forwardRanges}) to keep the delegate's faster multi-range read.
 */
public abstract class ForwardingBlobStore implements BlobStore {

    protected final BlobStore delegate;

    protected ForwardingBlobStore(BlobStore delegate) { this.delegate = delegate; }

    @Override
    public Optional<byte[]> get(String key) throws IOException { return delegate.get(key); }

    @Override
    public Optional<byte[]> getRange(String key, long offset, long length) throws IOException { return delegate.getRange(key, offset, length); }

    /** The delegate's {@link #getRanges}, for subclasses that pass reads on unchanged. */
    protected final Optional<List<byte[]>> forwardRanges(String key, List<ByteRange> ranges) throws IOException {
        return delegate.getRanges(key, ranges);
    }

    @Override
    public Optional<Long> size(String key) throws IOException { return delegate.size(key); }

    @Override
    public Optional<ObjectVersion> version(String key) throws IOException { return delegate.version(key); }

    @Override
    public List<ObjectVersion> versions(String prefix) throws IOException { return delegate.versions(prefix); }

    @Override
    public void put(String key, byte[] bytes) throws IOException { delegate.put(key, bytes); }

    @Override
    public BlobWriter openWrite(String key) throws IOException { return delegate.openWrite(key); }

    @Override
    public boolean copy(String from, String to) throws IOException { return delegate.copy(from, to); }

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
