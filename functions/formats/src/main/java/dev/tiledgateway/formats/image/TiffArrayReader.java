package dev.tiledgateway.formats.image;

import dev.tiledgateway.core.array.ChunkedArray;
import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.format.ArrayReader;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.structure.ArrayStructure;
import dev.tiledgateway.core.structure.DataType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Uncompressed, stripped TIFF files and stacks of equal pages as arrays (mimetype {@code image/tiff}): one chunk per
 * page, read with ranged GETs of the page's strips. Compressed, tiled, BigTIFF and complex-valued files are refused as
 * unreadable (422).
 */
public final class TiffArrayReader implements ArrayReader {

    public static final String MIMETYPE = "image/tiff";

    @Override
    public Set<String> mimetypes() { return Set.of(MIMETYPE); }

    @Override
    public ChunkedArray open(BlobStore store, DataSource source) throws IOException {
        String key = source.assets().get(0).key();
        long size = store.size(key).orElseThrow(() -> new CorruptDataException("no TIFF at '" + key + "'"));
        byte[] head = read(store, key, 0, 8);
        ByteOrder order = head[0] == 'I' && head[1] == 'I' ? ByteOrder.LITTLE_ENDIAN
                : head[0] == 'M' && head[1] == 'M' ? ByteOrder.BIG_ENDIAN : null;
        int version = order == null ? 0 : ByteBuffer.wrap(head).order(order).getShort(2) & 0xffff;
        if (version == 43) throw new CorruptDataException("'" + key + "' is a BigTIFF, which is not read");
        if (version != 42) throw new CorruptDataException("'" + key + "' is not a TIFF");
        List<Page> pages = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        long ifd = ByteBuffer.wrap(head).order(order).getInt(4) & 0xffffffffL;
        while (ifd != 0) {
            if (!seen.add(ifd) || ifd >= size) throw new CorruptDataException("'" + key + "': bad image directory offset " + ifd);
            int count = ByteBuffer.wrap(read(store, key, ifd, 2)).order(order).getShort() & 0xffff;
            ByteBuffer e = ByteBuffer.wrap(read(store, key, ifd + 2, count * 12 + 4)).order(order);
            pages.add(Page.parse(store, key, e, count, order));
            ifd = e.getInt(count * 12) & 0xffffffffL;
        }
        if (pages.isEmpty()) throw new CorruptDataException("'" + key + "' has no image directory");
        return new TiffArray(store, key, pages, order);
    }

    static byte[] read(BlobStore store, String key, long offset, int length) throws IOException {
        byte[] b = store.getRange(key, offset, length).orElseThrow(() -> new CorruptDataException("no TIFF at '" + key + "'"));
        if (b.length != length) throw new CorruptDataException("'" + key + "' is truncated");
        return b;
    }

    /** One image directory: geometry, sample type and where its strips are. */
    record Page(int width, int height, int samples, int bits, int format, int planar, long[] offsets, long[] counts) {

        long bytes() { return (long) width * height * samples * (bits / 8); }

        static Page parse(BlobStore store, String key, ByteBuffer e, int count, ByteOrder order) throws IOException {
            int width = 0, height = 0, samples = 1, bits = 8, format = 1, planar = 1, compression = 1;
            long[] offsets = null, counts = null;
            for (int i = 0; i < count; i++) {
                int at = i * 12, tag = e.getShort(at) & 0xffff;
                switch (tag) {
                    case 256 -> width = (int) scalar(e, at);
                    case 257 -> height = (int) scalar(e, at);
                    case 258 -> bits = (int) values(store, key, e, at, order)[0];
                    case 259 -> compression = (int) scalar(e, at);
                    case 273 -> offsets = values(store, key, e, at, order);
                    case 277 -> samples = (int) scalar(e, at);
                    case 279 -> counts = values(store, key, e, at, order);
                    case 284 -> planar = (int) scalar(e, at);
                    case 322, 323, 324, 325 -> throw new CorruptDataException("'" + key + "' is a tiled TIFF, which is not read");
                    case 339 -> format = (int) values(store, key, e, at, order)[0];
                    default -> { }
                }
            }
            if (compression != 1) throw new CorruptDataException("'" + key + "' is compressed (TIFF compression " + compression + "), which is not read");
            if (offsets == null || counts == null || offsets.length != counts.length) throw new CorruptDataException("'" + key + "' lacks strip offsets");
            return new Page(width, height, samples, bits, format, planar, offsets, counts);
        }

