package dev.tiledgateway.formats.zarr;

import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.embedded.store.FileBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Arrays and groups written by ZarrV2Writer read back with ZarrArray / ZarrGroup. */
class ZarrV2WriterTest {

    static final DataType.Builtin F8 = DataType.Builtin.parse("<f8");
    static final List<V2Compressor> COMPRESSORS = List.of(V2Compressor.none(), V2Compressor.zstd(3), V2Compressor.gzip(5),
            V2Compressor.zlib(6), V2Compressor.blosc("lz4", 5, 1), V2Compressor.blosc("zstd", 3, 2), V2Compressor.blosc("blosclz", 9, -1));

    /** A 7x5 float64 array in 3x2 chunks; chunk (1,1) is left unwritten and reads as the fill value. */
    static ZarrV2Writer writeF8(FileBlobStore store, String prefix, V2Compressor comp) throws Exception {
        ZarrV2Writer w = ZarrV2Writer.create(store, prefix, F8, new long[] {7, 5}, new int[] {3, 2}, comp, Double.NaN,
                Map.of("_ARRAY_DIMENSIONS", List.of("y", "x"), "units", "K"));
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                if (i == 1 && j == 1) continue;
                ByteBuffer b = ByteBuffer.allocate(6 * 8).order(ByteOrder.LITTLE_ENDIAN);
                for (int r = 0; r < 3; r++) for (int c = 0; c < 2; c++) b.putDouble(value(i * 3 + r, j * 2 + c));
                w.writeChunk(new long[] {i, j}, b.array());
            }
        }
        return w;
    }

    static double value(int r, int c) { return r >= 7 || c >= 5 ? 0 : r * 10 + c + 0.25; }

    static byte[] expectedF8() {
        ByteBuffer b = ByteBuffer.allocate(35 * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < 7; r++) for (int c = 0; c < 5; c++) b.putDouble(r / 3 == 1 && c / 2 == 1 ? Double.NaN : value(r, c));
        return b.array();
    }

    @Test
    void everyCompressorRoundTrips(@TempDir Path dir) throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        for (V2Compressor comp : COMPRESSORS) {
            String prefix = "arrays/" + (comp.isNone() ? "none" : comp.id() + comp.parameters().getOrDefault("cname", ""));
            writeF8(store, prefix, comp);
            ZarrArray a = ZarrArray.open(store, prefix);
            assertEquals(F8, a.structure().dataType());
            assertEquals(List.of("y", "x"), a.structure().dims());
            assertEquals("K", a.attributes().path("units").asText());
            assertArrayEquals(expectedF8(), Fixtures.assemble(a), prefix);
        }
    }

    @Test
    void recordsScalarsAndBigEndian(@TempDir Path dir) throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        DataType.Struct rec = new DataType.Struct(4 + 40 + 12, List.of(
                new DataType.Field("id", DataType.Builtin.parse("<i4"), null),
                new DataType.Field("name", DataType.Builtin.parse("<U10"), null),
                new DataType.Field("pos", DataType.Builtin.parse(">f4"), List.of(3))));
        byte[] fill = new byte[rec.itemsize()];
        fill[0] = 7;
        ZarrV2Writer w = ZarrV2Writer.create(store, "rec", rec, new long[] {3}, new int[] {2}, V2Compressor.zstd(1), fill, null);
        byte[] chunk = new byte[2 * rec.itemsize()];
        for (int i = 0; i < chunk.length; i++) chunk[i] = (byte) i;
        w.writeChunk(new long[] {0}, chunk);
        ZarrArray a = ZarrArray.open(store, "rec");
        assertEquals(rec, a.structure().dataType());
        assertArrayEquals(chunk, a.readChunk(new long[] {0}));
        byte[] missing = a.readChunk(new long[] {1});
        assertEquals(7, missing[0]);
        assertEquals(7, missing[rec.itemsize()]);

        DataType.Builtin be = DataType.Builtin.parse(">i2");
        ZarrV2Writer s = ZarrV2Writer.create(store, "scalar/", be, new long[0], new int[0], V2Compressor.gzip(1), -2, Map.of());
        ZarrArray unwritten = ZarrArray.open(store, "scalar");
        assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xfe}, unwritten.readChunk(new long[0]));
        s.writeChunk(new long[0], new byte[] {1, 2});
        assertArrayEquals(new byte[] {1, 2}, ZarrArray.open(store, "scalar").readChunk(new long[0]));
    }

    @Test
    void metadataIsWrittenAsAsciiJson(@TempDir Path dir) throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        ZarrV2Writer.create(store, "t", DataType.Builtin.parse("<U4"), new long[] {2}, new int[] {2}, null, "\u00dfx",
                Map.of("unit", "\u00b5m", "face", "\uD83D\uDE42"));
        for (String key : List.of("t/.zarray", "t/.zattrs")) {
            byte[] json = store.get(key).orElseThrow();
            for (byte b : json) assertTrue(b >= 0, key + " holds only ASCII (zarr-python 2.13 reads it as ASCII)");
        }
        ZarrArray a = ZarrArray.open(store, "t");
        assertEquals("\u00b5m", a.attributes().path("unit").asText());
        assertEquals("\uD83D\uDE42", a.attributes().path("face").asText());
        byte[] fill = {(byte) 0xdf, 0, 0, 0, 'x', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] twice = new byte[32];
        System.arraycopy(fill, 0, twice, 0, 16);
        System.arraycopy(fill, 0, twice, 16, 16);
        assertArrayEquals(twice, a.readChunk(new long[] {0}), "the fill value survives the escaping");
    }

    @Test
    void groups(@TempDir Path dir) throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        ZarrV2Writer.writeGroup(store, "", Map.of("title", "demo"));
        ZarrV2Writer.writeGroup(store, "a/b", null);
        assertEquals("demo", ZarrGroup.open(store, "").orElseThrow().attributes().path("title").asText());
        assertEquals(0, ZarrGroup.open(store, "a/b/").orElseThrow().attributes().size());
        assertEquals(List.of("b"), ZarrNodes.children(store, "a"));
        assertEquals(List.of(), ZarrNodes.children(store, ""));
    }

    @Test
    void invalidInputIsRefused(@TempDir Path dir) throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        ZarrV2Writer w = ZarrV2Writer.create(store, "x", F8, new long[] {4}, new int[] {3}, null, 0, null);
        assertThrows(IllegalArgumentException.class, () -> w.writeChunk(new long[] {0}, new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> w.writeChunk(new long[] {2}, new byte[24]));
        DataType.Builtin i1 = DataType.Builtin.parse("|i1");
        assertThrows(IllegalArgumentException.class,
                () -> ZarrV2Writer.create(store, "y", i1, new long[] {4}, new int[] {3}, null, 300, null));
        assertThrows(IllegalArgumentException.class,
                () -> ZarrV2Writer.create(store, "y", i1, new long[] {4}, new int[] {0}, null, 0, null));
        assertThrows(IllegalArgumentException.class, () -> V2Compressor.blosc("snappy", 5, 1));
        assertThrows(IllegalArgumentException.class, () -> new V2Compressor("lzma", Map.of()));
    }
}
