package dev.tiledgateway.formats.table;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tiledgateway.core.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** {@code application/json}: {@code {"column": [values...]}}, index columns left out, as upstream's table JSON. */
final class JsonSerializer extends TableSerializer {

    JsonSerializer() { super("application/json", List.of()); }

    @Override
    byte[] write(TablePayload p) { return gathered(p); }

    @Override
    void stream(TablePayload p, OutputStream out) throws IOException {
        try (JsonGenerator g = Json.FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            for (String name : new java.util.LinkedHashSet<>(p.dataColumns())) {
                ColumnView c = ColumnView.of(p, name);
                g.writeFieldName(name);
                g.writeStartArray();
                for (int i = 0; i < c.size(); i++) Json.write(g, JsonColumn.value(c, i));
                g.writeEndArray();
            }
            g.writeEndObject();
        }
    }
}
