package dev.tiledgateway.formats.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Arrow schema helpers: the {@code arrow_schema} data URI, pandas index metadata, and column projection. */
public final class ArrowSchemas {

    public static final String DATA_URI_PREFIX = "data:application/vnd.apache.arrow.file;base64,";
    static final String PANDAS = "pandas";

    private ArrowSchemas() {}

    /** The IPC-encapsulated Schema message (continuation, length, flatbuffer, padding), as pyarrow's read_schema takes it. */
    public static byte[] serialize(Schema schema) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            MessageSerializer.serialize(new WriteChannel(Channels.newChannel(out)), schema);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code data:application/vnd.apache.arrow.file;base64,...} for a table structure's {@code arrow_schema}. */
    public static String arrowSchemaDataUri(Schema schema) {
        return DATA_URI_PREFIX + Base64.getEncoder().encodeToString(serialize(schema));
    }

    /** Columns the pandas metadata names as the index and that are stored as data (a RangeIndex is not). */
    public static List<String> indexColumns(Schema schema) {
        JsonNode pandas = pandasMetadata(schema);
        List<String> names = new ArrayList<>();
        if (pandas == null) return names;
        for (JsonNode c : pandas.path("index_columns")) {
            if (c.isTextual() && schema.getFields().stream().anyMatch(f -> f.getName().equals(c.asText()))) names.add(c.asText());
        }
        return names;
    }

    /** The table's columns as Tiled lists them: index columns and names starting with '_' left out. */
    public static List<String> columns(Schema schema) {
        List<String> index = indexColumns(schema);
        List<String> names = new ArrayList<>();
        for (Field f : schema.getFields()) {
            if (!index.contains(f.getName()) && !f.getName().startsWith("_")) names.add(f.getName());
        }
        return names;
    }

    /** The schema clients see: {@link #columns} (all when {@code wanted} is empty, else those, in that order) then the index columns. */
    public static Schema project(Schema schema, List<String> wanted) {
        List<String> all = columns(schema);
        for (String w : wanted) if (!all.contains(w)) throw TiledException.badRequest("Unknown column " + w + "; columns are " + all);
        List<String> names = new ArrayList<>(new java.util.LinkedHashSet<>(wanted.isEmpty() ? all : wanted));
        for (String i : indexColumns(schema)) if (!names.contains(i)) names.add(i);
        List<Field> fields = new ArrayList<>();
        for (String n : names) fields.add(schema.findField(n));
        return new Schema(fields, projectMetadata(schema, names));
    }

    static JsonNode pandasMetadata(Schema schema) {
        Map<String, String> meta = schema.getCustomMetadata();
        if (meta == null || !meta.containsKey(PANDAS)) return null;
        try {
            return Json.parse(meta.get(PANDAS));
        } catch (IOException e) {
            return null; // unreadable pandas metadata: treat the table as having no stored index
        }
    }

    /** Keeps pandas' column descriptions only for the fields that remain, so read_pandas does not look for the others. */
    private static Map<String, String> projectMetadata(Schema schema, List<String> names) {
        Map<String, String> meta = new LinkedHashMap<>(schema.getCustomMetadata() == null ? Map.of() : schema.getCustomMetadata());
        JsonNode pandas = pandasMetadata(schema);
        if (pandas instanceof ObjectNode o && o.path("columns") instanceof ArrayNode cols) {
            ObjectNode copy = o.deepCopy();
            ArrayNode kept = copy.putArray("columns");
            for (JsonNode c : cols) if (names.contains(c.path("field_name").asText())) kept.add(c);
            // rewritten only when a column was dropped, so a full read carries the writer's metadata byte for byte
            if (kept.size() < cols.size()) meta.put(PANDAS, new String(Json.bytes(copy), java.nio.charset.StandardCharsets.UTF_8));
        }
        return meta;
    }
}
