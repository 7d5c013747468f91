package dev.tiledgateway.core.table;

import dev.tiledgateway.core.array.ArrayPayload;

import java.io.IOException;
import java.util.List;

/**
 * A table as a storage format yields it: row partitions read one at a time, optionally a subset of columns.
 * The partition payload is format-specific (e.g. an Arrow batch) and only serializers registered for the
 * {@code table} family interpret it; core never looks inside.
 */
public interface TableSource {

    /** Column names in order (none starts with '_'). */
    List<String> columns();

    int npartitions();

    /** The table structure of spec §5.3 ({@code arrow_schema}, {@code npartitions}, {@code columns}, {@code resizable}) the data has. */
    com.fasterxml.jackson.databind.node.ObjectNode structure();

    /**
     * Partition {@code index} with only {@code columns} (all when empty), as a payload for table serializers.
     *
     * @throws dev.tiledgateway.core.error.TiledException 400 for an unknown column or a partition out of range
     */
    Object readPartition(int index, List<String> columns) throws IOException;

    /** All partitions concatenated (for {@code /table/full} and exports). */
    Object readAll(List<String> columns) throws IOException;

    /** One column, all rows, as an array (Tiled serves table columns as array children). */
    ArrayPayload readColumn(String column) throws IOException;
}
