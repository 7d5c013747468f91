package dev.tiledgateway.core.awkward;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.serialize.Serializer;
import dev.tiledgateway.core.serialize.SerializerProvider;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Zip-of-buffers and JSON for awkward nodes, and for ragged nodes (whose zip adds {@code length} and {@code form}). */
public final class AwkwardSerializers implements SerializerProvider {

    @Override
    public List<Serializer> serializers() {
        return List.of(
                serializer("application/zip", "awkward", p -> Zips.stored(((AwkwardArray) p).buffers())),
                serializer("application/json", "awkward", p -> Json.bytes(((AwkwardArray) p).toJson())),
                serializer("application/json", "ragged", p -> {
                    RaggedSelection s = (RaggedSelection) p;
                    return Json.bytes(s.single() != null ? s.single() : s.rows().toJson());
                }),
                serializer("application/zip", "ragged", p -> {
                    RaggedSelection s = (RaggedSelection) p;
                    Map<String, byte[]> entries = new LinkedHashMap<>(s.rows().buffers());
                    entries.put("length", ByteBuffer.allocate(8).putLong(s.rows().length()).array());
                    // The client decodes this entry as JSON once, then parses the resulting string as the form.
                    entries.put("form", Json.bytes(TextNode.valueOf(Json.text(s.rows().form().json()))));
                    return Zips.stored(entries);
                }));
    }

    private static Serializer serializer(String mediaType, String family, java.util.function.Function<Object, byte[]> body) {
        return Serializer.of(mediaType, family, List.of(), body);
    }
}
