package dev.tiledgateway.formats.zarr;

import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.store.ByteRange;
import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.embedded.store.FileBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ranged reads of uncompressed chunks: the same bytes as decoding the whole chunk, and only for such chunks. */
class ChunkRangeReadTest {

    @TempDir
    Path dir;

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 7 + 3);
        return b;
    }

    @Test
    void uncompressedChunksServeRanges() throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        ZarrV2Writer w = ZarrV2Writer.create(store, "a/", DataType.Builtin.parse("<f8"), new long[] {8, 8}, new int[] {4, 4},
                V2Compressor.none(), 1.5, Map.of());
        byte[] chunk = pattern(4 * 4 * 8);
        w.writeChunk(new long[] {0, 1}, chunk);
        ZarrArray a = ZarrArray.open(store, "a/");
        List<byte[]> got = a.readChunkRanges(new long[] {0, 1}, List.of(new ByteRange(40, 60), new ByteRange(120, 8))).orElseThrow();
        assertArrayEquals(Arrays.copyOfRange(chunk, 40, 100), got.get(0));
        assertArrayEquals(Arrays.copyOfRange(chunk, 120, 128), got.get(1));
        byte[] fill = a.readChunkRanges(new long[] {1, 1}, List.of(new ByteRange(8, 16))).orElseThrow().get(0);
        assertEquals(1.5, java.nio.ByteBuffer.wrap(fill).order(java.nio.ByteOrder.LITTLE_ENDIAN).getDouble(0), "missing chunks read as the fill value");
        assertTrue(a.readChunkRanges(new long[] {5, 5}, List.of(new ByteRange(0, 8))).isEmpty(), "outside the grid");
    }

    @Test
    void compressedChunksDecline() throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        ZarrV2Writer w = ZarrV2Writer.create(store, "z/", DataType.Builtin.parse("<f8"), new long[] {4}, new int[] {4},
                V2Compressor.zstd(1), null, Map.of());
        w.writeChunk(new long[] {0}, pattern(32));
        assertTrue(ZarrArray.open(store, "z/").readChunkRanges(new long[] {0}, List.of(new ByteRange(0, 8))).isEmpty());
    }

    @Test
    void truncatedUncompressedChunksAreCorrupt() throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        ZarrV2Writer.create(store, "t/", DataType.Builtin.parse("<f8"), new long[] {4}, new int[] {4}, V2Compressor.none(), null, Map.of());
        store.put("t/0", new byte[10]);
        assertThrows(CorruptDataException.class, () -> ZarrArray.open(store, "t/").readChunkRanges(new long[] {0}, List.of(new ByteRange(8, 16))));
    }
}
