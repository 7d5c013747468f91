package dev.tiledgateway.formats.table;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Comma-separated text as pandas {@code to_csv(index=False)} writes it: a header row, minimal quoting, empty for
 * missing. One deliberate difference: integer columns with nulls stay integers ("5", where pandas' float64 gives "5.0").
 */
final class CsvSerializer extends TableSerializer {

    CsvSerializer(String mediaType, List<String> aliases) { super(mediaType, aliases); }

    @Override
    byte[] write(TablePayload p) { return gathered(p); }

    @Override
    void stream(TablePayload p, OutputStream out) throws IOException {
        List<String> names = p.dataColumns();
        List<TextColumn> cols = new ArrayList<>();
        for (String n : names) cols.add(new TextColumn(ColumnView.of(p, n)));
        Writer w = text(out);
        for (int j = 0; j < names.size(); j++) w.append(j > 0 ? "," : "").append(quote(names.get(j)));
        w.append('\n');
        for (int i = 0; i < p.rowCount(); i++) {
            for (int j = 0; j < cols.size(); j++) {
                String s = cols.get(j).text(i);
                w.append(j > 0 ? "," : "").append(s == null ? "" : quote(s));
            }
            w.append('\n');
        }
        w.flush();
    }

    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
