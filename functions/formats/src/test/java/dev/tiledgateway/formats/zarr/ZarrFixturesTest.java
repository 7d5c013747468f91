package dev.tiledgateway.formats.zarr;

import com.fasterxml.jackson.databind.JsonNode;
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

/** Every array in the fixture manifest: metadata as declared, values byte-for-byte as zarr-python / numpy wrote them. */
class ZarrFixturesTest {

    private static final BlobStore STORE = Fixtures.store();

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
