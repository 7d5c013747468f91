package dev.tiledgateway.indexer.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hardwood.InputFile;
import dev.hardwood.reader.ParquetFileReader;
import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.store.BlobStore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;

/**
 * A Parquet file's key-value metadata as node metadata. The entries that encode the file's own schema
 * for other readers ({@code ARROW:schema}, {@code pandas}, Spark's and parquet-mr's) are left out: the
 * table structure already says what they say. Values that are JSON objects or arrays (as writers often
 * store them) become JSON; everything else stays a string.
 */
public final class ParquetFooter {

    static final Set<String> SCHEMA_KEYS = Set.of("ARROW:schema", "pandas", "org.apache.spark.sql.parquet.row.metadata",
            "org.apache.spark.version", "parquet.avro.schema", "avro.schema", "writer.model.name");

    private ParquetFooter() {}

    public static ObjectNode metadata(BlobStore store, String key, long size) throws IOException {
        Map<String, String> kv;
        try (ParquetFileReader r = ParquetFileReader.open(new Ranged(new RangeReader(store, key, size), key))) {
            kv = r.getFileMetaData().keyValueMetadata();
        } catch (CorruptDataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CorruptDataException("cannot read the Parquet footer of '" + key + "': " + e.getMessage(), e);
        }
        ObjectNode m = Json.object();
        if (kv == null) return m;
        kv.forEach((k, v) -> {
            if (SCHEMA_KEYS.contains(k) || v == null) return;
            m.set(k, jsonOrText(v));
        });
        return m;
    }

    private static JsonNode jsonOrText(String v) {
        String t = v.strip();
        if (t.startsWith("{") || t.startsWith("[")) {
            try {
                JsonNode n = Json.parse(t);
                if (n != null && (n.isObject() || n.isArray())) return n;
            } catch (IOException notJson) {
                // a string that happens to start with a bracket
            }
        }
        return Json.NODES.textNode(v);
    }

    /** hardwood's input over ranged reads of the object (the footer is at its end). */
    private record Ranged(RangeReader in, String key) implements InputFile {
        @Override public void open() {}
        @Override public ByteBuffer readRange(long offset, int length) throws IOException { return ByteBuffer.wrap(in.read(offset, length)); }
        @Override public long length() { return in.size(); }
        @Override public String name() { return key; }
        @Override public void close() {}
    }
}
