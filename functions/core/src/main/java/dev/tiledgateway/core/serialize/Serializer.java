package dev.tiledgateway.core.serialize;

import java.util.List;
import java.util.Set;

/**
 * Turns one kind of payload into bytes of one media type. Registered per structure family or spec name
 * through {@link java.util.ServiceLoader} ({@link SerializerProvider}); a serializer may decline a
 * particular payload (a 3-d array as CSV) by throwing a 406 {@link dev.tiledgateway.core.error.TiledException}.
 */
public interface Serializer {

    /** The media type produced, e.g. {@code text/csv}. */
    String mediaType();

    /** Structure families ({@code array}) or spec names ({@code xarray_dataset}) this serializer serves. */
    Set<String> servesFor();

    /** File extensions that select it in {@code ?format=}, e.g. {@code csv}. */
    default List<String> aliases() { return List.of(); }

    /** The Content-Type header; text types carry a charset. */
    default String contentType() { return mediaType().startsWith("text/") ? mediaType() + "; charset=utf-8" : mediaType(); }

    byte[] serialize(Object payload);

    /** A serializer from its parts: the media type, the family or spec it serves, its extensions and the writer. */
    static Serializer of(String mediaType, String servesFor, List<String> aliases, java.util.function.Function<Object, byte[]> writer) {
        return new Serializer() {
            public String mediaType() { return mediaType; }

            public Set<String> servesFor() { return Set.of(servesFor); }

            public List<String> aliases() { return aliases; }

            public byte[] serialize(Object payload) { return writer.apply(payload); }
        };
    }
}
