package dev.tiledgateway.core.observe;

import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.BlobWriter;
import dev.tiledgateway.core.store.ForwardingBlobStore;
import dev.tiledgateway.core.store.ObjectVersion;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A {@link BlobStore} that charges every call that reaches the object store, with its time, to the current request's
 * {@link RequestTrace}. Opening a streamed write counts as one call; the bytes written to it afterwards are the
 * writer's (a multipart upload's parts are not counted one by one). URL building ({@code presignGet}, {@code keyOf},
 * {@code uriOf}) asks nothing of the store and is not counted.
 */
public final class CountingBlobStore extends ForwardingBlobStore {

    public CountingBlobStore(BlobStore delegate) { super(delegate); }

    /** The wrapped store. */
    public BlobStore delegate() { return delegate; }

    @FunctionalInterface
    private interface StoreCall<T> {
        T call() throws IOException;
    }

    private static <T> T timed(StoreCall<T> call) throws IOException {
        RequestTrace t = RequestTrace.current();
        if (t == null) return call.call();
        long start = System.nanoTime();
        try {
            return call.call();
        } finally {
            RequestTrace.charge(t, RequestTrace.Port.STORE, System.nanoTime() - start);
        }
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException { return timed(() -> delegate.get(key)); }

    @Override
    public Optional<byte[]> getRange(String key, long offset, long length) throws IOException { return timed(() -> delegate.getRange(key, offset, length)); }

    /** One call, however many ranges: the store answers them together. */
    @Override
    public Optional<List<byte[]>> getRanges(String key, List<dev.tiledgateway.core.store.ByteRange> ranges) throws IOException {
        return timed(() -> forwardRanges(key, ranges));
    }

    @Override
    public Optional<Long> size(String key) throws IOException { return timed(() -> delegate.size(key)); }

    @Override
    public Optional<ObjectVersion> version(String key) throws IOException { return timed(() -> delegate.version(key)); }

    @Override
    public List<ObjectVersion> versions(String prefix) throws IOException { return timed(() -> delegate.versions(prefix)); }

    @Override
    public void put(String key, byte[] bytes) throws IOException {
        timed(() -> {
            delegate.put(key, bytes);
            return null;
        });
    }

    @Override
    public BlobWriter openWrite(String key) throws IOException { return timed(() -> delegate.openWrite(key)); }

    @Override
    public void delete(String key) throws IOException {
        timed(() -> {
            delegate.delete(key);
            return null;
        });
    }

    @Override
    public List<String> list(String prefix) throws IOException { return timed(() -> delegate.list(prefix)); }
}
