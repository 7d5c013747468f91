package dev.tiledgateway.formats.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.array.ChunkedArray;
import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.embedded.store.FileBlobStore;
import dev.tiledgateway.testkit.interop.Interop;
import dev.tiledgateway.testkit.interop.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TIFF reader against files written by tools we did not write: tifffile (the committed fixtures of
 * src/test/fixtures/make_tiff_fixtures.py, and the same script run with the tifffile installed now) and the JDK's
 * ImageIO. Every readable file is compared value for value (big-endian, multi-page, several strips, RGB contiguous
 * and planar, every integer and float width); compressed, tiled, BigTIFF and complex files are refused as corrupt
 * data, which the router answers with 422.
 */
class TiffArrayReaderTest {

    static final Path FIXTURES;

    static {
        try {
            FIXTURES = Path.of(TiffArrayReaderTest.class.getResource("/tiff/manifest.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsEveryCommittedTifffileFixtureWithItsValues() throws Exception {
        assertEquals(15, readsEveryReadableFixture(FIXTURES), "the manifest lists every readable fixture");
    }

    @Test
    void refusesTheCommittedCompressedTiledBigTiffAndComplexFixtures() throws Exception {
        assertEquals(6, refusesEveryUnreadableFixture(FIXTURES), "the manifest lists every refused fixture");
    }

    /** The fixture script run now, with whatever tifffile CI installed: its files read as the committed ones do. */
    @Test
    @Interop
    void readsWhatTheInstalledTifffileWrites(@TempDir Path dir) throws Exception {
        Python python = Python.standard().require("tifffile", "numpy");
        Path out = dir.resolve("tiff");
        python.check(dir, Files.readString(Path.of("src", "test", "fixtures", "make_tiff_fixtures.py")), out.toString());
        assertEquals(15, readsEveryReadableFixture(out));
        assertEquals(6, refusesEveryUnreadableFixture(out));
    }

    @Test
    @Interop
    void readsWhatImageIoWritesInEitherByteOrder(@TempDir Path dir) throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        for (ByteOrder order : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
            String e = order == ByteOrder.BIG_ENDIAN ? ">" : "<";
            List<BufferedImage> gray8 = List.of(gray(BufferedImage.TYPE_BYTE_GRAY, 33, 70, 1));
            List<BufferedImage> gray16 = List.of(gray(BufferedImage.TYPE_USHORT_GRAY, 300, 41, 2)); // 24 KB: several strips
            List<BufferedImage> pages = List.of(gray(BufferedImage.TYPE_USHORT_GRAY, 9, 7, 3), gray(BufferedImage.TYPE_USHORT_GRAY, 9, 7, 4),
                    gray(BufferedImage.TYPE_USHORT_GRAY, 9, 7, 5));
            List<BufferedImage> rgb = List.of(rgb(6, 5, 6), rgb(6, 5, 7));
            Map<String, List<BufferedImage>> cases = Map.of("gray8", gray8, "gray16", gray16, "pages", pages, "rgb", rgb);
            for (var c : cases.entrySet()) {
                String key = c.getKey() + e.replace('>', 'b').replace('<', 'l') + ".tif";
                store.put(key, imageIo(c.getValue(), order, null));
                ChunkedArray a = open(store, key);
                BufferedImage first = c.getValue().get(0);
                int samples = first.getRaster().getNumBands(), bytes = first.getSampleModel().getSampleSize(0) / 8;
                List<Long> shape = new ArrayList<>();
                if (c.getValue().size() > 1) shape.add((long) c.getValue().size());
                shape.add((long) first.getHeight());
                shape.add((long) first.getWidth());
                if (samples > 1) shape.add((long) samples);
                assertArrayEquals(shape.stream().mapToLong(Long::longValue).toArray(), a.structure().shape(), key);
                assertEquals(bytes == 1 ? "|u1" : e + "u2", ((DataType.Builtin) a.structure().dataType()).numpyString(), key);
                assertArrayEquals(samples(c.getValue(), order), assemble(a), key);
            }
        }
    }

    @Test
    @Interop
    void imageIoCompressedAndTiledFilesAreRefusedAsUnreadable(@TempDir Path dir) throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        BufferedImage image = gray(BufferedImage.TYPE_BYTE_GRAY, 32, 32, 1);
        for (String compression : List.of("LZW", "Deflate", "PackBits")) {
            store.put(compression + ".tif", imageIo(List.of(image), ByteOrder.BIG_ENDIAN, p -> {
                p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionType(compression);
            }));
            CorruptDataException e = assertThrows(CorruptDataException.class, () -> open(store, compression + ".tif"));
            assertTrue(e.getMessage().contains("compressed"), e.getMessage());
        }
        store.put("tiled.tif", imageIo(List.of(image), ByteOrder.LITTLE_ENDIAN, p -> {
            p.setTilingMode(ImageWriteParam.MODE_EXPLICIT);
            p.setTiling(16, 16, 0, 0);
        }));
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> open(store, "tiled.tif"));
        assertTrue(e.getMessage().contains("tiled"), e.getMessage());
    }

    // ---- the fixtures' manifest

