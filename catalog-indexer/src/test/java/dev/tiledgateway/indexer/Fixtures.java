package dev.tiledgateway.indexer;

import dev.tiledgateway.core.store.BlobStore;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Test data: the formats module's fixtures (written by zarr-python and pyarrow) and TIFFs written by the JDK's ImageIO. */
final class Fixtures {

    static final Path FORMATS = Path.of("..", "functions", "formats", "src", "test", "resources");
    static final Path ZARR = FORMATS.resolve("zarr");
    static final Path TABLE = FORMATS.resolve("table");

    private Fixtures() {}

    /** Copies a fixture folder under {@code prefix} (without the test's expected.bin); returns the keys written, metadata first. */
    static List<String> copyTree(Path dir, BlobStore store, String prefix) throws IOException {
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String rel = dir.relativize(f).toString().replace('\\', '/');
                if (rel.endsWith("expected.bin")) continue;
                store.put(prefix + rel, Files.readAllBytes(f));
                keys.add(prefix + rel);
            }
        }
        keys.sort((a, b) -> Boolean.compare(!isMetadata(a), !isMetadata(b)));
        return keys;
    }

    static boolean isMetadata(String key) {
        return key.endsWith(".zarray") || key.endsWith(".zattrs") || key.endsWith(".zgroup") || key.endsWith("zarr.json");
    }

    static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] csv(String text) { return text.getBytes(StandardCharsets.UTF_8); }

    /** A grayscale TIFF of {@code pages} equal pages, 8 or 16 bits, written by ImageIO (big-endian, as it writes). */
    static byte[] tiff(int pages, int width, int height, boolean sixteenBit) {
        try {
            ImageWriter w = ImageIO.getImageWritersByFormatName("tiff").next();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                w.setOutput(ios);
                w.prepareWriteSequence(null);
                for (int p = 0; p < pages; p++) {
                    BufferedImage img = new BufferedImage(width, height, sixteenBit ? BufferedImage.TYPE_USHORT_GRAY : BufferedImage.TYPE_BYTE_GRAY);
                    for (int y = 0; y < height; y++) for (int x = 0; x < width; x++) img.getRaster().setSample(x, y, 0, (x + y + p) % 200);
                    w.writeToSequence(new IIOImage(img, null, null), null);
                }
                w.endWriteSequence();
            } finally {
                w.dispose();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
