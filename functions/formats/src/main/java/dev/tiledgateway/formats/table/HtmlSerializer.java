package dev.tiledgateway.formats.table;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code text/html}: the table pandas {@code to_html(index=False)} writes (its markup; values formatted as for CSV). */
final class HtmlSerializer extends TableSerializer {

    HtmlSerializer() { super("text/html", List.of()); }

    @Override
    byte[] write(TablePayload p) {
        List<String> names = p.dataColumns();
        StringBuilder sb = new StringBuilder("<table border=\"1\" class=\"dataframe\">\n  <thead>\n    <tr style=\"text-align: right;\">\n");
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
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
