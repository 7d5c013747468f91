package dev.tiledgateway.formats.table;

import org.apache.arrow.vector.ipc.ArrowFileWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.List;

/** {@code application/vnd.apache.arrow.file}: the Arrow IPC file format (ARROW1 magic, footer), index columns and pandas metadata included. */
final class ArrowFileSerializer extends TableSerializer {

    ArrowFileSerializer() { super("application/vnd.apache.arrow.file", List.of("arrow", "feather")); }

    @Override
    byte[] write(TablePayload p) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArrowFileWriter w = new ArrowFileWriter(p.root(), p.dictionaries(), Channels.newChannel(out))) {
            w.start();
            w.writeBatch();
            w.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
