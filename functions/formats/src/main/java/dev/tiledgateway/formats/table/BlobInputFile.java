package dev.tiledgateway.formats.table;

import dev.hardwood.InputFile;
import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.store.BlobStore;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A Parquet file read from the object store by byte ranges (footer, then the column chunks a read needs), so a
 * projection of a large file fetches only its columns. Small files are fetched whole instead (one request).
 */
final class BlobInputFile implements InputFile {

    /** At or below this size the whole object is one GET. */
    static final long WHOLE_OBJECT_LIMIT = 8L << 20;

    private final BlobStore store;
    private final String key;
    private final long length;

    private BlobInputFile(BlobStore store, String key, long length) {
        this.store = store;
        this.key = key;
        this.length = length;
    }

    /** Opens Parquet objects by key. */
    interface Opener {
        InputFile open(String key) throws IOException;
    }

    /** The object at {@code key} as a hardwood input: in memory when small, else ranged reads. */
    static InputFile open(BlobStore store, String key) throws IOException {
        long size = store.size(key).orElseThrow(() -> new CorruptDataException("Parquet object '" + key + "' is missing"));
        if (size <= WHOLE_OBJECT_LIMIT) return InputFile.of(ByteBuffer.wrap(whole(store, key)));
        return ranged(store, key, size);
    }

    /** The whole object, if it is small enough to be fetched whole; else null. */
    static byte[] smallObject(BlobStore store, String key) throws IOException {
        long size = store.size(key).orElseThrow(() -> new CorruptDataException("Parquet object '" + key + "' is missing"));
        return size <= WHOLE_OBJECT_LIMIT ? whole(store, key) : null;
    }

    private static byte[] whole(BlobStore store, String key) throws IOException {
        return store.get(key).orElseThrow(() -> new CorruptDataException("Parquet object '" + key + "' is missing"));
    }

    /** Ranged reads whatever the size. */
    static InputFile ranged(BlobStore store, String key, long size) {
        return new BlobInputFile(store, key, size);
    }

    @Override
    public void open() {}

    @Override
    public ByteBuffer readRange(long offset, int len) throws IOException {
        if (offset < 0 || offset + len > length) throw new CorruptDataException("read past the end of '" + key + "'");
        byte[] b = store.getRange(key, offset, len).orElseThrow(() -> new CorruptDataException("Parquet object '" + key + "' vanished"));
        if (b.length != len) throw new CorruptDataException("short read of '" + key + "' at " + offset);
        return ByteBuffer.wrap(b);
    }

    @Override
    public long length() { return length; }

    @Override
    public String name() { return key; }

    @Override
    public void close() {}
}
