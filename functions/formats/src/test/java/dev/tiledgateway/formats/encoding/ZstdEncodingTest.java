package dev.tiledgateway.formats.encoding;

import com.github.luben.zstd.Zstd;
import dev.tiledgateway.testkit.interop.Interop;
import dev.tiledgateway.testkit.interop.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** zstd response bodies: one frame with its content size, decodable by the library and by Python's zstandard (httpx's decoder). */
class ZstdEncodingTest {

    static byte[] json(int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) sb.append(i > 0 ? "," : "").append("{\"x\":").append(i).append(",\"name\":\"row").append(i).append("\"}");
        return sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void roundTripsAndShrinksText() {
        byte[] body = json(10_000);
        byte[] z = ZstdEncoding.compress(body);
        assertTrue(z.length * 10L < body.length, z.length + " of " + body.length);
        assertArrayEquals(body, Zstd.decompress(z, body.length));
    }

    @Test
    void isOneFrameCarryingItsContentSize() {
        byte[] body = new byte[3_000_000];
        new Random(1).nextBytes(body);
        byte[] z = ZstdEncoding.compress(body);
        assertEquals(0xFD2FB528, java.nio.ByteBuffer.wrap(z).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(0)); // frame magic
        assertEquals(z.length, Zstd.findFrameCompressedSize(z)); // nothing after the first frame
        assertEquals(body.length, Zstd.getFrameContentSize(z));
        assertArrayEquals(body, Zstd.decompress(z, body.length));
    }

    @Test
    void anEmptyBodyIsAnEmptyFrame() {
        byte[] z = ZstdEncoding.compress(new byte[0]);
        assertEquals(0, Zstd.getFrameContentSize(z));
        assertEquals(z.length, Zstd.findFrameCompressedSize(z));
        assertEquals(0, Zstd.decompress(z, 0).length);
    }

    @Test
    void usesLevelThree() {
        byte[] body = json(2_000);
        assertEquals("zstd", ZstdEncoding.NAME);
        assertArrayEquals(Zstd.compress(body, 3), ZstdEncoding.compress(body));
    }

    /** What httpx does with {@code Content-Encoding: zstd}: a streaming zstandard decompressobj, plus the one-shot API. */
    @Test
    @Interop
    void pythonZstandardDecodesIt(@TempDir Path dir) throws Exception {
        Python python = Python.standard().require("zstandard");
        byte[] body = json(5_000);
        Files.write(dir.resolve("body.json"), body);
        Files.write(dir.resolve("body.zst"), ZstdEncoding.compress(body));
        python.check(dir, """
                import zstandard
                raw, z = open("body.json", "rb").read(), open("body.zst", "rb").read()
                d = zstandard.ZstdDecompressor().decompressobj()
                out = b"".join(d.decompress(z[i:i + 4096]) for i in range(0, len(z), 4096))
                assert out == raw and d.eof, (len(out), len(raw))
                assert zstandard.ZstdDecompressor().decompress(z) == raw
                assert zstandard.get_frame_parameters(z).content_size == len(raw)
                print("ok")
                """);
    }
}
