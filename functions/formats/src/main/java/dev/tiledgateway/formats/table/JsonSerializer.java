package dev.tiledgateway.formats.table;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.json.Json;

import java.util.List;

/** {@code application/json}: {@code {"column": [values...]}}, index columns left out, as upstream's table JSON. */
final class JsonSerializer extends TableSerializer {

    JsonSerializer() { super("application/json", List.of()); }

    @Override
    byte[] write(TablePayload p) {
        ObjectNode o = Json.object();
        for (String name : p.dataColumns()) {
            ColumnView c = ColumnView.of(p, name);
            ArrayNode a = o.putArray(name);
            for (int i = 0; i < c.size(); i++) a.add(JsonColumn.value(c, i));
        }
        return Json.bytes(o);
    }
}