    static int readsEveryReadableFixture(Path root) throws IOException {
        FileBlobStore store = new FileBlobStore(root);
        int n = 0;
        for (var f : manifest(root).entrySet()) {
            if (!f.getValue().path("readable").asBoolean()) continue;
            String name = f.getKey();
            ChunkedArray a = open(store, name + ".tif");
            long[] shape = Json.mapper().convertValue(f.getValue().get("shape"), long[].class);
            assertArrayEquals(shape, a.structure().shape(), name);
            assertEquals(f.getValue().get("dtype").asText(), ((DataType.Builtin) a.structure().dataType()).numpyString(), name);
            assertArrayEquals(Files.readAllBytes(root.resolve(name + ".bin")), assemble(a), name);
            n++;
        }
        return n;
    }

    static int refusesEveryUnreadableFixture(Path root) throws IOException {
        FileBlobStore store = new FileBlobStore(root);
        int n = 0;
        for (var f : manifest(root).entrySet()) {
            if (f.getValue().path("readable").asBoolean()) continue;
            CorruptDataException e = assertThrows(CorruptDataException.class, () -> open(store, f.getKey() + ".tif"), f.getKey());
            assertTrue(e.getMessage().contains(f.getValue().get("reason").asText()), f.getKey() + ": " + e.getMessage());
            n++;
        }
        return n;
    }

    static Map<String, JsonNode> manifest(Path root) throws IOException {
        Map<String, JsonNode> out = new java.util.TreeMap<>();
        Json.mapper().readTree(root.resolve("manifest.json").toFile()).get("fixtures").properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    static ChunkedArray open(FileBlobStore store, String key) throws IOException {
        return new TiffArrayReader().open(store, new DataSource(TiffArrayReader.MIMETYPE, List.of(new Asset(key, false, "data_uri"))));
    }

    /** The whole array: a TIFF's chunk is one page (all of it when there is one page). */
    static byte[] assemble(ChunkedArray a) throws IOException {
        long[] shape = a.structure().shape();
        int[] chunk = a.chunkShape();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long pages = chunk[0] == 1 && shape[0] > 1 ? shape[0] : 1;
        for (long p = 0; p < pages; p++) {
            long[] idx = new long[shape.length];
            idx[0] = p;
            out.writeBytes(a.readChunk(idx));
        }
        return out.toByteArray();
    }

    // ---- ImageIO

    static BufferedImage gray(int type, int width, int height, int seed) {
        BufferedImage img = new BufferedImage(width, height, type);
        int max = type == BufferedImage.TYPE_BYTE_GRAY ? 256 : 65536;
        for (int y = 0; y < height; y++) for (int x = 0; x < width; x++) img.getRaster().setSample(x, y, 0, (x * 7919 + y * 104729 + seed * 31) % max);
        return img;
    }

    static BufferedImage rgb(int width, int height, int seed) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) for (int x = 0; x < width; x++)
            for (int b = 0; b < 3; b++) img.getRaster().setSample(x, y, b, (x * 37 + y * 11 + b * 85 + seed) % 256);
        return img;
    }

    /** The images' samples in the order a TIFF reader lays them out: page, row, column, sample; 16-bit in {@code order}. */
    static byte[] samples(List<BufferedImage> pages, ByteOrder order) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (BufferedImage img : pages) {
            int bands = img.getRaster().getNumBands(), bits = img.getSampleModel().getSampleSize(0);
            for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) for (int b = 0; b < bands; b++) {
                int v = img.getRaster().getSample(x, y, b);
                if (bits == 8) out.write(v);
                else out.writeBytes(ByteBuffer.allocate(2).order(order).putShort((short) v).array());
            }
        }
        return out.toByteArray();
    }

    private static final String TIFF_STREAM_FORMAT = "javax_imageio_tiff_stream_1.0";

    /** The pages written by ImageIO's TIFF writer to a stream of the given byte order, with {@code param} adjusted. */
    static byte[] imageIo(List<BufferedImage> pages, ByteOrder order, java.util.function.Consumer<ImageWriteParam> param) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("tiff").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            w.setOutput(out);
            ImageWriteParam p = w.getDefaultWriteParam();
            if (param != null) param.accept(p);
            // the writer takes its byte order from the stream metadata (big-endian unless told)
            IIOMetadata stream = w.getDefaultStreamMetadata(p);
            IIOMetadataNode root = new IIOMetadataNode(TIFF_STREAM_FORMAT);
            IIOMetadataNode byteOrder = new IIOMetadataNode("ByteOrder");
            byteOrder.setAttribute("value", order == ByteOrder.BIG_ENDIAN ? "BIG_ENDIAN" : "LITTLE_ENDIAN");
            root.appendChild(byteOrder);
            stream.mergeTree(TIFF_STREAM_FORMAT, root);
            w.prepareWriteSequence(stream);
            for (BufferedImage img : pages) w.writeToSequence(new IIOImage(img, null, null), p);
            w.endWriteSequence();
        } finally {
            w.dispose();
        }
        byte[] b = bytes.toByteArray();
        assertEquals(order == ByteOrder.BIG_ENDIAN ? "MM" : "II", new String(b, 0, 2, java.nio.charset.StandardCharsets.US_ASCII), "ImageIO's byte order");
        return b;
    }

    @Test
    void assembleCoversEveryPage() throws Exception {
        // a guard on the helper itself: a 3-page stack is three chunks, not one
        ChunkedArray a = open(new FileBlobStore(FIXTURES), "stack_u16.tif");
        assertArrayEquals(new int[] {1, 4, 5}, a.chunkShape());
        assertEquals(3 * 4 * 5 * 2, assemble(a).length);
        assertTrue(Arrays.equals(Files.readAllBytes(FIXTURES.resolve("stack_u16.bin")), assemble(a)));
    }
}
