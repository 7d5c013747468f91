package dev.tiledgateway.formats.table;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.json.Json;

/** The {@code table} structure JSON of spec §5.3: {@code arrow_schema}, {@code npartitions}, {@code columns}, {@code resizable}. */
public final class TableStructures {

    private TableStructures() {}

    public static ObjectNode structureJson(ArrowTableSource table) {
        ObjectNode o = Json.object();
        o.put("arrow_schema", ArrowSchemas.arrowSchemaDataUri(table.arrowSchema()));
        o.put("npartitions", table.npartitions());
        ArrayNode cols = o.putArray("columns");
        table.columns().forEach(cols::add);
        o.put("resizable", false);
        return o;
    }
}
