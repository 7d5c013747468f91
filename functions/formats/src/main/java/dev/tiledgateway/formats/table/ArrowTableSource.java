package dev.tiledgateway.formats.table;

import dev.tiledgateway.core.table.TableSource;
import org.apache.arrow.vector.types.pojo.Schema;

/** A table source whose partitions are {@link TablePayload}s, and which knows the Arrow schema clients are given. */
public interface ArrowTableSource extends TableSource {

    /** The schema of a partition read with all columns: {@link #columns()} then any pandas index columns. */
    Schema arrowSchema();

    @Override
    default com.fasterxml.jackson.databind.node.ObjectNode structure() { return TableStructures.structureJson(this); }

    @Override
    TablePayload readPartition(int index, java.util.List<String> columns) throws java.io.IOException;

    @Override
    TablePayload readAll(java.util.List<String> columns) throws java.io.IOException;
}
