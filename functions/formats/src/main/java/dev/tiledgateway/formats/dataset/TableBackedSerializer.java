package dev.tiledgateway.formats.dataset;

import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.serialize.Serializer;
import dev.tiledgateway.formats.table.TablePayload;
import dev.tiledgateway.formats.table.TableSerializers;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A serializer for a non-table payload (a dataset, a sparse selection) that converts it to a {@link TablePayload} and
 * hands that to the {@code table} serializer of a media type, as upstream converts to a DataFrame and calls its table
 * serializers. A {@link TablePayload} given directly is passed through (and left open: its owner closes it).
 */
public final class TableBackedSerializer<P> implements Serializer {

    private final String mediaType;
    private final String key;
    private final Serializer table;
    private final Class<P> type;
    private final Function<? super P, TablePayload> toTable;

    /**
     * @param key            the structure family or spec name served ({@code sparse}, {@code xarray_dataset})
     * @param mediaType      the media type offered
     * @param tableMediaType the {@code table} serializer that writes the bytes (usually {@code mediaType} itself)
     */
    public TableBackedSerializer(String key, String mediaType, String tableMediaType, Class<P> type, Function<? super P, TablePayload> toTable) {
        this.key = key;
        this.mediaType = mediaType;
        this.table = tableSerializer(tableMediaType);
        this.type = type;
        this.toTable = toTable;
    }

    /** The registered {@code table} serializer for {@code mediaType}. */
    public static Serializer tableSerializer(String mediaType) {
        return new TableSerializers().serializers().stream().filter(s -> s.mediaType().equals(mediaType)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no table serializer for " + mediaType));
    }

    @Override
    public String mediaType() { return mediaType; }

    @Override
    public Set<String> servesFor() { return Set.of(key); }

    /** The table serializer's aliases when it is the same media type (a renamed one, like {@code text/comma-separated-values}, has none). */
    @Override
    public List<String> aliases() { return table.mediaType().equals(mediaType) ? table.aliases() : List.of(); }

    @Override
    public byte[] serialize(Object payload) {
        if (payload instanceof TablePayload t) return table.serialize(t);
        if (!type.isInstance(payload))
            throw TiledException.notAcceptable("Cannot write " + (payload == null ? "nothing" : payload.getClass().getSimpleName()) + " as " + mediaType);
        try (TablePayload t = toTable.apply(type.cast(payload))) {
            return table.serialize(t);
        }
    }

    /** Streams through the table serializer's own writer. */
    @Override
    public void write(Object payload, OutputStream out) throws IOException {
        if (payload instanceof TablePayload t) {
            table.write(t, out);
            return;
        }
        if (!type.isInstance(payload))
            throw TiledException.notAcceptable("Cannot write " + (payload == null ? "nothing" : payload.getClass().getSimpleName()) + " as " + mediaType);
        try (TablePayload t = toTable.apply(type.cast(payload))) {
            table.write(t, out);
        }
    }

    @Override
    public String toString() { return "TableBackedSerializer[" + key + " " + mediaType + " via table " + table.mediaType() + "]"; }
}
