package dev.tiledgateway.formats.table;

import dev.hardwood.InputFile;
import dev.tiledgateway.core.array.ArrayPayload;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.store.BlobStore;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.lang.ref.SoftReference;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A Parquet table: one partition per part file (a single-file asset is one partition, whatever its row groups;
 * a folder asset has one partition per {@code *.parquet} file, in name order), as upstream Tiled partitions it,
 * or, for appendable tables, partitions of several files each, read one after the other.
 * The schema comes from one part's footer (the first's); every part must have its columns.
 */
final class ParquetTableSource implements ArrowTableSource {

    private final BlobStore store;
    private final List<List<String>> partitions;
    private final List<String> parts;
    private final Schema fileSchema;
    private final Schema visible;
    private final SoftReference<byte[]> firstPart;

    private final String schemaKey;
    /** What this opened table's decoded columns are kept under: a token of its own, so that they do not keep it reachable. */
    private final Object keptAs = new Object();

    ParquetTableSource(BlobStore store, List<String> parts) throws IOException {
        this(store, parts.stream().map(List::of).toList(), parts.getFirst());
    }

    /** Partitions of several parts each (some possibly none), the schema read from the part at {@code schemaKey}. */
    ParquetTableSource(BlobStore store, List<List<String>> partitions, String schemaKey) throws IOException {
        this.store = store;
        this.partitions = partitions.stream().map(List::copyOf).toList();
        this.parts = this.partitions.stream().flatMap(List::stream).toList();
        this.schemaKey = schemaKey;
        byte[] first = BlobInputFile.smallObject(store, schemaKey);
        this.firstPart = new SoftReference<>(first);
        this.fileSchema = ParquetRows.schema(this::input, schemaKey);
        this.visible = ArrowSchemas.project(fileSchema, List.of());
    }

    /** Opens a part; a small part fetched for the schema is reused while memory allows (one GET per open-and-read). */
    private InputFile input(String key) throws IOException {
        byte[] cached = key.equals(schemaKey) ? firstPart.get() : null;
        return cached != null ? InputFile.of(ByteBuffer.wrap(cached)) : BlobInputFile.open(store, key);
    }

    @Override
    public Schema arrowSchema() { return visible; }

    @Override
    public List<String> columns() { return ArrowSchemas.columns(fileSchema); }

    @Override
    public int npartitions() { return partitions.size(); }

    @Override
    public TablePayload readPartition(int index, List<String> columns) throws IOException {
        if (index < 0 || index >= partitions.size())
            throw TiledException.badRequest("Partition out of range: " + index + " (the table has " + partitions.size() + " partitions)");
        return ParquetRows.read(this::input, partitions.get(index), ArrowSchemas.project(fileSchema, columns), DecodedColumns.SHARED, keptAs);
    }

    @Override
    public TablePayload readAll(List<String> columns) throws IOException {
        return ParquetRows.read(this::input, parts, ArrowSchemas.project(fileSchema, columns), DecodedColumns.SHARED, keptAs);
    }

    @Override
    public ArrayPayload readColumn(String column) throws IOException {
        try (TablePayload p = ParquetRows.read(this::input, parts, ArrowSchemas.project(fileSchema, List.of(column)), DecodedColumns.SHARED, keptAs)) {
            return ColumnArrays.toArray(p, column);
        }
    }
}
