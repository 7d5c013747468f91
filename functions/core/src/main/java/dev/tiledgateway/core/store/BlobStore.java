package dev.tiledgateway.core.store;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The object-store port: a flat key space of immutable byte objects (S3 semantics).
 * Keys use '/' as separator and never start with '/'.
 */
public interface BlobStore {

    /** The whole object, or empty if there is no object at {@code key}. */
    Optional<byte[]> get(String key) throws IOException;

    /**
     * {@code length} bytes starting at {@code offset}; fewer if the object ends first.
     * A negative {@code offset} counts from the end (S3's suffix range), {@code length} is then ignored.
     * Empty if there is no object at {@code key}.
     */
    Optional<byte[]> getRange(String key, long offset, long length) throws IOException;

    /** What {@link #getRange} reads of an object that holds {@code whole}. */
    static byte[] range(byte[] whole, long offset, long length) {
        long start = offset < 0 ? Math.max(0, whole.length + offset) : Math.min(offset, whole.length);
        long end = offset < 0 ? whole.length : Math.min(whole.length, start + Math.max(0, Math.min(length, whole.length)));
        return java.util.Arrays.copyOfRange(whole, (int) start, (int) end);
    }

    /**
     * The bytes of each of {@code ranges} of the object at {@code key}, in the order given, each shorter (or
     * empty) where the object ends first; empty if there is no object. For reads that need a few scattered
     * pieces of a large object (a strided slice of an uncompressed chunk). This default asks {@link #getRange}
     * for each range in turn; stores that can do better override it (the file store reads every range from one
     * open file, so from one version of it; S3 sends the ranged GETs concurrently, pinned to one ETag).
     */
    default Optional<List<byte[]>> getRanges(String key, List<ByteRange> ranges) throws IOException {
        if (ranges.isEmpty()) return size(key).map(s -> List.of());
        List<byte[]> out = new java.util.ArrayList<>(ranges.size());
        for (ByteRange r : ranges) {
            Optional<byte[]> b = getRange(key, r.offset(), r.length());
            if (b.isEmpty()) {
                if (out.isEmpty()) return Optional.empty();
                throw new IOException(key + " was removed while its ranges were read");
            }
            out.add(b.get());
        }
        return Optional.of(out);
    }

    /** Size in bytes of the object, or empty if absent. */
    Optional<Long> size(String key) throws IOException;

    /**
     * The object's current version, or empty if absent. This default hashes the whole object (correct for
     * any store, but a full read); stores that know their objects' versions (an ETag, file attributes) override it.
     */
    default Optional<ObjectVersion> version(String key) throws IOException {
        Optional<byte[]> bytes = get(key);
        if (bytes.isEmpty()) return Optional.empty();
        byte[] h = ObjectVersion.sha256().digest(bytes.get());
        return Optional.of(new ObjectVersion(key, bytes.get().length, "sha256:" + java.util.HexFormat.of().formatHex(h, 0, 16)));
    }

    /**
     * The versions of every object under {@code prefix}, in key order (an object removed while listing is
     * left out). This default asks {@link #version} for each listed key; S3 gives them with the listing.
     */
    default List<ObjectVersion> versions(String prefix) throws IOException {
        List<ObjectVersion> out = new java.util.ArrayList<>();
        for (String k : list(prefix)) version(k).ifPresent(out::add);
        return out;
    }

    /** Stores (or replaces) the object atomically: readers see the old bytes or the new, never a part. */
    void put(String key, byte[] bytes) throws IOException;

    /**
     * Starts writing the object at {@code key} as a stream of bytes, for objects too large to hold in memory at
     * once: nothing is visible until {@link BlobWriter#commit()}, closing without a commit stores nothing.
     * This default gathers the bytes in memory (at most {@link #MAX_BUFFERED_WRITE}) and puts them on commit;
     * stores that can do better (a temporary file, a multipart upload) override it.
     */
    default BlobWriter openWrite(String key) throws IOException {
        return new BufferedBlobWriter(this, key, MAX_BUFFERED_WRITE);
    }

    /** The most bytes the default {@link #openWrite} holds in memory for one object. */
    long MAX_BUFFERED_WRITE = 512L * 1024 * 1024;

    /** Writes an object's bytes as they are produced; see {@link #write(String, Content)}. */
    @FunctionalInterface
    interface Content {
        void writeTo(java.io.OutputStream out) throws IOException;
    }

    /**
     * Stores the bytes {@code content} writes, streamed ({@link #openWrite}): the object appears whole when
     * {@code content} returns, and not at all when it throws (its exception is rethrown).
     */
    default void write(String key, Content content) throws IOException {
        try (BlobWriter w = openWrite(key)) {
            content.writeTo(w);
            w.commit();
        }
    }

    /**
     * Stores at {@code to} the bytes of the object at {@code from}, atomically as {@link #put} does; false (and
     * nothing stored) when there is no object at {@code from}. This default reads and puts the bytes; stores that
     * can copy without moving them (S3's CopyObject, a hard link) override it.
     */
    default boolean copy(String from, String to) throws IOException {
        Optional<byte[]> bytes = get(from);
        if (bytes.isEmpty()) return false;
        put(to, bytes.get());
        return true;
    }

    /** Removes the object; absent keys are not an error. */
    void delete(String key) throws IOException;

    /** Keys starting with {@code prefix}, in lexicographic order. */
    List<String> list(String prefix) throws IOException;

    /**
     * A URL at which a plain HTTP GET, without credentials, yields the object until {@code ttl} has passed.
     * It may be relative to the gateway's own origin (the embedded store serves its objects itself).
     * Empty when this store cannot hand out such URLs.
     */
    Optional<URI> presignGet(String key, Duration ttl);

    /**
     * The key of this store that an external data URI names ({@code file://...} for a folder store,
     * {@code s3://bucket/...} for a bucket); empty when the URI lies outside what this store may read.
     */
    default Optional<String> keyOf(URI dataUri) { return Optional.empty(); }

    /** The data URI of a key (the inverse of {@link #keyOf}), as shown to clients in data sources. */
    default URI uriOf(String key) { return URI.create("blob:" + key); }
}
