package dev.tiledgateway.formats.zarr.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The codecs this reader knows, by v3 name and by v2 compressor/filter id. */
public final class CodecRegistry {

    /** Builds a codec (an ArrayArrayCodec, ArrayBytesCodec or BytesBytesCodec) from its configuration. */
    @FunctionalInterface
    public interface Factory {
        Object create(JsonNode configuration, CodecContext ctx);
    }

    private static final Map<String, Factory> V3 = Map.of(
            "bytes", BytesCodec::fromV3,
            "transpose", TransposeCodec::fromV3,
            "gzip", GzipCodec::fromConfig,
            "zstd", ZstdCodec::fromConfig,
            "blosc", BloscCodec::fromV3,
            "crc32c", Crc32cCodec::fromConfig,
            "sharding_indexed", ShardingCodec::fromV3);

    private static final Map<String, Factory> V2 = Map.of(
            "zlib", ZlibCodec::fromConfig,
            "gzip", GzipCodec::fromConfig,
            "zstd", ZstdCodec::fromConfig,
            "blosc", BloscCodec::fromV2);

    private CodecRegistry() {}

    /** A v3 codec; a codec entry is an object {@code {name, configuration}} or, without configuration, a bare name. */
    public static Object v3(JsonNode entry, CodecContext ctx) {
        String name = entry.isTextual() ? entry.asText() : entry.path("name").asText(null);
        if (name == null) throw new IllegalArgumentException("codec entry without a name: " + entry);
        Factory f = V3.get(name);
        if (f == null) throw new IllegalArgumentException("unsupported Zarr v3 codec '" + name + "' (supported: " + new TreeSet<>(V3.keySet()) + ")");
        JsonNode cfg = entry.isObject() ? entry.path("configuration") : MissingNode.getInstance();
        return f.create(cfg, ctx);
    }

    /** A v2 compressor or filter, given its {@code {id, ...}} object. */
    public static BytesBytesCodec v2(JsonNode config, CodecContext ctx, String role) {
        String id = config.path("id").asText(null);
        Factory f = id == null ? null : V2.get(id);
        if (f == null) throw new IllegalArgumentException("unsupported Zarr v2 " + role + " '" + id + "' (supported: " + new TreeSet<>(V2.keySet()) + ")");
        return (BytesBytesCodec) f.create(config, ctx);
    }

    public static Set<String> v3Names() { return Set.copyOf(V3.keySet()); }

    public static Set<String> v2Ids() { return Set.copyOf(V2.keySet()); }
}
