package dev.tiledgateway.formats.table;

import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * A column's values as pandas writes them in {@code to_csv} and {@code to_html}: Python reprs for floats, True/False,
 * and datetimes as "YYYY-MM-DD HH:MM:SS" with the fraction digits the column needs (dates only when every naive
 * value is at midnight; zoned values in their zone with an offset).
 */
final class TextColumn {

    private final ColumnView c;
    private final boolean datesOnly;
    private final int digits;

    TextColumn(ColumnView c) {
        this.c = c;
        boolean midnight = true;
        int d = 0;
        if (c.type() instanceof ArrowType.Timestamp || c.type() instanceof ArrowType.Duration) {
            for (int i = 0; i < c.size(); i++) {
                if (c.isNull(i)) continue;
                Instant t = instant(i);
                d = Math.max(d, PyText.fractionDigits(t.getNano()));
                midnight &= t.getNano() == 0 && t.getEpochSecond() % 86_400 == 0;
            }
        }
        this.datesOnly = midnight && c.type() instanceof ArrowType.Timestamp ts && ts.getTimezone() == null;
        this.digits = d;
    }

    /** The value's text, or null for a missing value. */
    String text(int i) {
        if (c.isNull(i)) return null;
        int r = c.row(i);
        return switch (c.type()) {
            case ArrowType.FloatingPoint fp -> {
                double x = Vectors.getDouble(c.values(), r);
                if (Double.isNaN(x)) yield null;
                yield switch (fp.getPrecision()) {
                    case DOUBLE -> PyText.floatRepr(x);
                    case SINGLE -> PyText.float32Repr((float) x);
                    case HALF -> PyText.float16Repr((float) x);
                };
            }
            case ArrowType.Timestamp ts -> {
                Instant t = instant(i);
                LocalDateTime wall = PyText.wallTime(t, ts.getTimezone());
                if (datesOnly) yield wall.toLocalDate().toString();
                String s = PyText.dateTime(wall, ' ', digits);
                yield ts.getTimezone() == null ? s : s + PyText.offset(t, ts.getTimezone());
            }
            case ArrowType.Duration du -> {
                Instant t = instant(i);
                long days = Math.floorDiv(t.getEpochSecond(), 86_400);
                LocalTime lt = LocalTime.ofSecondOfDay(Math.floorMod(t.getEpochSecond(), 86_400)).withNano(t.getNano());
                yield days + " days " + (days < 0 ? "+" : "") + PyText.dateTime(LocalDateTime.of(java.time.LocalDate.EPOCH, lt), ' ', digits).substring(11);
            }
            default -> ColumnArrays.str(c, i);
        };
    }

    /** How pandas' to_html shows a missing value of this column. */
    String missing() {
        return switch (c.type()) {
            case ArrowType.FloatingPoint fp -> "NaN";
            case ArrowType.Int it -> "NaN";
            case ArrowType.Timestamp ts -> "NaT";
            case ArrowType.Duration du -> "NaT";
            default -> "None";
        };
    }

    private Instant instant(int i) {
        TimeUnit u = c.type() instanceof ArrowType.Timestamp ts ? ts.getUnit() : ((ArrowType.Duration) c.type()).getUnit();
        return PyText.instant(Vectors.getLong(c.values(), c.row(i)), ColumnArrays.unitNanos(u));
    }
}
