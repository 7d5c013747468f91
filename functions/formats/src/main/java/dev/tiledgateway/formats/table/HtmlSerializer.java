package dev.tiledgateway.formats.table;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.List;

/** {@code text/html}: the table pandas {@code to_html(index=False)} writes (its markup; values formatted as for CSV). */
final class HtmlSerializer extends TableSerializer {

    HtmlSerializer() { super("text/html", List.of()); }

    @Override
    byte[] write(TablePayload p) { return gathered(p); }

    @Override
    void stream(TablePayload p, OutputStream out) throws IOException {
        List<String> names = p.dataColumns();
        Writer sb = text(out);
        sb.append("<table border=\"1\" class=\"dataframe\">\n  <thead>\n    <tr style=\"text-align: right;\">\n");
        for (String n : names) sb.append("      <th>").append(escape(n)).append("</th>\n");
        sb.append("    </tr>\n  </thead>\n  <tbody>\n");
        List<TextColumn> cols = names.stream().map(n -> new TextColumn(ColumnView.of(p, n))).toList();
        for (int i = 0; i < p.rowCount(); i++) {
            sb.append("    <tr>\n");
            for (TextColumn c : cols) {
                String s = c.text(i);
                sb.append("      <td>").append(escape(s == null ? c.missing() : s)).append("</td>\n");
            }
            sb.append("    </tr>\n");
        }
        sb.append("  </tbody>\n</table>");
        sb.flush();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
