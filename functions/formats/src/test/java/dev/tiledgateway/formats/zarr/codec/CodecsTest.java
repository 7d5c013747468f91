package dev.tiledgateway.formats.zarr.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tiledgateway.core.array.CorruptDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bytes-to-bytes codecs round-trip, and every way of breaking their input is a CorruptDataException. */
class CodecsTest {

    static List<BytesBytesCodec> codecs() {
        return List.of(new GzipCodec(1), new ZlibCodec(6), new ZstdCodec(3, false), new ZstdCodec(0, true),
                new BloscCodec("lz4", 5, 1, 8, 0), new BloscCodec("zstd", 3, 2, 4, 0), new BloscCodec("blosclz", 5, 0, 1, 0),
                new Crc32cCodec());
    }

    static byte[] data() {
        byte[] b = new byte[4096];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (i % 13 + i / 512);
        return b;
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void roundTrip(BytesBytesCodec codec) throws Exception {
        byte[] d = data();
        assertArrayEquals(d, codec.decode(codec.encode(d)));
        assertArrayEquals(new byte[0], codec.decode(codec.encode(new byte[0])));
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void truncatedInputIsCorrupt(BytesBytesCodec codec) {
        byte[] enc = codec.encode(data());
        for (int keep : new int[] {0, 1, 3, enc.length / 2, enc.length - 1}) {
            byte[] cut = Arrays.copyOf(enc, keep);
            assertThrows(CorruptDataException.class, () -> codec.decode(cut), codec + " kept " + keep);
        }
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void garbageIsCorrupt(BytesBytesCodec codec) {
        byte[] junk = new byte[300];
        new Random(7).nextBytes(junk);
        assertThrows(CorruptDataException.class, () -> codec.decode(junk));
        assertThrows(CorruptDataException.class, () -> codec.decode("plain text, not a codec frame".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void crc32cMatchesTheKnownCheckValue() throws Exception {
        byte[] enc = new Crc32cCodec().encode("123456789".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(new byte[] {(byte) 0x83, (byte) 0x92, 0x06, (byte) 0xE3}, Arrays.copyOfRange(enc, 9, 13));
        enc[0] ^= 1;
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> new Crc32cCodec().decode(enc));
        assertTrue(e.getMessage().contains("crc32c"));
    }

    @Test
    void transposeMatchesIndexArithmetic() {
        int[] shape = {2, 3, 4};
        int[] perm = {2, 0, 1};
        byte[] src = new byte[24 * 2];
        for (int i = 0; i < 24; i++) src[2 * i] = (byte) i;
        byte[] out = Transposer.permute(src, shape, perm, 2);
        // out has shape (4, 2, 3); out[k][i][j] = src[i][j][k]
        for (int k = 0; k < 4; k++) for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++)
            assertEquals(i * 12 + j * 4 + k, out[2 * (k * 6 + i * 3 + j)]);
        assertArrayEquals(src, Transposer.permute(out, new int[] {4, 2, 3}, Transposer.inverse(perm), 2));
    }

    @Test
    void copyBlockPlacesRows() {
        byte[] dst = new byte[4 * 6];
        byte[] block = {1, 2, 3, 4, 5, 6};
        Transposer.copyBlock(block, new int[] {2, 3}, dst, new int[] {4, 6}, new int[] {2, 3}, 1);
        assertArrayEquals(new byte[] {1, 2, 3}, Arrays.copyOfRange(dst, 15, 18));
        assertArrayEquals(new byte[] {4, 5, 6}, Arrays.copyOfRange(dst, 21, 24));
        assertEquals(6, Arrays.stream(new int[24]).map(i -> 0).sum() + countNonZero(dst));
    }

    private static int countNonZero(byte[] b) {
        int n = 0;
        for (byte x : b) if (x != 0) n++;
        return n;
    }

    @Test
    void registryRefusesUnknownNamesAndMisplacedCodecs() throws Exception {
        ObjectMapper m = new ObjectMapper();
        CodecContext ctx = new CodecContext(4, new int[] {2, 2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CodecPipeline.v3(m.readTree("[{\"name\":\"bytes\",\"configuration\":{\"endian\":\"little\"}},{\"name\":\"lz5\"}]"), ctx));
        assertTrue(e.getMessage().contains("'lz5'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CodecPipeline.v3(m.readTree("[{\"name\":\"gzip\",\"configuration\":{\"level\":1}}]"), ctx));
        assertThrows(IllegalArgumentException.class, () -> CodecPipeline.v3(m.readTree("[\"bytes\"]"), ctx)); // 4-byte type needs endian
        assertThrows(IllegalArgumentException.class, () -> CodecPipeline.v3(m.readTree(
                "[{\"name\":\"bytes\",\"configuration\":{\"endian\":\"big\"}},{\"name\":\"transpose\",\"configuration\":{\"order\":[1,0]}}]"), ctx));
        assertThrows(IllegalArgumentException.class, () -> CodecRegistry.v2(m.readTree("{\"id\":\"lz4\"}"), ctx, "compressor"));
        CodecPipeline ok = CodecPipeline.v3(m.readTree("[{\"name\":\"bytes\",\"configuration\":{\"endian\":\"big\"}},\"crc32c\"]"), ctx);
        assertEquals(20, ok.encodedSize(new ChunkSpec(new int[] {2, 2}, 4, new byte[4])));
    }
}
