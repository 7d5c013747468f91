package dev.tiledgateway.core.serialize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tiledgateway.core.array.ArrayPayload;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/** The built-in array serializers: raw bytes, nested JSON lists, and comma-separated text. */
public final class ArraySerializers implements SerializerProvider {

    @Override
    public List<Serializer> serializers() {
        return List.of(new OctetStream(), new JsonLists(),
                Serializer.of("text/csv", "array", List.of("csv"), ArraySerializers::csv),
                Serializer.of("text/x-comma-separated-values", "array", List.of(), ArraySerializers::csv),
                Serializer.of("text/plain", "array", List.of("txt", "text"), ArraySerializers::csv),
                Serializer.of("application/vnd.ms-excel", "array", List.of("xls"), ArraySerializers::csv));
    }

    /** Raw C-order bytes in the declared dtype: what the Tiled client reads. */
    static final class OctetStream implements Serializer {
        public String mediaType() { return "application/octet-stream"; }

        public Set<String> servesFor() { return Set.of("array"); }

        public byte[] serialize(Object payload) { return ((ArrayPayload) payload).bytes(); }
    }

    /** Nested lists (a 0-d array is a bare scalar). */
    static final class JsonLists implements Serializer {
        public String mediaType() { return "application/json"; }

        public Set<String> servesFor() { return Set.of("array"); }

        public byte[] serialize(Object payload) {
            ArrayPayload p = (ArrayPayload) payload;
            ByteBuffer b = ByteBuffer.wrap(p.bytes());
            int[] cursor = {0};
            return Json.bytes(nest(p, b, 0, cursor));
        }

        private JsonNode nest(ArrayPayload p, ByteBuffer b, int d, int[] cursor) {
            if (d == p.shape().length) {
                JsonNode v = Elements.json(p.dataType(), b, cursor[0]);
                cursor[0] += p.dataType().itemsize();
                return v;
            }
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            for (long i = 0; i < p.shape()[d]; i++) a.add(nest(p, b, d + 1, cursor));
            return a;
        }
    }

    /** One row per line, values separated by commas; at most two dimensions. */
    static byte[] csv(Object payload) {
        ArrayPayload p = (ArrayPayload) payload;
        if (p.shape().length > 2)
            throw TiledException.notAcceptable("Cannot write a " + p.shape().length + "-dimensional array as text; slice it to at most 2 dimensions");
        long rows = p.shape().length == 2 ? p.shape()[0] : (p.shape().length == 1 ? p.shape()[0] : 1);
        long cols = p.shape().length == 2 ? p.shape()[1] : 1;
        ByteBuffer b = ByteBuffer.wrap(p.bytes());
        int size = p.dataType().itemsize();
        StringBuilder sb = new StringBuilder();
        for (long r = 0; r < rows; r++) {
            for (long c = 0; c < cols; c++) {
                if (c > 0) sb.append(',');
                sb.append(Elements.text(p.dataType(), b, (int) ((r * cols + c) * size)));
            }
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
