package dev.tiledgateway.formats.table;

import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.serialize.Serializer;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
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
    public final byte[] serialize(Object payload) { return write(table(payload)); }

    @Override
    public final void write(Object payload, OutputStream out) throws IOException { stream(table(payload), out); }

    private TablePayload table(Object payload) {
        if (!(payload instanceof TablePayload p))
            throw TiledException.notAcceptable("Cannot write " + (payload == null ? "nothing" : payload.getClass().getSimpleName()) + " as " + mediaType);
        return p;
    }

    abstract byte[] write(TablePayload p);

    /** Writes the table to {@code out} (not closing it); text formats write as they go, this default writes {@link #write}'s bytes. */
    void stream(TablePayload p, OutputStream out) throws IOException { out.write(write(p)); }

    /** Text written to {@code out} as it is produced, for the text formats; flush it at the end, never close it. */
    static Writer text(OutputStream out) {
        return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    }

    /** The bytes {@link #stream} writes, gathered in memory. */
    final byte[] gathered(TablePayload p) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            stream(p, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }
}
