package dev.tiledgateway.core.route;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.error.TiledException;

import java.util.regex.Pattern;

/**
 * The blocks of a ragged array: its first dimension cut as the structure's {@code chunks[0]} says (its other,
 * variable-length dimensions are never cut, so each is one block). A block is named as the node's
 * {@code links.block} template names it, {@code block=i}, or with one index per dimension, the others 0.
 */
final class RaggedBlocks {

    private static final Pattern BLOCK = Pattern.compile("^[0-9]+(,[0-9]+)*$");

    private RaggedBlocks() {}

    /**
     * The rows {@code [start, stop)} of the block named by {@code block}: 422 when it is malformed or has the wrong
     * number of indices, 400 when an index is past the blocks of its dimension (as an array block is).
     */
    static long[] rows(JsonNode structure, String block) {
        if (!BLOCK.matcher(block).matches())
            throw TiledException.unprocessable("Malformed block '" + block + "': expected a block index like 0 (or one per dimension, like 0,0,0)");
        String[] parts = block.split(",");
        JsonNode shape = structure == null ? null : structure.get("shape");
        int ndim = shape != null && shape.isArray() ? shape.size() : 1;
        if (parts.length != 1 && parts.length != ndim)
            throw TiledException.unprocessable("Block " + block + " has " + parts.length + " indices; this ragged array takes 1 (its first"
                    + " dimension's block) or " + ndim + ", one per dimension");
        long[] counts = firstDimensionBlocks(structure, shape);
        for (int d = 1; d < parts.length; d++)
            if (index(parts[d]) != 0) throw ArrayRoutes.blockOutOfRange(block, d, 1);
        long i = index(parts[0]);
        if (i >= counts.length) throw ArrayRoutes.blockOutOfRange(block, 0, counts.length);
        long start = 0;
        for (int k = 0; k < i; k++) start += counts[k];
        return new long[] {start, start + counts[(int) i]};
    }

    /** Row counts of the blocks along the first dimension: {@code chunks[0]}, or one block of {@code shape[0]} rows. */
    private static long[] firstDimensionBlocks(JsonNode structure, JsonNode shape) {
        JsonNode chunks = structure == null ? null : structure.get("chunks");
        JsonNode first = chunks != null && chunks.isArray() && !chunks.isEmpty() ? chunks.get(0) : null;
        if (first != null && first.isArray()) {
            long[] counts = new long[first.size()];
            for (int k = 0; k < counts.length; k++) {
                if (!first.get(k).canConvertToLong() || first.get(k).asLong() < 0)
                    throw TiledException.unprocessable("This ragged array's structure has malformed chunks: " + chunks);
                counts[k] = first.get(k).asLong();
            }
            return counts;
        }
        if (shape != null && shape.isArray() && !shape.isEmpty() && shape.get(0).canConvertToLong())
            return new long[] {shape.get(0).asLong()};
        throw TiledException.unprocessable("This ragged array's structure names neither chunks nor a length");
    }

    /** An index; one too large for a long is past every dimension's blocks. */
    private static long index(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
