package dev.tiledgateway.core.serialize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;

import java.util.List;
import java.util.Set;

/** A container's JSON skeleton (children and metadata, no data). */
public final class ContainerSerializers implements SerializerProvider {

    @Override
    public List<Serializer> serializers() {
        return List.of(new Serializer() {
            public String mediaType() { return "application/json"; }

            public Set<String> servesFor() { return Set.of("container"); }

            public byte[] serialize(Object payload) { return Json.bytes((JsonNode) payload); }
        });
    }
}
