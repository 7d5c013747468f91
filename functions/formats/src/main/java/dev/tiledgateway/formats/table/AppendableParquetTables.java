package dev.tiledgateway.formats.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.table.TableReader;
import dev.tiledgateway.core.write.TableWriter;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Appendable tables, what Tiled's {@code create_appendable_table} asks for with {@value #MIMETYPE} (upstream keeps
 * them in SQL): here each partition is a folder of Parquet objects that the node lists, in order — first an empty
 * object of the declared schema ({@value #EMPTY}), then one object per {@code append_partition}. An append is
 * visible once the node lists its object (one catalog compare-and-set), so a reader sees all of it or none of it,
 * and the rows come back in append order with the index the client sent.
 */
public final class AppendableParquetTables implements TableReader, TableWriter {

    public static final String MIMETYPE = "application/x-tiled-sql-table";
    /** The name of each partition's first object, empty, of the declared schema. */
    public static final String EMPTY = "empty.parquet";

    private final ParquetTableWriter parquet = new ParquetTableWriter();

    @Override
    public Set<String> mimetypes() { return Set.of(MIMETYPE); }

    @Override
    public String suffix() { return "/" + EMPTY; }

    @Override
    public boolean appendable() { return true; }

    @Override
    public Optional<String> refusal(JsonNode structure) { return parquet.refusal(structure); }

    @Override
    public void writeEmpty(BlobStore store, String key, JsonNode structure) throws IOException { parquet.writeEmpty(store, key, structure); }

    @Override
    public void writePartition(BlobStore store, String key, JsonNode structure, byte[] arrowFile) throws IOException {
        parquet.writePartition(store, key, structure, arrowFile);
    }

    @Override
    public Optional<String> appendRefusal(BlobStore store, String firstKey, String newKey) throws IOException {
        Schema first = ParquetRows.schema(k -> BlobInputFile.open(store, k), firstKey);
        Schema next = ParquetRows.schema(k -> BlobInputFile.open(store, k), newKey);
        if (signature(first).equals(signature(next))) return Optional.empty();
        return Optional.of("The appended rows have the columns " + signature(next) + " (index columns included), but the rows appended to this"
                + " table before have " + signature(first) + ": every append must have the same columns, index and types");
    }

    private static List<String> signature(Schema s) {
        List<String> out = new ArrayList<>();
        for (Field f : s.getFields()) out.add(f.getName() + ":" + f.getType());
        return out;
    }

    @Override
    public ParquetTableSource open(BlobStore store, DataSource source) throws IOException {
        Map<String, List<String>> byFolder = new LinkedHashMap<>();
        String markerSchema = null, appendedSchema = null;
        for (Asset a : source.assets()) {
            int slash = a.key().lastIndexOf('/');
            if (a.directory() || slash < 0) throw new CorruptDataException("appendable table asset '" + a.key() + "' is not an object in a partition folder");
            List<String> parts = byFolder.computeIfAbsent(a.key().substring(0, slash + 1), f -> new ArrayList<>());
            if (a.key().endsWith("/" + EMPTY)) {
                if (markerSchema == null) markerSchema = a.key();
            } else {
                parts.add(a.key());
                if (appendedSchema == null) appendedSchema = a.key();
            }
        }
        if (byFolder.isEmpty() || markerSchema == null) throw new CorruptDataException("the appendable table lists no partitions");
        // Appended objects carry the index the client sent; the empty first objects only the declared columns.
        return new ParquetTableSource(store, List.copyOf(byFolder.values()), appendedSchema != null ? appendedSchema : markerSchema);
    }
}
