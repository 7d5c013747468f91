package dev.tiledgateway.core.serialize;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.array.ArrayPayload;
import dev.tiledgateway.core.array.StreamedArray;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.structure.DataType;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The built-in array serializers: raw bytes, nested JSON lists, and comma-separated text. JSON and text are
 * written element by element as they are produced (they run to several times the array's own bytes).
 */
public final class ArraySerializers implements SerializerProvider {

    /** What the text writers hand to the output at once. */
    private static final int BUFFER = 1 << 16;

    @Override
    public List<Serializer> serializers() {
        return List.of(new OctetStream(), new JsonLists(),
                new Csv("text/csv", List.of("csv")),
                new Csv("text/x-comma-separated-values", List.of()),
                new Csv("text/plain", List.of("txt", "text")),
                new Csv("application/vnd.ms-excel", List.of("xls")));
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long s : shape) n = Math.multiplyExact(n, s);
        return n;
    }

    /** Runs a streaming writer into memory, for {@link Serializer#serialize}. */
    private static byte[] inMemory(Object payload, Serializer s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            s.write(payload, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code out} as the writers see it: closing it only flushes, the caller owns it. */
    private static OutputStream unclosable(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }

            @Override
            public void close() throws IOException { out.flush(); }
        };
    }

    /** Raw C-order bytes in the declared dtype: what the Tiled client reads. */
    static final class OctetStream implements Serializer {
        public String mediaType() { return "application/octet-stream"; }

        public Set<String> servesFor() { return Set.of("array"); }

        public byte[] serialize(Object payload) {
            return payload instanceof StreamedArray ? inMemory(payload, this) : ((ArrayPayload) payload).bytes();
        }

        /** A streamed selection is written as it is read; an array read whole, at once. */
        @Override
        public void write(Object payload, OutputStream out) throws IOException {
            if (payload instanceof StreamedArray s) s.bytes().writeTo(out);
            else out.write(((ArrayPayload) payload).bytes());
        }

        @Override
        public byte[] asIs(Object payload) { return payload instanceof ArrayPayload p ? p.bytes() : null; } // a streamed one is written

        @Override
        public long estimateArrayBytes(DataType dataType, long[] shape) {
            return Math.multiplyExact(count(shape), (long) dataType.itemsize());
        }
    }

    /** Nested lists (a 0-d array is a bare scalar). */
    static final class JsonLists implements Serializer {
        public String mediaType() { return "application/json"; }

        public Set<String> servesFor() { return Set.of("array"); }

        public byte[] serialize(Object payload) { return inMemory(payload, this); }

        @Override
        public void write(Object payload, OutputStream out) throws IOException {
            ArrayPayload p = (ArrayPayload) payload;
            ByteBuffer b = ByteBuffer.wrap(p.bytes());
            try (JsonGenerator g = Json.FACTORY.createGenerator(unclosable(out), JsonEncoding.UTF8)) {
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                nest(g, p, b, 0, new int[1]);
            }
        }

        private static void nest(JsonGenerator g, ArrayPayload p, ByteBuffer b, int d, int[] cursor) throws IOException {
            if (d == p.shape().length) {
                JsonNode v = Elements.json(p.dataType(), b, cursor[0]);
                Json.write(g, v);
                cursor[0] += p.dataType().itemsize();
                return;
            }
            g.writeStartArray();
            for (long i = 0; i < p.shape()[d]; i++) nest(g, p, b, d + 1, cursor);
            g.writeEndArray();
        }

        /** Each element, its separator, and two brackets and a separator per list. */
        @Override
        public long estimateArrayBytes(DataType dataType, long[] shape) {
            long lists = 0, outer = 1;
            for (int d = 0; d < shape.length; d++) {
                lists = Math.addExact(lists, outer);
                outer = Math.multiplyExact(outer, shape[d]);
            }
            return Math.addExact(Math.multiplyExact(count(shape), Elements.width(dataType) + 1L), Math.multiplyExact(lists, 3));
        }
    }

    /** One row per line, values separated by commas; at most two dimensions. */
    static final class Csv implements Serializer {
        private final String mediaType;
        private final List<String> aliases;

        Csv(String mediaType, List<String> aliases) {
            this.mediaType = mediaType;
            this.aliases = aliases;
        }

        public String mediaType() { return mediaType; }

        public Set<String> servesFor() { return Set.of("array"); }

        public List<String> aliases() { return aliases; }

        public byte[] serialize(Object payload) { return inMemory(payload, this); }

        private static void checkRank(long[] shape) {
            if (shape.length > 2)
                throw TiledException.notAcceptable("Cannot write a " + shape.length + "-dimensional array as text; slice it to at most 2 dimensions");
        }

        @Override
        public long estimateArrayBytes(DataType dataType, long[] shape) {
            checkRank(shape);
            return Math.multiplyExact(Math.max(1, count(shape)), Elements.width(dataType) + 1L);
        }

        @Override
        public void write(Object payload, OutputStream out) throws IOException {
            ArrayPayload p = (ArrayPayload) payload;
            checkRank(p.shape());
            long rows = p.shape().length == 2 ? p.shape()[0] : (p.shape().length == 1 ? p.shape()[0] : 1);
            long cols = p.shape().length == 2 ? p.shape()[1] : 1;
            ByteBuffer b = ByteBuffer.wrap(p.bytes());
            int size = p.dataType().itemsize();
            Writer w = new BufferedWriter(new OutputStreamWriter(unclosable(out), StandardCharsets.UTF_8), BUFFER);
            for (long r = 0; r < rows; r++) {
                for (long c = 0; c < cols; c++) {
                    if (c > 0) w.write(',');
                    w.write(Elements.text(p.dataType(), b, (int) ((r * cols + c) * size)));
                }
                w.write('\n');
            }
            w.flush();
        }
    }
}
