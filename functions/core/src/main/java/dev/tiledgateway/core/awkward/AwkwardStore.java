package dev.tiledgateway.core.awkward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.store.BlobStore;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The object-store layout of awkward and ragged nodes: under the node's prefix, {@code awkward.json}
 * ({@code {"form": ..., "length": n}}) and one object per buffer, named by its key ({@code node0-offsets}).
 */
public final class AwkwardStore {

    /** Data-source mimetype of this layout. */
    public static final String MIMETYPE = "application/x-awkward-buffers";
    public static final String META = "awkward.json";

    private AwkwardStore() {}

    public static void write(BlobStore store, String prefix, JsonNode form, long length, Map<String, byte[]> buffers) throws IOException {
        for (var e : buffers.entrySet()) store.put(prefix + e.getKey(), e.getValue());
        ObjectNode meta = Json.object();
        meta.set("form", form);
        meta.put("length", length);
        store.put(prefix + META, Json.bytes(meta));
    }

    /** Reads the form and length, and the buffers whose keys {@code wanted} accepts. */
    public static AwkwardArray read(BlobStore store, String prefix, Predicate<String> wanted) throws IOException {
        byte[] metaBytes = store.get(prefix + META).orElseThrow(() -> new CorruptDataException("no " + META + " under '" + prefix + "'"));
        JsonNode meta;
        Form form;
        try {
            meta = Json.parse(metaBytes);
            form = Form.parse(meta.get("form"));
        } catch (IOException | RuntimeException e) {
            throw new CorruptDataException("unreadable " + META + " under '" + prefix + "': " + e.getMessage(), e);
        }
        Map<String, byte[]> buffers = new LinkedHashMap<>();
        for (String key : bufferKeys(form, new java.util.ArrayList<>())) {
            if (!wanted.test(key)) continue;
            buffers.put(key, store.get(prefix + key).orElseThrow(() -> new CorruptDataException("missing buffer '" + key + "' under '" + prefix + "'")));
        }
        return new AwkwardArray(form, meta.path("length").asLong(), buffers);
    }

    /** Every buffer key a form names, outside in. */
    public static java.util.List<String> bufferKeys(Form f, java.util.List<String> out) {
        switch (f) {
            case Form.Numpy n -> out.add(n.formKey() + "-data");
            case Form.ListOffset l -> {
                out.add(l.formKey() + "-offsets");
                bufferKeys(l.content(), out);
            }
            case Form.Regular r -> bufferKeys(r.content(), out);
            case Form.Record r -> r.contents().forEach(c -> bufferKeys(c, out));
        }
        return out;
    }
}
