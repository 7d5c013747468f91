package dev.tiledgateway.formats.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.array.ArraySlicer;
import dev.tiledgateway.core.array.NDSlice;
import dev.tiledgateway.core.array.Selection;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.structure.ArrayStructure;
import dev.tiledgateway.core.structure.DataType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Every array in the fixture manifest: metadata as declared, values byte-for-byte as zarr-python / numpy wrote them,
 * and strided slices of them (ranged reads of uncompressed chunks, in C and F order, and whole decoded chunks)
 * as numpy's whole array holds them.
 */
class ZarrFixturesTest {

    private static final BlobStore STORE = Fixtures.store();
    private static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newFixedThreadPool(2);
    private static final ArraySlicer SLICER = new ArraySlicer(POOL, 64L << 20);

    @org.junit.jupiter.api.AfterAll
    static void shutdown() { POOL.shutdownNow(); }

    static Stream<Arguments> arrays() {
        return Fixtures.manifest().stream().map(n -> Arguments.of(n.path("path").asText(), n));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("arrays")
    void metadataMatchesTheManifest(String path, JsonNode expected) throws Exception {
        ZarrArray a = ZarrArray.open(STORE, path);
        ArrayStructure s = a.structure();
        assertEquals(expected.path("zarr_format").asInt(), a.zarrFormat());
        JsonNode dtype = expected.path("dtype");
        if (dtype.isTextual()) assertEquals(dtype.asText(), ((DataType.Builtin) s.dataType()).numpyString());
        else assertEquals(dtype, DataTypes.toV2(s.dataType()));
        assertArrayEquals(longs(expected.path("shape")), s.shape());
        int[] chunks = Arrays.stream(longs(expected.path("chunks"))).mapToInt(x -> (int) x).toArray();
        assertArrayEquals(chunks, a.chunkShape());
        assertEquals(ArrayStructure.regular(s.dataType(), s.shape(), chunks, s.dims()), s);
        if (expected.path("dims").isNull()) assertNull(s.dims());
        else assertEquals(strings(expected.path("dims")), s.dims());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("arrays")
    void valuesMatchExpectedBytes(String path, JsonNode expected) throws Exception {
        ZarrArray a = ZarrArray.open(STORE, path + "/");
        assertArrayEquals(Fixtures.expected(path), Fixtures.assemble(a), path);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("arrays")
    void slicesMatchTheWholeArray(String path, JsonNode expected) throws Exception {
        ZarrArray a = ZarrArray.open(STORE, path + "/");
        long[] shape = a.structure().shape();
        if (shape.length == 0) return;
        byte[] whole = Fixtures.expected(path);
        for (String each : List.of("::2", "::-1", "1::3", "-2:0:-2", "1:-1")) {
            String slice = String.join(",", java.util.Collections.nCopies(shape.length, each));
            Selection sel = NDSlice.parse(slice).resolve(shape);
            assertArrayEquals(gather(whole, shape, a.structure().dataType().itemsize(), sel), SLICER.read(a, sel), path + " [" + slice + "]");
        }
    }

    /** The elements of {@code sel} from the C-order bytes of a whole array, one by one. */
    private static byte[] gather(byte[] whole, long[] shape, int item, Selection sel) {
        int n = shape.length;
        byte[] out = new byte[Math.toIntExact(sel.count() * item)];
        long[] j = new long[n];
        for (int k = 0; k < sel.count(); k++) {
            long src = 0;
            for (int d = 0; d < n; d++) src = src * shape[d] + sel.dims()[d].at(j[d]);
            System.arraycopy(whole, (int) (src * item), out, k * item, item);
            for (int d = n - 1; d >= 0 && ++j[d] == sel.dims()[d].count(); d--) j[d] = 0;
        }
        return out;
    }

    private static long[] longs(JsonNode n) {
        long[] out = new long[n.size()];
        for (int i = 0; i < out.length; i++) out[i] = n.get(i).asLong();
        return out;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }
}
