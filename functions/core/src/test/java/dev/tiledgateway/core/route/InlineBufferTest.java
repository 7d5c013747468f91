package dev.tiledgateway.core.route;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** An inline body written in one piece is held at its size and handed over without another copy. */
class InlineBufferTest {

    @Test
    void aBodyWrittenInOnePieceIsHandedOverAsItIs() {
        byte[] body = new byte[3 * 1024 * 1024 + 7];
        Arrays.fill(body, (byte) 5);
        ResultStore.InlineBuffer b = new ResultStore.InlineBuffer();
        b.write(body, 0, body.length);
        byte[] out = b.bytes();
        assertArrayEquals(body, out);
        assertSame(out, b.bytes(), "the buffer's own array, not a copy");
    }

    @Test
    void piecesAreKeptInOrder() {
        ResultStore.InlineBuffer b = new ResultStore.InlineBuffer();
        for (int i = 0; i < 1000; i++) b.write(new byte[] {(byte) i, (byte) (i >> 8)}, 0, 2);
        b.write(7);
        byte[] out = b.bytes();
        assertEquals(2001, out.length);
        for (int i = 0; i < 1000; i++) {
            assertEquals((byte) i, out[2 * i]);
            assertEquals((byte) (i >> 8), out[2 * i + 1]);
        }
        assertEquals(7, out[2000]);
    }
}
