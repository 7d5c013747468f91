package dev.tiledgateway.core.write;

import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.BlobWriter;
import dev.tiledgateway.core.store.ObjectVersion;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The data store of a server whose data is only read (a served folder, a bucket prefix), with the managed area
 * ({@link ManagedArea#PREFIX}) kept in a writable store of the gateway's own: keys under it go there, every other
 * key to the served data, so writes through the API never land among the user's files.
 */
public final class ManagedStore implements BlobStore {

    private final BlobStore data;
    private final BlobStore managed;

    public ManagedStore(BlobStore data, BlobStore managed) {
        this.data = data;
        this.managed = managed;
    }

    private BlobStore of(String key) { return key.startsWith(ManagedArea.PREFIX) ? managed : data; }

    @Override public Optional<byte[]> get(String key) throws IOException { return of(key).get(key); }

    @Override public Optional<byte[]> getRange(String key, long offset, long length) throws IOException { return of(key).getRange(key, offset, length); }

    @Override public Optional<List<byte[]>> getRanges(String key, List<dev.tiledgateway.core.store.ByteRange> ranges) throws IOException {
        return of(key).getRanges(key, ranges);
    }

    @Override public Optional<Long> size(String key) throws IOException { return of(key).size(key); }

    @Override public Optional<ObjectVersion> version(String key) throws IOException { return of(key).version(key); }

    /** The served data's versions, or the managed area's for a prefix inside it (never both: they never mix). */
    @Override public List<ObjectVersion> versions(String prefix) throws IOException { return of(prefix).versions(prefix); }

    @Override public void put(String key, byte[] bytes) throws IOException { of(key).put(key, bytes); }

    @Override public BlobWriter openWrite(String key) throws IOException { return of(key).openWrite(key); }

    /** Within one side, that side's own copy; across them, bytes read from one and put into the other. */
    @Override public boolean copy(String from, String to) throws IOException {
        if (of(from) == of(to)) return of(from).copy(from, to);
        return BlobStore.super.copy(from, to);
    }

    @Override public void delete(String key) throws IOException { of(key).delete(key); }

    @Override public List<String> list(String prefix) throws IOException { return of(prefix).list(prefix); }

    @Override public Optional<URI> presignGet(String key, Duration ttl) { return of(key).presignGet(key, ttl); }

    /** Only the served data is registered by URI; the managed area is named by its keys alone. */
    @Override public Optional<String> keyOf(URI dataUri) { return data.keyOf(dataUri).filter(k -> !k.startsWith(ManagedArea.PREFIX)); }

    @Override public URI uriOf(String key) { return of(key).uriOf(key); }
}
