package dev.tiledgateway.formats.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.formats.zarr.codec.BytesBytesCodec;
import dev.tiledgateway.formats.zarr.codec.CodecContext;
import dev.tiledgateway.formats.zarr.codec.CodecRegistry;

import java.util.Map;
import java.util.TreeMap;

/** A Zarr v2 compressor for {@link ZarrV2Writer}: its numcodecs id and parameters ({@code id == null}: none). */
public record V2Compressor(String id, Map<String, Object> parameters) {

    public V2Compressor {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        if (id != null) CodecRegistry.v2(json(id, parameters), new CodecContext(1, new int[0]), "compressor"); // validates
    }

    /** Chunks stored raw. */
    public static V2Compressor none() { return new V2Compressor(null, Map.of()); }

    public static V2Compressor zstd(int level) { return new V2Compressor("zstd", Map.of("level", level)); }

    public static V2Compressor gzip(int level) { return new V2Compressor("gzip", Map.of("level", level)); }

    public static V2Compressor zlib(int level) { return new V2Compressor("zlib", Map.of("level", level)); }

    /** Blosc with {@code cname} lz4, lz4hc, blosclz, zstd or zlib; {@code shuffle} 0 none, 1 byte, 2 bit, -1 auto. */
    public static V2Compressor blosc(String cname, int clevel, int shuffle) {
        return new V2Compressor("blosc", Map.of("cname", cname, "clevel", clevel, "shuffle", shuffle, "blocksize", 0));
    }

    public boolean isNone() { return id == null; }

    /** The {@code compressor} entry of {@code .zarray}. */
    public JsonNode toJson() {
        return id == null ? NullNode.getInstance() : json(id, parameters);
    }

    private static ObjectNode json(String id, Map<String, Object> parameters) {
        ObjectNode n = Json.object();
        new TreeMap<>(parameters).forEach((k, v) -> n.set(k, ZarrIo.writer().valueToTree(v)));
        n.put("id", id);
        return n;
    }

    /** The codec that encodes chunks of {@code itemsize}-byte elements; null for none. */
    BytesBytesCodec codec(int itemsize, int[] chunkShape) {
        return id == null ? null : CodecRegistry.v2(toJson(), new CodecContext(itemsize, chunkShape), "compressor");
    }
}
