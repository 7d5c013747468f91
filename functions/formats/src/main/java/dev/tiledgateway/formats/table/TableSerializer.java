package dev.tiledgateway.formats.table;

import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.serialize.Serializer;

import java.util.List;
import java.util.Set;

/** Base of the {@code table} serializers: one media type, a {@link TablePayload} in, bytes out. */
abstract class TableSerializer implements Serializer {

    private final String mediaType;
    private final List<String> aliases;

    TableSerializer(String mediaType, List<String> aliases) {
        this.mediaType = mediaType;
        this.aliases = aliases;
    }

    @Override
    public final String mediaType() { return mediaType; }

    @Override
    public final Set<String> servesFor() { return Set.of("table"); }

    @Override
    public final List<String> aliases() { return aliases; }

    @Override
    public final byte[] serialize(Object payload) {
        if (!(payload instanceof TablePayload p))
            throw TiledException.notAcceptable("Cannot write " + (payload == null ? "nothing" : payload.getClass().getSimpleName()) + " as " + mediaType);
        return write(p);
    }

    abstract byte[] write(TablePayload p);
}
