package dev.tiledgateway.core.serialize;

import dev.tiledgateway.core.structure.DataType;

import java.io.IOException;
import java.io.OutputStream;
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

    /**
     * Writes the payload to {@code out}. Serializers of formats that can be much larger than their payload
     * (text, JSON) write as they go, so a large export is never held whole in memory; this default writes
     * {@link #serialize}'s bytes. {@code out} may refuse more bytes (the response limit) by throwing; it must
     * not be closed.
     */
    default void write(Object payload, OutputStream out) throws IOException { out.write(serialize(payload)); }

    /**
     * The body as an array the payload already holds, which the caller may send as it is (no serializing, no copy),
     * when this format is the payload's own bytes; else null, and the body is {@link #write written}.
     */
    default byte[] asIs(Object payload) { return null; }

    /**
     * About how many bytes this serializer writes for an array of {@code shape} in {@code dataType}, known
     * before any data is read, or -1 when it cannot tell. Data routes refuse an export whose estimate is over
     * the response limit before reading anything. A serializer that cannot write such an array at all (a 3-d
     * array as CSV) may refuse it here with a 406, as {@link #serialize} would.
     */
    default long estimateArrayBytes(DataType dataType, long[] shape) { return -1; }

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
