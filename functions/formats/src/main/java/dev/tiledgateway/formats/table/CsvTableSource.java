package dev.tiledgateway.formats.table;

import dev.tiledgateway.core.array.ArrayPayload;
import dev.tiledgateway.core.error.TiledException;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.List;

/** A CSV table: one partition, parsed once when opened. */
final class CsvTableSource implements ArrowTableSource {

    private final CsvTable table;

    CsvTableSource(CsvTable table) { this.table = table; }

    @Override
    public Schema arrowSchema() { return ArrowSchemas.project(table.schema(), List.of()); }

    @Override
    public List<String> columns() { return ArrowSchemas.columns(table.schema()); }

    @Override
    public int npartitions() { return 1; }

    @Override
    public TablePayload readPartition(int index, List<String> columns) {
        if (index != 0) throw TiledException.badRequest("Partition out of range: " + index + " (the table has 1 partition)");
        return readAll(columns);
    }

    @Override
    public TablePayload readAll(List<String> columns) { return table.payload(ArrowSchemas.project(table.schema(), columns)); }

    @Override
    public ArrayPayload readColumn(String column) {
        try (TablePayload p = readAll(List.of(column))) {
            return ColumnArrays.toArray(p, column);
        }
    }
}
