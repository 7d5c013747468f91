package dev.tiledgateway.formats.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tiledgateway.embedded.store.FileBlobStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixtures written by zarr-python (v2 by src/test/fixtures/make_zarr_fixtures.py, v3 by
 * make_zarr_v3_fixtures.py; see resources/zarr/PROVENANCE.md), and helpers to compare with them.
 */
final class Fixtures {

    static final Path ROOT;

    static {
        try {
            ROOT = Path.of(Fixtures.class.getResource("/zarr/manifest.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private Fixtures() {}

    /** A store over the fixture folder (tests only read it; copy it to change it). */
    static FileBlobStore store() { return new FileBlobStore(ROOT); }

    /** The arrays the manifest lists, each with its expected dtype, shape, chunks and dims. */
    static List<JsonNode> manifest() {
        try {
            JsonNode m = new ObjectMapper().readTree(ROOT.resolve("manifest.json").toFile());
            List<JsonNode> out = new ArrayList<>();
            m.path("arrays").forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] expected(String arrayPath) throws IOException {
        return Files.readAllBytes(ROOT.resolve(arrayPath).resolve("expected.bin"));
    }

    /** The whole array in C order, assembled from its chunks with edge chunks cropped. */
    static byte[] assemble(ZarrArray a) throws IOException {
        long[] shape = a.structure().shape();
        int item = a.structure().dataType().itemsize();
        int n = shape.length;
        byte[] out = new byte[Math.toIntExact(a.structure().size() * item)];
        int[] cs = a.chunkShape();
        long chunkElems = 1;
        for (int c : cs) chunkElems *= c;
        if (n == 0) {
            System.arraycopy(a.readChunk(new long[0]), 0, out, 0, item);
            return out;
        }
        if (out.length == 0) return out;
        long[] grid = a.gridShape();
        long[] aStride = strides(shape, item);
        long[] cStride = strides(java.util.Arrays.stream(cs).asLongStream().toArray(), item);
        long[] idx = new long[n];
        do {
            byte[] chunk = a.readChunk(idx);
            if (chunk.length != chunkElems * item) throw new AssertionError("chunk " + java.util.Arrays.toString(idx) + " has " + chunk.length + " bytes");
            int[] ext = new int[n];
            for (int d = 0; d < n; d++) ext[d] = (int) Math.min(cs[d], shape[d] - idx[d] * cs[d]);
            int[] local = new int[n];
            do {
                long src = 0, dst = 0;
                for (int d = 0; d < n; d++) {
                    src += local[d] * cStride[d];
                    dst += (idx[d] * cs[d] + local[d]) * aStride[d];
                }
                System.arraycopy(chunk, (int) src, out, (int) dst, ext[n - 1] * item);
            } while (next(local, ext, n - 1));
        } while (next(idx, grid, n));
        return out;
    }

    private static long[] strides(long[] shape, int item) {
        long[] s = new long[shape.length];
        long x = item;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = x;
            x *= shape[d];
        }
        return s;
    }

    /** Odometer over the first {@code dims} axes; false when it wraps around. */
    private static boolean next(int[] c, int[] limit, int dims) {
        for (int d = dims - 1; d >= 0; d--) {
            if (++c[d] < limit[d]) return true;
            c[d] = 0;
        }
        return false;
    }

    private static boolean next(long[] c, long[] limit, int dims) {
        for (int d = dims - 1; d >= 0; d--) {
            if (++c[d] < limit[d]) return true;
            c[d] = 0;
        }
        return false;
    }

    /** A copy of the fixture tree, for tests that break files. */
    static Path copyTo(Path target) throws IOException {
        try (var walk = Files.walk(ROOT)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path t = target.resolve(ROOT.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
        return target;
    }
}
