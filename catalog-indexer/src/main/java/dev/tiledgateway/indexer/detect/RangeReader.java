package dev.tiledgateway.indexer.detect;

import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.store.BlobStore;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads an object's bytes at any offset through ranged GETs of 64 KiB blocks, keeping the last few. */
final class RangeReader {

    private static final int BLOCK = 64 * 1024;

    private final BlobStore store;
    private final String key;
    private final long size;
    private final Map<Long, byte[]> blocks = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> e) { return size() > 16; }
    };

    RangeReader(BlobStore store, String key, long size) {
        this.store = store;
        this.key = key;
        this.size = size;
    }

    long size() { return size; }

    byte[] read(long offset, int length) throws IOException {
        if (offset < 0 || length < 0 || offset + length > size)
            throw new CorruptDataException("'" + key + "' points past its end (offset " + offset + ", " + length + " bytes, size " + size + ")");
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            long pos = offset + done;
            long b = pos / BLOCK;
            byte[] block = block(b);
            int from = (int) (pos - b * BLOCK);
            int n = Math.min(length - done, block.length - from);
            if (n <= 0) throw new CorruptDataException("short read of '" + key + "' at " + pos);
            System.arraycopy(block, from, out, done, n);
            done += n;
        }
        return out;
    }

    private byte[] block(long b) throws IOException {
        byte[] cached = blocks.get(b);
        if (cached != null) return cached;
        long start = b * BLOCK;
        byte[] bytes = store.getRange(key, start, Math.min(BLOCK, size - start))
                .orElseThrow(() -> new CorruptDataException("'" + key + "' vanished while being read"));
        blocks.put(b, bytes);
        return bytes;
    }
}
