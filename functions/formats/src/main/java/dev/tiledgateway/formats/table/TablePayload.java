package dev.tiledgateway.formats.table;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows of a table read into Arrow: what {@link dev.tiledgateway.core.table.TableSource#readPartition} returns and
 * the {@code table} serializers consume. It owns its off-heap memory: close it when done (a cleaner frees it
 * should a caller forget).
 */
public final class TablePayload implements AutoCloseable {

    private static final BufferAllocator ROOT = new RootAllocator();
    private static final Cleaner CLEANER = Cleaner.create();

    private final Schema schema;
    private final List<String> indexColumns;
    private final VectorSchemaRoot root;
    private final DictionaryProvider.MapDictionaryProvider dictionaries;
    private final Cleaner.Cleanable cleanable;

    private TablePayload(Schema schema, List<String> indexColumns, VectorSchemaRoot root,
                         DictionaryProvider.MapDictionaryProvider dictionaries, BufferAllocator allocator) {
        this.schema = schema;
        this.indexColumns = List.copyOf(indexColumns);
        this.root = root;
        this.dictionaries = dictionaries;
        this.cleanable = CLEANER.register(this, new Release(root, dictionaries, allocator));
    }

    /** A fresh child allocator of the shared root, for building one payload. */
    static BufferAllocator newAllocator() {
        return ROOT.newChildAllocator("table-payload", 0, Long.MAX_VALUE);
    }

    /**
     * Takes ownership of {@code vectors} (in {@code schema}'s field order), their {@code dictionaries} and
     * {@code allocator}. {@code schema} is the message-format schema (dictionary fields typed by their values).
     */
    static TablePayload of(Schema schema, List<String> indexColumns, List<FieldVector> vectors, List<Dictionary> dictionaries,
                           int rowCount, BufferAllocator allocator) {
        List<Field> fields = new ArrayList<>();
        for (FieldVector v : vectors) fields.add(v.getField());
        // the memory-format schema (dictionary fields typed by their indices) with the custom metadata, for the IPC writer
        VectorSchemaRoot root = new VectorSchemaRoot(new Schema(fields, schema.getCustomMetadata()), vectors, rowCount);
        DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider();
        for (Dictionary d : dictionaries) provider.put(d);
        return new TablePayload(schema, indexColumns, root, provider, allocator);
    }

    /** The schema as clients see it ({@code arrow_schema}): value-typed dictionary fields, pandas metadata. */
    public Schema schema() { return schema; }

    /** The Arrow data; dictionary-encoded fields hold indices into {@link #dictionaries()}. */
    public VectorSchemaRoot root() { return root; }

    public DictionaryProvider dictionaries() { return dictionaries; }

    /** Columns that are the pandas index (kept for Arrow and Parquet output, left out of CSV, JSON, HTML, xlsx). */
    public List<String> indexColumns() { return indexColumns; }

    /** Column names in order, index columns excluded. */
    public List<String> dataColumns() {
        List<String> names = new ArrayList<>();
        for (Field f : schema.getFields()) if (!indexColumns.contains(f.getName())) names.add(f.getName());
        return names;
    }

    public int rowCount() { return root.getRowCount(); }

    /** The dictionary of a dictionary-encoded column, else null. */
    public Dictionary dictionaryOf(FieldVector v) {
        var enc = v.getField().getDictionary();
        return enc == null ? null : dictionaries.lookup(enc.getId());
    }

    @Override
    public void close() { cleanable.clean(); }

    private record Release(VectorSchemaRoot root, DictionaryProvider.MapDictionaryProvider dictionaries,
                           BufferAllocator allocator) implements Runnable {
        @Override
        public void run() {
            root.close();
            dictionaries.close();
            allocator.close();
        }
    }
}
