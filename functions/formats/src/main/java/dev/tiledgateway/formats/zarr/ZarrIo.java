package dev.tiledgateway.formats.zarr;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.store.BlobStore;

import java.io.IOException;
import java.util.Optional;

/** Key prefixes and metadata JSON as Zarr stores them. */
final class ZarrIo {

    /**
     * Lenient on read: Python's json module writes NaN and Infinity into attributes. ASCII on write:
     * zarr-python 2.13 (Debian's) decodes .zarray and .zattrs as ASCII, so other characters are written as escapes.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ZarrIo() {}

    /** {@code ""} stays empty; otherwise the prefix without leading slashes and with exactly one trailing slash. */
    static String normalize(String prefix) {
        if (prefix == null) return "";
        String p = prefix;
        while (p.startsWith("/")) p = p.substring(1);
        while (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        return p.isEmpty() ? "" : p + "/";
    }

    /** The parsed JSON object at {@code key}, empty if absent; unparseable JSON is corrupt data. */
    static Optional<JsonNode> readJson(BlobStore store, String key) throws IOException {
        Optional<byte[]> bytes = store.get(key);
        if (bytes.isEmpty()) return Optional.empty();
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes.get());
        } catch (IOException e) {
            throw new CorruptDataException(key + " is not valid JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) throw new CorruptDataException(key + " is not a JSON object");
        return Optional.of(node);
    }

    static byte[] writeJson(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialize as JSON: " + e.getMessage(), e);
        }
    }
}
