package dev.tiledgateway.core.serialize;

import java.util.List;

/** A plug-in's serializers; listed in {@code META-INF/services/dev.tiledgateway.core.serialize.SerializerProvider}. */
public interface SerializerProvider {
    List<Serializer> serializers();
}
