package dev.tiledgateway.formats.zarr;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a chunk's grid index becomes a store key: v3 {@code default} ({@code c/1/2}, 0-d {@code c}) or
 * the v2 style ({@code 1.2}, 0-d {@code 0}), with separator {@code .} or {@code /}.
 */
record ChunkKeyEncoding(boolean leadingC, String separator) {

    ChunkKeyEncoding {
        if (!separator.equals(".") && !separator.equals("/"))
            throw new IllegalArgumentException("chunk key separator must be '.' or '/', got '" + separator + "'");
    }

    static ChunkKeyEncoding v2(String separator) { return new ChunkKeyEncoding(false, separator); }

    static ChunkKeyEncoding fromV3(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) return new ChunkKeyEncoding(true, "/");
        String name = n.isTextual() ? n.asText() : n.path("name").asText(null);
        JsonNode sep = n.path("configuration").path("separator");
        if ("default".equals(name)) return new ChunkKeyEncoding(true, sep.isTextual() ? sep.asText() : "/");
        if ("v2".equals(name)) return new ChunkKeyEncoding(false, sep.isTextual() ? sep.asText() : ".");
        throw new IllegalArgumentException("unsupported chunk_key_encoding: " + n);
    }

    /** The key of chunk {@code idx}, relative to the array's prefix. */
    String key(long[] idx) {
        StringBuilder sb = new StringBuilder(leadingC ? "c" : "");
        for (int d = 0; d < idx.length; d++) {
            if (leadingC || d > 0) sb.append(separator);
            sb.append(idx[d]);
        }
        return sb.isEmpty() ? "0" : sb.toString();
    }
}
