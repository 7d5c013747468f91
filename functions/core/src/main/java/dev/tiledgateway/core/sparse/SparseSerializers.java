package dev.tiledgateway.core.sparse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.serialize.Elements;
import dev.tiledgateway.core.serialize.Serializer;
import dev.tiledgateway.core.serialize.SerializerProvider;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/** Sparse selections as the {@code dim0..,data} table: column-oriented JSON and CSV with a header row. */
public final class SparseSerializers implements SerializerProvider {

    @Override
    public List<Serializer> serializers() {
        return List.of(new JsonColumns(),
                Serializer.of("text/csv", "sparse", List.of("csv"), SparseSerializers::csv),
                Serializer.of("text/plain", "sparse", List.of("txt"), SparseSerializers::csv));
    }

    static final class JsonColumns implements Serializer {
        public String mediaType() { return "application/json"; }

        public Set<String> servesFor() { return Set.of("sparse"); }

        public byte[] serialize(Object payload) {
            SparsePayload p = (SparsePayload) payload;
            ObjectNode o = Json.object();
            for (int d = 0; d < p.coords().length; d++) {
                ArrayNode a = o.putArray("dim" + d);
                for (long c : p.coords()[d]) a.add(c);
            }
            ArrayNode data = o.putArray("data");
            ByteBuffer b = ByteBuffer.wrap(p.data().bytes());
            for (int k = 0; k < p.nnz(); k++) data.add(Elements.json(p.data().dataType(), b, k * p.data().dataType().itemsize()));
            return Json.bytes(o);
        }
    }

    /** The dim0..,data table with a header row. */
    static byte[] csv(Object payload) {
        SparsePayload p = (SparsePayload) payload;
        StringBuilder sb = new StringBuilder(String.join(",", p.columns())).append('\n');
        ByteBuffer b = ByteBuffer.wrap(p.data().bytes());
        for (int k = 0; k < p.nnz(); k++) {
            for (long[] c : p.coords()) sb.append(c[k]).append(',');
            sb.append(Elements.text(p.data().dataType(), b, k * p.data().dataType().itemsize())).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