        private static long scalar(ByteBuffer e, int at) {
            int type = e.getShort(at + 2) & 0xffff;
            return type == 3 ? e.getShort(at + 8) & 0xffff : e.getInt(at + 8) & 0xffffffffL;
        }

        private static long[] values(BlobStore store, String key, ByteBuffer e, int at, ByteOrder order) throws IOException {
            int type = e.getShort(at + 2) & 0xffff;
            int n = e.getInt(at + 4);
            int size = type == 3 ? 2 : 4;
            if (n < 1 || n > 1 << 20) throw new CorruptDataException("'" + key + "': bad value count " + n);
            ByteBuffer b = n * size <= 4 ? ByteBuffer.wrap(e.array(), at + 8, 4).slice().order(order)
                    : ByteBuffer.wrap(read(store, key, e.getInt(at + 8) & 0xffffffffL, n * size)).order(order);
            long[] out = new long[n];
            for (int i = 0; i < n; i++) out[i] = size == 2 ? b.getShort(i * 2) & 0xffff : b.getInt(i * 4) & 0xffffffffL;
            return out;
        }
    }

    /** The pages as one array: [pages,] height, width[, samples], one chunk per page. */
    static final class TiffArray implements ChunkedArray {
        private final BlobStore store;
        private final String key;
        private final List<Page> pages;
        private final ArrayStructure structure;
        private final int[] chunk;

        TiffArray(BlobStore store, String key, List<Page> pages, ByteOrder order) throws CorruptDataException {
            this.store = store;
            this.key = key;
            this.pages = pages;
            Page p = pages.get(0);
            for (Page q : pages)
                if (q.width() != p.width() || q.height() != p.height() || q.samples() != p.samples() || q.bits() != p.bits() || q.format() != p.format())
                    throw new CorruptDataException("'" + key + "': pages differ in shape or type");
            if (p.bits() % 8 != 0 || p.bits() > 64) throw new CorruptDataException("'" + key + "': " + p.bits() + "-bit samples are not read");
            // 1 unsigned, 2 signed, 3 IEEE float; complex (5, 6) and undefined (4) samples are not read
            char kind = switch (p.format()) {
                case 1 -> 'u';
                case 2 -> 'i';
                case 3 -> 'f';
                default -> throw new CorruptDataException("'" + key + "': TIFF SampleFormat " + p.format() + " is not read");
            };
            int itemsize = p.bits() / 8;
            if (kind == 'f' && itemsize < 2) throw new CorruptDataException("'" + key + "': 8-bit floating-point samples are not read");
            DataType.Endianness e = itemsize == 1 ? DataType.Endianness.NOT_APPLICABLE
                    : order == ByteOrder.LITTLE_ENDIAN ? DataType.Endianness.LITTLE : DataType.Endianness.BIG;
            List<Long> shape = new ArrayList<>();
            if (pages.size() > 1) shape.add((long) pages.size());
            if (p.samples() > 1 && p.planar() == 2) shape.add((long) p.samples());
            shape.add((long) p.height());
            shape.add((long) p.width());
            if (p.samples() > 1 && p.planar() != 2) shape.add((long) p.samples());
            long[] s = shape.stream().mapToLong(Long::longValue).toArray();
            chunk = new int[s.length];
            for (int d = 0; d < s.length; d++) chunk[d] = (int) s[d];
            if (pages.size() > 1) chunk[0] = 1;
            structure = ArrayStructure.regular(new DataType.Builtin(e, kind, itemsize, null), s, chunk, null);
        }

        public ArrayStructure structure() { return structure; }

        public int[] chunkShape() { return chunk.clone(); }

        public byte[] readChunk(long[] idx) throws IOException {
            Page p = pages.get(pages.size() > 1 ? (int) idx[0] : 0);
            byte[] out = new byte[Math.toIntExact(p.bytes())];
            int at = 0;
            for (int i = 0; i < p.offsets().length && at < out.length; i++) {
                int n = (int) Math.min(p.counts()[i], out.length - at);
                System.arraycopy(read(store, key, p.offsets()[i], n), 0, out, at, n);
                at += n;
            }
            if (at != out.length) throw new CorruptDataException("'" + key + "': its strips hold fewer bytes than the image");
            return out;
        }
    }
}
