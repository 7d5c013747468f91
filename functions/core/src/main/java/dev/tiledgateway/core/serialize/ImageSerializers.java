package dev.tiledgateway.core.serialize;

import dev.tiledgateway.core.array.ArrayPayload;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.structure.DataType;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Arrays as images: PNG (2-d, scaled from the 1st to the 99th percentile to 8-bit grey, as Tiled does),
 * TIFF (2-d, the raw element type: one uncompressed strip) and HTML (the PNG embedded).
 */
public final class ImageSerializers implements SerializerProvider {

    @Override
    public List<Serializer> serializers() {
        return List.of(new Png(), new Tiff(), new Html());
    }

    private static int[] twoD(ArrayPayload p, String what) { return twoD(p.shape(), what); }

    private static int[] twoD(long[] s, String what) {
        if (s.length == 2 && s[0] > 0 && s[1] > 0) return new int[] {Math.toIntExact(s[0]), Math.toIntExact(s[1])};
        if (s.length == 3 && s[0] == 1) return new int[] {Math.toIntExact(s[1]), Math.toIntExact(s[2])};
        throw TiledException.notAcceptable("Only 2-dimensional arrays can be written as " + what + "; slice this " + s.length + "-d array to two dimensions");
    }

    private static double[] values(ArrayPayload p) {
        if (!(p.dataType() instanceof DataType.Builtin b) || "biuf".indexOf(b.kind()) < 0)
            throw TiledException.notAcceptable("Only numeric arrays can be written as images");
        ByteBuffer buf = ByteBuffer.wrap(p.bytes()).order(b.endianness() == DataType.Endianness.BIG ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int n = (int) p.count();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            int at = i * b.itemsize();
            v[i] = switch (b.kind()) {
                case 'b' -> buf.get(at);
                case 'f' -> b.itemsize() == 4 ? buf.getFloat(at) : b.itemsize() == 2 ? Float.float16ToFloat(buf.getShort(at)) : buf.getDouble(at);
                case 'u' -> b.itemsize() == 1 ? buf.get(at) & 0xff : b.itemsize() == 2 ? buf.getShort(at) & 0xffff
                        : b.itemsize() == 4 ? buf.getInt(at) & 0xffffffffL : (double) buf.getLong(at);
                default -> b.itemsize() == 1 ? buf.get(at) : b.itemsize() == 2 ? buf.getShort(at) : b.itemsize() == 4 ? buf.getInt(at) : (double) buf.getLong(at);
            };
        }
        return v;
    }

    static byte[] png(ArrayPayload p) {
        int[] hw = twoD(p, "PNG");
        double[] v = values(p);
        double[] sorted = Arrays.stream(v).filter(Double::isFinite).sorted().toArray();
        double lo = sorted.length == 0 ? 0 : sorted[(int) Math.floor(0.01 * (sorted.length - 1))];
        double hi = sorted.length == 0 ? 1 : sorted[(int) Math.ceil(0.99 * (sorted.length - 1))];
        double scale = hi > lo ? 255.0 / (hi - lo) : 0;
        BufferedImage img = new BufferedImage(hw[1], hw[0], BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) {
            double x = Double.isFinite(v[i]) ? (v[i] - lo) * scale : 0;
            px[i] = (byte) Math.max(0, Math.min(255, Math.round(x)));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An image of this shape and type can be written (else 406), and about how many bytes its pixels take, one per pixel. */
    private static long pixels(DataType t, long[] shape, String what) {
        int[] hw = twoD(shape, what);
        if (!(t instanceof DataType.Builtin b) || "biuf".indexOf(b.kind()) < 0)
            throw TiledException.notAcceptable("Only numeric arrays can be written as " + (what.equals("PNG") ? "images" : what));
        return (long) hw[0] * hw[1];
    }

    static final class Png implements Serializer {
        public String mediaType() { return "image/png"; }

        public Set<String> servesFor() { return Set.of("array"); }

        public byte[] serialize(Object payload) { return png((ArrayPayload) payload); }

        /** 8-bit grey, a filter byte per row: about the pixels when the values do not compress. */
        @Override
        public long estimateArrayBytes(DataType dataType, long[] shape) { return pixels(dataType, shape, "PNG") + shape[0] + 1024; }
    }

    static final class Html implements Serializer {
        public String mediaType() { return "text/html"; }

        public Set<String> servesFor() { return Set.of("array"); }

        public List<String> aliases() { return List.of("html", "htm"); }

        /** The PNG in base64. */
        @Override
        public long estimateArrayBytes(DataType dataType, long[] shape) {
            return (pixels(dataType, shape, "PNG") + shape[0] + 1024) / 3 * 4 + 100;
        }

        public byte[] serialize(Object payload) {
            String img = Base64.getEncoder().encodeToString(png((ArrayPayload) payload));
            return ("<html><body><img src=\"data:image/png;base64," + img + "\" /></body></html>").getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Baseline TIFF: one image, one strip, no compression, SampleFormat and BitsPerSample from the dtype. */
    static final class Tiff implements Serializer {
        public String mediaType() { return "image/tiff"; }

        public Set<String> servesFor() { return Set.of("array"); }

        /** The raw pixels behind a small header. */
        @Override
        public long estimateArrayBytes(DataType dataType, long[] shape) { return pixels(dataType, shape, "TIFF") * dataType.itemsize() + 256; }

        public byte[] serialize(Object payload) {
            ArrayPayload p = (ArrayPayload) payload;
            int[] hw = twoD(p, "TIFF");
            if (!(p.dataType() instanceof DataType.Builtin b) || "biuf".indexOf(b.kind()) < 0)
                throw TiledException.notAcceptable("Only numeric arrays can be written as TIFF");
            boolean big = b.endianness() == DataType.Endianness.BIG;
            int sampleFormat = b.kind() == 'f' ? 3 : b.kind() == 'i' ? 2 : 1;
            short[][] tags = {
                    {256, 4}, {257, 4}, {258, 3}, {259, 3}, {262, 3}, {273, 4}, {277, 3}, {278, 4}, {279, 4}, {284, 3}, {339, 3}};
            long[] values = {hw[1], hw[0], b.itemsize() * 8L, 1, 1, 0 /* strip offset, below */, 1, hw[0], p.bytes().length, 1, sampleFormat};
            int ifdSize = 2 + tags.length * 12 + 4;
            long dataOffset = 8 + ifdSize;
            values[5] = dataOffset;
            ByteBuffer out = ByteBuffer.allocate((int) dataOffset + p.bytes().length).order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            out.put(big ? (byte) 'M' : (byte) 'I').put(big ? (byte) 'M' : (byte) 'I').putShort((short) 42).putInt(8);
            out.putShort((short) tags.length);
            for (int i = 0; i < tags.length; i++) {
                out.putShort(tags[i][0]).putShort(tags[i][1]).putInt(1);
                if (tags[i][1] == 3) out.putShort((short) values[i]).putShort((short) 0);
                else out.putInt((int) values[i]);
            }
            out.putInt(0);
            out.put(p.bytes());
            return out.array();
        }
    }
}
