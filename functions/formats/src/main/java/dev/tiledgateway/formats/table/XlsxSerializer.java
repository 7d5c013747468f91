package dev.tiledgateway.formats.table;

import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;

/**
 * xlsx as pandas {@code to_excel(index=False)} lays it out: a bold header row, then one row per table row. Numbers,
 * booleans and dates are typed cells (zoned timestamps at their wall time, which pandas refuses); missing values are
 * empty cells, infinities the text "inf"/"-inf"; everything else is text as in CSV.
 */
final class XlsxSerializer extends TableSerializer {

    private static final LocalDateTime EXCEL_EPOCH = LocalDateTime.of(1899, 12, 30, 0, 0);

    XlsxSerializer() { super("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", List.of("xlsx")); }

    @Override
    byte[] write(TablePayload p) {
        XlsxWriter x = new XlsxWriter();
        List<String> names = p.dataColumns();
        x.startRow();
        for (String n : names) x.string(n, XlsxWriter.STYLE_HEADER);
        List<ColumnView> cols = names.stream().map(n -> ColumnView.of(p, n)).toList();
        List<TextColumn> texts = cols.stream().map(TextColumn::new).toList();
        for (int i = 0; i < p.rowCount(); i++) {
            x.startRow();
            for (int j = 0; j < cols.size(); j++) cell(x, cols.get(j), texts.get(j), i);
        }
        return x.finish();
    }

    private static void cell(XlsxWriter x, ColumnView c, TextColumn text, int i) {
        if (c.isNull(i)) {
            x.skip();
            return;
        }
        var v = c.values();
        int r = c.row(i);
        switch (c.type()) {
            case ArrowType.Int it -> x.number(ColumnArrays.str(c, i), 0);
            case ArrowType.FloatingPoint fp -> {
                double d = Vectors.getDouble(v, r);
                if (Double.isNaN(d)) x.skip();
                else if (Double.isInfinite(d)) x.string(d > 0 ? "inf" : "-inf", 0);
                else x.number(PyText.floatRepr(d), 0);
            }
            case ArrowType.Bool b -> x.bool(Vectors.getLong(v, r) != 0);
            case ArrowType.Decimal d -> x.number(((DecimalVector) v).getObject(r).toPlainString(), 0);
            case ArrowType.Date d -> x.number(serial(LocalDateTime.parse(ColumnArrays.str(c, i) + "T00:00")), XlsxWriter.STYLE_DATE);
            case ArrowType.Timestamp ts -> x.number(serial(PyText.wallTime(
                    PyText.instant(Vectors.getLong(v, r), ColumnArrays.unitNanos(ts.getUnit())), ts.getTimezone())), XlsxWriter.STYLE_DATETIME);
            default -> x.string(text.text(i), 0);
        }
    }

    /** Excel's serial date: days (and fraction of a day) since 1899-12-30. */
    static String serial(LocalDateTime t) {
        Duration d = Duration.between(EXCEL_EPOCH, t);
        double days = d.getSeconds() / 86_400.0 + d.getNano() / 86_400e9;
        return PyText.floatRepr(days).replace("e+", "E").replace("e-", "E-");
    }
}
