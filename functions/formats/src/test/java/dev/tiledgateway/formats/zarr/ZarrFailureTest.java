package dev.tiledgateway.formats.zarr;

import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.embedded.store.FileBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Corrupt chunks, unsupported metadata and bad chunk indices fail with the documented exceptions. */
class ZarrFailureTest {

    private static final BlobStore STORE = Fixtures.store();

    @ParameterizedTest
    @ValueSource(strings = {"v2/corrupt/zstd", "v2/corrupt/gzip", "v2/corrupt/zlib", "v2/corrupt/blosc", "v2/corrupt/none",
            "v3/corrupt/zstd", "v3/corrupt/gzip", "v3/corrupt/blosc", "v3/corrupt/crc32c",
            "v3/corrupt/shard_index", "v3/corrupt/shard_body"})
    void truncatedOrGarbledChunksAreCorruptData(String path) throws Exception {
        ZarrArray a = ZarrArray.open(STORE, path);
        long[] last = a.gridShape(); // the last chunk: in a shard truncated to half, the first inner chunks survive
        for (int d = 0; d < last.length; d++) last[d]--;
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> a.readChunk(last));
        assertTrue(e.getMessage().contains(path + "/"), "message names the chunk key: " + e.getMessage());
    }

    @Test
    void crcMismatchIsReported() throws Exception {
        ZarrArray a = ZarrArray.open(STORE, "v3/corrupt/crc32c");
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> a.readChunk(new long[] {0}));
        assertTrue(e.getMessage().contains("crc32c mismatch"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"v2/unknown_compressor, lzma", "v2/unknown_filter, delta", "v3/unknown_codec, funky",
            "v3/unknown_dtype, string"})
    void unknownCodecsAndTypesAreRefusedAtOpen(String path, String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ZarrArray.open(STORE, path));
        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
    }

    @Test
    void noArrayAtPrefix() {
        assertThrows(IllegalArgumentException.class, () -> ZarrArray.open(STORE, "v2/nothing-here"));
        assertThrows(IllegalArgumentException.class, () -> ZarrArray.open(STORE, "v3/grp"));
        assertThrows(IllegalArgumentException.class, () -> ZarrArray.open(STORE, "v2/grp"));
    }

    @Test
    void chunkIndexOutsideTheGridIsAnArgumentError() throws Exception {
        ZarrArray a = ZarrArray.open(STORE, "v2/dtype_le_f8"); // 7x5 in 3x2 chunks: grid 3x3
        assertEquals(3, a.gridShape()[1]);
        assertThrows(IllegalArgumentException.class, () -> a.readChunk(new long[] {3, 0}));
        assertThrows(IllegalArgumentException.class, () -> a.readChunk(new long[] {0, -1}));
        assertThrows(IllegalArgumentException.class, () -> a.readChunk(new long[] {0}));
        ZarrArray sharded = ZarrArray.open(STORE, "v3/sharded_end"); // inner grid 5x3
        assertThrows(IllegalArgumentException.class, () -> sharded.readChunk(new long[] {5, 0}));
        ZarrArray empty = ZarrArray.open(STORE, "v2/empty_dim");
        assertThrows(IllegalArgumentException.class, () -> empty.readChunk(new long[] {0, 0}));
    }

    @Test
    void invalidMetadataJsonIsCorruptData(@TempDir Path dir) throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        store.put("a/.zarray", "{not json".getBytes(StandardCharsets.UTF_8));
        assertThrows(CorruptDataException.class, () -> ZarrArray.open(store, "a"));
        store.put("b/.zarray", "{\"zarr_format\": 2, \"shape\": [4], \"dtype\": \"<f8\"}".getBytes(StandardCharsets.UTF_8));
        assertThrows(CorruptDataException.class, () -> ZarrArray.open(store, "b"));
        store.put("c/.zarray", "{\"zarr_format\": 2, \"shape\": [4], \"chunks\": [2], \"dtype\": \"|O\", \"compressor\": null}"
                .getBytes(StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> ZarrArray.open(store, "c"));
    }

    @Test
    void chunkOfTheWrongSizeIsCorruptData(@TempDir Path dir) throws Exception {
        FileBlobStore store = new FileBlobStore(Fixtures.copyTo(dir));
        store.put("v2/comp_zstd/0.0", new dev.tiledgateway.formats.zarr.codec.ZstdCodec(1, false).encode(new byte[12]));
        ZarrArray a = ZarrArray.open(store, "v2/comp_zstd");
        assertThrows(CorruptDataException.class, () -> a.readChunk(new long[] {0, 0}));
        store.put("v3/crc32c/c/0/0", new byte[3]);
        ZarrArray b = ZarrArray.open(store, "v3/crc32c");
        assertThrows(CorruptDataException.class, () -> b.readChunk(new long[] {0, 0}));
    }
}
