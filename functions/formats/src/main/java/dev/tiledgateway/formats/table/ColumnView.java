package dev.tiledgateway.formats.table;

import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** One column of a payload with dictionary encoding looked through: element i is a row of the value vector, or null. */
final class ColumnView {

    private final String name;
    private final FieldVector values;
    private final FieldVector indices;
    private final int size;

    private ColumnView(String name, FieldVector values, FieldVector indices, int size) {
        this.name = name;
        this.values = values;
        this.indices = indices;
        this.size = size;
    }

    static ColumnView of(TablePayload payload, String column) {
        FieldVector v = payload.root().getVector(column);
        if (v == null) throw new IllegalArgumentException("no column " + column + " in the payload");
        Dictionary d = payload.dictionaryOf(v);
        return d == null ? new ColumnView(column, v, null, payload.rowCount()) : new ColumnView(column, d.getVector(), v, payload.rowCount());
    }

    String name() { return name; }

    int size() { return size; }

    /** The value type (a dictionary column's value type). */
    ArrowType type() { return values.getField().getType(); }

    /** The vector holding the values; read element i at {@link #row(int)}. */
    FieldVector values() { return values; }

    boolean isNull(int i) {
        if (indices == null) return values.isNull(i);
        return indices.isNull(i) || values.isNull(row(i));
    }

    int row(int i) { return indices == null ? i : (int) Vectors.getLong(indices, i); }

    boolean hasNulls() {
        for (int i = 0; i < size; i++) if (isNull(i)) return true;
        return false;
    }
}
