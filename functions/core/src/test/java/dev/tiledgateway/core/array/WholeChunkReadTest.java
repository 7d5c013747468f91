package dev.tiledgateway.core.array;

import dev.tiledgateway.core.structure.DataType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A selection that is exactly one whole chunk (what {@code /array/block} asks) is answered with the chunk's decoded
 * bytes as they are, not copied into a result of the same size; any other selection gets an array of its own.
 */
class WholeChunkReadTest {

    private static ExecutorService pool;

    @BeforeAll
    static void start() { pool = Executors.newVirtualThreadPerTaskExecutor(); }

    @AfterAll
    static void stop() { pool.shutdownNow(); }

    private static ArrayPayload payload() {
        byte[] b = new byte[6 * 4 * 4];
        for (int i = 0; i < b.length; i++) b[i] = (byte) i;
        return new ArrayPayload(DataType.Builtin.parse("<i4"), new long[] {6, 4}, b);
    }

    @Test
    void aWholeChunkIsTheChunksOwnBytes() throws IOException {
        ArrayPayload p = payload();
        // a payload array is one chunk, whose decoded bytes are the payload's
        byte[] got = new ArraySlicer(pool, 1 << 20).read(new PayloadArray(p), Selection.all(p.shape()));
        assertSame(p.bytes(), got);
    }

    @Test
    void partOfAChunkIsACopy() throws IOException {
        ArrayPayload p = payload();
        byte[] got = new ArraySlicer(pool, 1 << 20).read(new PayloadArray(p), NDSlice.parse("1:6").resolve(p.shape()));
        assertNotSame(p.bytes(), got);
        assertArrayEquals(Arrays.copyOfRange(p.bytes(), 16, p.bytes().length), got);
        byte[] strided = new ArraySlicer(pool, 1 << 20).read(new PayloadArray(p), NDSlice.parse("::1,::2").resolve(p.shape()));
        assertNotSame(p.bytes(), strided);
        assertArrayEquals(new byte[] {0, 1, 2, 3, 8, 9, 10, 11}, Arrays.copyOf(strided, 8));
    }
}
