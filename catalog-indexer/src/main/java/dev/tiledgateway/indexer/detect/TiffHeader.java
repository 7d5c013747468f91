package dev.tiledgateway.indexer.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.structure.ArrayStructure;
import dev.tiledgateway.core.structure.DataType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a (classic, not Big) TIFF file holds, read from its image file directories: the shape and element
 * type of its pages as one array (a stack of n equal pages is n × height × width [× samples]), one chunk
 * per page, and the first page's descriptive tags as metadata, by name, as upstream Tiled's TIFF adapter
 * reports them. Pixel data is not read.
 */
public record TiffHeader(ArrayStructure structure, ObjectNode tags, int pages) {

    public static final String MIMETYPE = "image/tiff";
    static final int MAX_PAGES = 100_000;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(254, "NewSubfileType"), Map.entry(256, "ImageWidth"), Map.entry(257, "ImageLength"),
            Map.entry(258, "BitsPerSample"), Map.entry(259, "Compression"), Map.entry(262, "PhotometricInterpretation"),
            Map.entry(270, "ImageDescription"), Map.entry(271, "Make"), Map.entry(272, "Model"), Map.entry(274, "Orientation"),
            Map.entry(277, "SamplesPerPixel"), Map.entry(278, "RowsPerStrip"), Map.entry(282, "XResolution"),
            Map.entry(283, "YResolution"), Map.entry(284, "PlanarConfiguration"), Map.entry(296, "ResolutionUnit"),
            Map.entry(305, "Software"), Map.entry(306, "DateTime"), Map.entry(315, "Artist"), Map.entry(317, "Predictor"),
            Map.entry(322, "TileWidth"), Map.entry(323, "TileLength"), Map.entry(339, "SampleFormat"), Map.entry(33432, "Copyright"));
    private static final int[] TYPE_SIZE = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8};

    static boolean isTiff(byte[] head) {
        if (head.length < 4) return false;
        boolean ii = head[0] == 'I' && head[1] == 'I' && head[2] == 42 && head[3] == 0;
        boolean mm = head[0] == 'M' && head[1] == 'M' && head[2] == 0 && head[3] == 42;
        boolean big = (head[0] == 'I' && head[1] == 'I' && head[2] == 43 && head[3] == 0) || (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && head[3] == 43);
        return ii || mm || big;
    }

    /** One directory's entries that shape the array. */
    private record Page(long width, long height, int samples, int bits, int format, int planar) {}

    public static TiffHeader read(BlobStore store, String key, long size) throws IOException {
        RangeReader in = new RangeReader(store, key, size);
        byte[] h = in.read(0, 8);
        ByteOrder order = h[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        ByteBuffer hb = ByteBuffer.wrap(h).order(order);
        int magic = hb.getShort(2) & 0xffff;
        if (magic == 43) throw new IllegalArgumentException("'" + key + "' is a BigTIFF, which is not supported");
        long ifd = hb.getInt(4) & 0xffffffffL;
        ObjectNode tags = null;
        Page first = null;
        int pages = 0;
        Set<Long> seen = new HashSet<>();
        while (ifd != 0) {
            if (!seen.add(ifd)) throw new CorruptDataException("'" + key + "': its directories form a loop");
            if (++pages > MAX_PAGES) throw new IllegalArgumentException("'" + key + "' has more than " + MAX_PAGES + " pages");
            int count = ByteBuffer.wrap(in.read(ifd, 2)).order(order).getShort() & 0xffff;
            ByteBuffer entries = ByteBuffer.wrap(in.read(ifd + 2, count * 12 + 4)).order(order);
            ObjectNode values = Json.object();
            for (int i = 0; i < count; i++) {
                int tag = entries.getShort(i * 12) & 0xffff;
                if (!NAMES.containsKey(tag)) continue;
                if (pages > 1 && tag != 256 && tag != 257 && tag != 258 && tag != 277 && tag != 339 && tag != 284) continue;
                Object v = value(in, entries, i * 12, order, key);
                if (v != null) values.set(NAMES.get(tag), tree(v));
            }
            Page p = page(values, key);
            if (first == null) {
                first = p;
                tags = values;
            } else if (!p.equals(first)) {
                throw new IllegalArgumentException("'" + key + "': page " + pages + " differs from the first in shape or type ("
                        + p + " vs " + first + "); only stacks of equal pages are registered");
            }
            ifd = entries.getInt(count * 12) & 0xffffffffL;
        }
        if (first == null) throw new CorruptDataException("'" + key + "' has no image directory");
        return new TiffHeader(structure(first, pages, order), tags, pages);
    }

    private static Page page(ObjectNode v, String key) throws CorruptDataException {
        if (!v.has("ImageWidth") || !v.has("ImageLength")) throw new CorruptDataException("'" + key + "': a page without width or length");
        int samples = v.has("SamplesPerPixel") ? first(v, "SamplesPerPixel") : 1;
        int bits = v.has("BitsPerSample") ? first(v, "BitsPerSample") : 1;
        if (v.path("BitsPerSample").isArray()) for (var b : v.path("BitsPerSample")) {
            if (b.asInt() != bits) throw new IllegalArgumentException("'" + key + "': samples of different widths are not supported");
        }
        int format = v.has("SampleFormat") ? first(v, "SampleFormat") : 1;
        int planar = v.has("PlanarConfiguration") ? first(v, "PlanarConfiguration") : 1;
        return new Page(first(v, "ImageWidth"), first(v, "ImageLength"), samples, bits, format, planar);
    }

    private static int first(ObjectNode v, String name) {
        var n = v.path(name);
        return n.isArray() ? n.path(0).asInt() : n.asInt();
    }

    private static ArrayStructure structure(Page p, int pages, ByteOrder order) {
        if (p.bits() % 8 != 0 || p.bits() > 64) throw new IllegalArgumentException(p.bits() + "-bit samples are not supported");
        char kind = switch (p.format()) {
            case 1 -> 'u';
            case 2 -> 'i';
            case 3 -> 'f';
            default -> throw new IllegalArgumentException("TIFF SampleFormat " + p.format() + " is not supported");
        };
        int itemsize = p.bits() / 8;
        if (kind == 'f' && itemsize < 2) throw new IllegalArgumentException("8-bit floating-point samples are not supported");
        DataType.Endianness e = itemsize == 1 ? DataType.Endianness.NOT_APPLICABLE
                : order == ByteOrder.LITTLE_ENDIAN ? DataType.Endianness.LITTLE : DataType.Endianness.BIG;
        List<Long> shape = new ArrayList<>();
        List<Integer> chunk = new ArrayList<>();
        if (pages > 1) {
            shape.add((long) pages);
            chunk.add(1);
        }
        if (p.samples() > 1 && p.planar() == 2) {
            shape.add((long) p.samples());
            chunk.add(p.samples());
        }
        shape.add(p.height());
        chunk.add((int) p.height());
        shape.add(p.width());
        chunk.add((int) p.width());
        if (p.samples() > 1 && p.planar() != 2) {
            shape.add((long) p.samples());
            chunk.add(p.samples());
        }
        long[] s = new long[shape.size()];
        int[] c = new int[chunk.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = shape.get(i);
            c[i] = chunk.get(i);
        }
        return ArrayStructure.regular(new DataType.Builtin(e, kind, itemsize, null), s, c, null);
    }

    /** A tag's value: a number, a string, or a list; rationals as [numerator, denominator]. Null for types not shown. */
    private static Object value(RangeReader in, ByteBuffer entries, int at, ByteOrder order, String key) throws IOException {
        int type = entries.getShort(at + 2) & 0xffff;
        long count = entries.getInt(at + 4) & 0xffffffffL;
        if (type < 1 || type >= TYPE_SIZE.length || count == 0 || count > 65536) return null;
        long bytes = count * TYPE_SIZE[type];
        ByteBuffer data = bytes <= 4
                ? ByteBuffer.wrap(entries.array(), at + 8, 4).slice().order(order)
                : ByteBuffer.wrap(in.read(entries.getInt(at + 8) & 0xffffffffL, (int) bytes)).order(order);
        if (type == 2) {
            byte[] b = new byte[(int) bytes];
            data.get(b);
            String s = new String(b, StandardCharsets.ISO_8859_1);
            int nul = s.indexOf('\0');
            return nul >= 0 ? s.substring(0, nul) : s;
        }
        List<Object> out = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            out.add(switch (type) {
                case 1, 7 -> data.get() & 0xff;
                case 6 -> (int) data.get();
                case 3 -> data.getShort() & 0xffff;
                case 8 -> (int) data.getShort();
                case 4 -> data.getInt() & 0xffffffffL;
                case 9 -> data.getInt();
                case 5 -> List.of(data.getInt() & 0xffffffffL, data.getInt() & 0xffffffffL);
                case 10 -> List.of(data.getInt(), data.getInt());
                case 11 -> data.getFloat();
                case 12 -> data.getDouble();
                default -> throw new CorruptDataException("'" + key + "': unknown TIFF field type " + type);
            });
        }
        return out.size() == 1 ? out.get(0) : out;
    }

    /** A value {@link #value} read as JSON: text, numbers of the width read, and lists of them. */
    private static JsonNode tree(Object v) {
        return switch (v) {
            case String s -> Json.NODES.textNode(s);
            case Integer i -> Json.NODES.numberNode(i);
            case Long l -> Json.NODES.numberNode(l);
            case Float f -> Json.NODES.numberNode(f);
            case Double d -> Json.NODES.numberNode(d);
            case List<?> list -> {
                ArrayNode a = Json.array();
                for (Object o : list) a.add(tree(o));
                yield a;
            }
            default -> throw new IllegalStateException("a TIFF value of " + v.getClass());
        };
    }

    /** The tags as node metadata (a copy). */
    public ObjectNode metadata() {
        ObjectNode m = tags.deepCopy();
        m.remove("NewSubfileType");
        return m;
    }
}
