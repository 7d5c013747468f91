package dev.tiledgateway.core.array;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.structure.ArrayStructure;
import dev.tiledgateway.core.structure.DataType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Every slice in {@code slices.json} (numpy's answers, see src/test/fixtures/make_slice_fixtures.py)
 * read through NDSlice and ArraySlicer, over several chunk grids including ragged edge chunks.
 */
class SlicingAgainstNumpyTest {

    private static ExecutorService pool;

    @BeforeAll
    static void start() { pool = Executors.newFixedThreadPool(4); }

    @AfterAll
    static void stop() { pool.shutdownNow(); }

    static List<Arguments> cases() throws IOException {
        JsonNode root;
        try (InputStream in = SlicingAgainstNumpyTest.class.getResourceAsStream("/slices.json")) {
            root = Json.mapper().readTree(in);
        }
        List<Arguments> out = new ArrayList<>();
        int[][] grids = {{7, 9, 5}, {3, 4, 2}, {1, 1, 1}, {5, 2, 3}};
        for (JsonNode c : root.get("cases")) {
            for (int[] g : grids) out.add(Arguments.of(c.get("slice").asText(), g, c.get("shape"), c.get("values")));
        }
        return out;
    }

    @ParameterizedTest(name = "slice \"{0}\" over chunks {1}")
    @MethodSource("cases")
    void matchesNumpy(String slice, int[] chunkShape, JsonNode shape, JsonNode values) throws IOException {
        long[] full = {7, 9, 5};
        InMemoryChunkedArray array = new InMemoryChunkedArray(full, chunkShape);
        Selection sel = NDSlice.parse(slice).resolve(full);
        long[] expectedShape = new long[shape.size()];
        for (int i = 0; i < expectedShape.length; i++) expectedShape[i] = shape.get(i).asLong();
        assertArrayEquals(expectedShape, sel.resultShape(), "shape");
        byte[] got = new ArraySlicer(pool, 1 << 20).read(array, sel);
        ByteBuffer b = ByteBuffer.wrap(got).order(ByteOrder.LITTLE_ENDIAN);
        int[] actual = new int[values.size()];
        int[] expected = new int[values.size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = values.get(i).asInt();
            actual[i] = b.getInt(i * 4);
        }
        assertArrayEquals(expected, actual, "values");
    }

    /** A C-order int32 arange cut into a regular chunk grid, edge chunks padded with -1 as Zarr pads them. */
    static final class InMemoryChunkedArray implements ChunkedArray {
        private final long[] shape;
        private final int[] chunk;

        InMemoryChunkedArray(long[] shape, int[] chunk) {
            this.shape = shape;
            this.chunk = chunk;
        }

        public ArrayStructure structure() { return ArrayStructure.regular(DataType.Builtin.parse("<i4"), shape, chunk, null); }

        public int[] chunkShape() { return chunk; }

        public byte[] readChunk(long[] idx) {
            int n = chunk[0] * chunk[1] * chunk[2];
            ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < chunk[0]; i++) for (int j = 0; j < chunk[1]; j++) for (int k = 0; k < chunk[2]; k++) {
                long gi = idx[0] * chunk[0] + i, gj = idx[1] * chunk[1] + j, gk = idx[2] * chunk[2] + k;
                boolean inside = gi < shape[0] && gj < shape[1] && gk < shape[2];
                b.putInt(inside ? (int) ((gi * shape[1] + gj) * shape[2] + gk) : -1);
            }
            return b.array();
        }

        /** Also serves byte ranges, so selections covering little of a chunk take the ranged path. */
        @Override
        public java.util.Optional<java.util.List<byte[]>> readChunkRanges(long[] idx, java.util.List<dev.tiledgateway.core.store.ByteRange> ranges) {
            byte[] chunk = readChunk(idx);
            return java.util.Optional.of(ranges.stream().map(r -> java.util.Arrays.copyOfRange(chunk, (int) r.offset(), (int) r.end())).toList());
        }
    }
}
