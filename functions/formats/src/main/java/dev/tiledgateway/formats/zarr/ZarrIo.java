package dev.tiledgateway.formats.zarr;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.store.BlobStore;

import java.io.IOException;
import java.util.Optional;

/** Key prefixes and metadata JSON as Zarr stores them. */
final class ZarrIo {

    /** Lenient on read: Python's json module writes NaN and Infinity into attributes. */
    private static final JsonFactory READ = JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

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
            try (JsonParser p = READ.createParser(bytes.get())) {
                node = Json.first(p);
            }
        } catch (IOException e) {
            throw new CorruptDataException(key + " is not valid JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) throw new CorruptDataException(key + " is not a JSON object");
        return Optional.of(node);
    }

    /** The writers' mapper (they write attributes given as Java values), built on the first write. */
    static ObjectMapper writer() { return Writer.MAPPER; }

    static byte[] writeJson(Object value) {
        try {
            return Writer.MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialize as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * ASCII on write: zarr-python 2.13 (Debian's) decodes .zarray and .zattrs as ASCII, so other characters are
     * written as escapes.
     */
    private static final class Writer {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .build();
    }
}
