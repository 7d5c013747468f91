package dev.tiledgateway.formats.table;

import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/** pyarrow's str() of an Arrow type, for comparing schemas with what the fixture generator recorded. */
final class PyArrowTypes {

    private PyArrowTypes() {}

    static String name(Field f) {
        if (f.getDictionary() != null) {
            var idx = f.getDictionary().getIndexType();
            return "dictionary<values=" + name(f.getType()) + ", indices=" + (idx.getIsSigned() ? "int" : "uint") + idx.getBitWidth()
                    + ", ordered=" + (f.getDictionary().isOrdered() ? 1 : 0) + ">";
        }
        return name(f.getType());
    }

    static String name(ArrowType t) {
        return switch (t) {
            case ArrowType.Int i -> (i.getIsSigned() ? "int" : "uint") + i.getBitWidth();
            case ArrowType.FloatingPoint fp -> switch (fp.getPrecision()) { case HALF -> "halffloat"; case SINGLE -> "float"; case DOUBLE -> "double"; };
            case ArrowType.Bool b -> "bool";
            case ArrowType.Utf8 u -> "string";
            case ArrowType.LargeUtf8 u -> "large_string";
            case ArrowType.Binary b -> "binary";
            case ArrowType.Date d -> d.getUnit() == org.apache.arrow.vector.types.DateUnit.DAY ? "date32[day]" : "date64[ms]";
            case ArrowType.Decimal d -> "decimal" + d.getBitWidth() + "(" + d.getPrecision() + ", " + d.getScale() + ")";
            case ArrowType.Timestamp ts -> "timestamp[" + ColumnArrays.units(ts.getUnit()) + (ts.getTimezone() == null ? "" : ", tz=" + ts.getTimezone()) + "]";
            case ArrowType.Null n -> "null";
            case ArrowType.LargeBinary b -> "large_binary";
            case ArrowType.FixedSizeBinary b -> "fixed_size_binary[" + b.getByteWidth() + "]";
            case ArrowType.Time tt -> "time" + tt.getBitWidth() + "[" + ColumnArrays.units(tt.getUnit()) + "]";
            case ArrowType.Duration d -> "duration[" + ColumnArrays.units(d.getUnit()) + "]";
            default -> t.toString();
        };
    }
}
