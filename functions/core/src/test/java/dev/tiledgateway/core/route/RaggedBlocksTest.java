package dev.tiledgateway.core.route;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which rows a ragged array's {@code block=} names: its first dimension cut by {@code chunks[0]}. */
class RaggedBlocksTest {

    private static JsonNode json(String s) {
        try {
            return Json.parse(s);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final JsonNode THREE_BLOCKS = json("{\"shape\": [9, null, null], \"chunks\": [[4, 0, 5], null, null]}");

    @Test
    void blocksAreRunsOfRowsAlongTheFirstDimension() {
        assertArrayEquals(new long[] {0, 4}, RaggedBlocks.rows(THREE_BLOCKS, "0"));
        assertArrayEquals(new long[] {4, 4}, RaggedBlocks.rows(THREE_BLOCKS, "1"));
        assertArrayEquals(new long[] {4, 9}, RaggedBlocks.rows(THREE_BLOCKS, "2"));
        assertArrayEquals(new long[] {4, 9}, RaggedBlocks.rows(THREE_BLOCKS, "2,0,0"), "one index per dimension, the others 0");
        assertArrayEquals(new long[] {0, 7}, RaggedBlocks.rows(json("{\"shape\": [7, null]}"), "0"), "no chunks: one block");
    }

    @Test
    void anIndexPastTheBlocksIs400() {
        for (String b : new String[] {"3", "0,1,0", "99999999999999999999"}) {
            TiledException e = assertThrows(TiledException.class, () -> RaggedBlocks.rows(THREE_BLOCKS, b));
            assertEquals(400, e.status(), b);
            assertTrue(e.detail().startsWith("Block index out of range"), e.detail());
        }
    }

    @Test
    void aMalformedBlockIs422() {
        for (String b : new String[] {"", "x", "-1", "0,0", "1,"}) {
            TiledException e = assertThrows(TiledException.class, () -> RaggedBlocks.rows(THREE_BLOCKS, b));
            assertEquals(422, e.status(), b);
        }
    }
}
