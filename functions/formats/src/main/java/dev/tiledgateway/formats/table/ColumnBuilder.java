package dev.tiledgateway.formats.table;

import dev.hardwood.metadata.LogicalType;
import dev.hardwood.metadata.PhysicalType;
import dev.hardwood.reader.ColumnReader;
import dev.hardwood.reader.Validity;
import dev.hardwood.schema.ColumnSchema;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.NullVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects one flat Parquet column's values, batch after batch (across row groups and files), converted to the
 * Arrow field's type, then builds the Arrow vector (and, for a dictionary field, its dictionary).
 */
final class ColumnBuilder {

    private enum Storage { LONG, DOUBLE, BYTES }

    private static final long JULIAN_EPOCH_DAY = 2_440_588L;
    private static final long NANOS_PER_DAY = 86_400_000_000_000L;

    private final Field field;
    private final ArrowType valueType;
    private final Storage storage;
    private long[] longs = new long[0];
    private double[] doubles = new double[0];
    private byte[][] bytes = new byte[0][];
    private final BitSet nulls = new BitSet();
    private int size;

    /** {@code field} is in message format: a dictionary field carries its value type and its encoding. */
    ColumnBuilder(Field field) {
        this.field = field;
        this.valueType = field.getType();
        this.storage = storage(valueType);
    }

    int size() { return size; }

    /** Drops the spare capacity: the builder is complete and is about to be kept. */
    void trim() {
        if (longs.length > size) longs = Arrays.copyOf(longs, storage == Storage.LONG ? size : 0);
        if (doubles.length > size) doubles = Arrays.copyOf(doubles, storage == Storage.DOUBLE ? size : 0);
        if (bytes.length > size) bytes = Arrays.copyOf(bytes, storage == Storage.BYTES ? size : 0);
    }

    /**
     * About the memory its values hold: 8 bytes per number; per string or binary value a reference (8) and its
     * array (a 16-byte header and the bytes, padded to 8).
     */
    long bytes() {
        long n = 64L + 8L * (longs.length + doubles.length + bytes.length) + nulls.size() / 8;
        for (int i = 0; i < Math.min(size, bytes.length); i++) if (bytes[i] != null) n += (16L + bytes[i].length + 7) & ~7L;
        return n;
    }

    /** Adds every value of {@code other}, a builder of the same field (not changed). */
    void appendAll(ColumnBuilder other) {
        int n = other.size;
        ensure(size + n);
        switch (storage) {
            case LONG -> System.arraycopy(other.longs, 0, longs, size, n);
            case DOUBLE -> System.arraycopy(other.doubles, 0, doubles, size, n);
            case BYTES -> System.arraycopy(other.bytes, 0, bytes, size, n);
        }
        for (int i = other.nulls.nextSetBit(0); i >= 0 && i < n; i = other.nulls.nextSetBit(i + 1)) nulls.set(size + i);
        size += n;
    }

    /** Adds the reader's current batch. */
    void append(ColumnReader r) {
        ColumnSchema column = r.getColumnSchema();
        long[] scale = scale(valueType, column);
        int n = r.getRecordCount();
        ensure(size + n);
        Validity validity = r.getLeafValidity();
        for (int i = 0; i < n; i++) if (validity != null && validity.isNull(i)) nulls.set(size + i);
        switch (column.type()) {
            case BOOLEAN -> { boolean[] v = r.getBooleans(); for (int i = 0; i < n; i++) put(size + i, v[i] ? 1 : 0, scale); }
            case INT32 -> {
                int[] v = r.getInts();
                boolean unsigned32 = column.logicalType() instanceof LogicalType.IntType t && !t.isSigned() && t.bitWidth() == 32;
                for (int i = 0; i < n; i++) put(size + i, unsigned32 ? v[i] & 0xffffffffL : v[i], scale);
            }
            case INT64 -> { long[] v = r.getLongs(); for (int i = 0; i < n; i++) put(size + i, v[i], scale); }
            case FLOAT -> { float[] v = r.getFloats(); for (int i = 0; i < n; i++) doubles[size + i] = v[i]; }
            case DOUBLE -> { double[] v = r.getDoubles(); for (int i = 0; i < n; i++) doubles[size + i] = v[i]; }
            case BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY, INT96 -> {
                byte[][] v = r.getBinaries();
                for (int i = 0; i < n; i++) putBytes(size + i, nulls.get(size + i) ? null : v[i], column, scale);
            }
        }
        size += n;
    }

    private void put(int i, long x, long[] scale) {
        switch (storage) {
            case DOUBLE -> doubles[i] = x;
            case BYTES -> bytes[i] = java.math.BigInteger.valueOf(x).toByteArray(); // an INT32/INT64 decimal's unscaled value
            case LONG -> longs[i] = scale[0] != 1 ? x * scale[0] : (scale[1] != 1 ? Math.floorDiv(x, scale[1]) : x);
        }
    }

    private void putBytes(int i, byte[] b, ColumnSchema column, long[] scale) {
        if (b == null) return;
        if (column.type() == PhysicalType.INT96) {
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            put(i, (bb.getInt(8) - JULIAN_EPOCH_DAY) * NANOS_PER_DAY + bb.getLong(0), scale);
        } else if (storage == Storage.DOUBLE) {
            doubles[i] = Float.float16ToFloat(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getShort(0));
        } else {
            bytes[i] = b;
        }
    }

    private void ensure(int n) {
        if (storage == Storage.LONG && longs.length < n) longs = Arrays.copyOf(longs, Math.max(n, longs.length * 2));
        if (storage == Storage.DOUBLE && doubles.length < n) doubles = Arrays.copyOf(doubles, Math.max(n, doubles.length * 2));
        if (storage == Storage.BYTES && bytes.length < n) bytes = Arrays.copyOf(bytes, Math.max(n, bytes.length * 2));
    }

    /** The column as an Arrow vector in memory format; a dictionary field's dictionary is added to {@code dictionaries}. */
    FieldVector build(BufferAllocator allocator, List<Dictionary> dictionaries) {
        DictionaryEncoding encoding = field.getDictionary();
        if (valueType instanceof ArrowType.Null) return new NullVector(field.getName(), size);
        if (encoding == null) return values(new Field(field.getName(), new FieldType(true, valueType, null, field.getMetadata()), null),
                allocator, null);
        int[] ids = new int[size];
        List<Integer> firstRows = new ArrayList<>();
        Map<Object, Integer> seen = new HashMap<>();
        for (int i = 0; i < size; i++) {
            if (nulls.get(i)) continue;
            Object key = storage == Storage.BYTES ? ByteBuffer.wrap(bytes[i]) : storage == Storage.LONG ? longs[i] : doubles[i];
            Integer id = seen.get(key);
            if (id == null) {
                id = firstRows.size();
                seen.put(key, id);
                firstRows.add(i);
            }
            ids[i] = id;
        }
        FieldVector dict = values(new Field(field.getName(), FieldType.nullable(valueType), null), allocator, firstRows);
        dictionaries.add(new Dictionary(dict, encoding));
        FieldVector index = new Field(field.getName(), new FieldType(true, encoding.getIndexType(), encoding, field.getMetadata()), null)
                .createVector(allocator);
        index.setInitialCapacity(size);
        index.allocateNew();
        for (int i = 0; i < size; i++) if (!nulls.get(i)) Vectors.setLong(index, i, ids[i]);
        index.setValueCount(size);
        return index;
    }

    /** A vector of the collected values, or of the values at {@code rows} only (a dictionary's distinct values). */
    private FieldVector values(Field f, BufferAllocator allocator, List<Integer> rows) {
        FieldVector v = f.createVector(allocator);
        int n = rows == null ? size : rows.size();
        v.setInitialCapacity(n);
        v.allocateNew();
        for (int j = 0; j < n; j++) {
            int i = rows == null ? j : rows.get(j);
            if (nulls.get(i)) continue;
            switch (storage) {
                case LONG -> Vectors.setLong(v, j, longs[i]);
                case DOUBLE -> Vectors.setDouble(v, j, doubles[i]);
                case BYTES -> Vectors.setBytes(v, j, bytes[i]);
            }
        }
        v.setValueCount(n);
        return v;
    }

    private static Storage storage(ArrowType t) {
        return switch (t) {
            case ArrowType.FloatingPoint f -> Storage.DOUBLE;
            case ArrowType.Utf8 u -> Storage.BYTES;
            case ArrowType.LargeUtf8 u -> Storage.BYTES;
            case ArrowType.Binary b -> Storage.BYTES;
            case ArrowType.LargeBinary b -> Storage.BYTES;
            case ArrowType.FixedSizeBinary b -> Storage.BYTES;
            case ArrowType.Decimal d -> Storage.BYTES;
            default -> Storage.LONG;
        };
    }

    /** {multiply, divide} turning the stored Parquet unit into the Arrow type's unit (e.g. ms stored for timestamp[s]). */
    private static long[] scale(ArrowType t, ColumnSchema c) {
        long stored = switch (c.logicalType()) {
            case LogicalType.TimestampType ts -> nanos(ts.unit());
            case LogicalType.TimeType tt -> nanos(tt.unit());
            case LogicalType.DateType d -> NANOS_PER_DAY;
            case null, default -> c.type() == PhysicalType.INT96 ? 1 : 0;
        };
        long wanted = switch (t) {
            case ArrowType.Timestamp ts -> nanos(ts.getUnit());
            case ArrowType.Time tt -> nanos(tt.getUnit());
            case ArrowType.Date d -> d.getUnit() == org.apache.arrow.vector.types.DateUnit.DAY ? NANOS_PER_DAY : 1_000_000L;
            default -> 0;
        };
        if (stored == 0 || wanted == 0 || stored == wanted) return new long[] {1, 1};
        return stored > wanted ? new long[] {stored / wanted, 1} : new long[] {1, wanted / stored};
    }

    private static long nanos(LogicalType.TimeUnit u) {
        return switch (u) { case MILLIS -> 1_000_000L; case MICROS -> 1_000L; case NANOS -> 1L; };
    }

    private static long nanos(TimeUnit u) {
        return switch (u) { case SECOND -> 1_000_000_000L; case MILLISECOND -> 1_000_000L; case MICROSECOND -> 1_000L; case NANOSECOND -> 1L; };
    }
}
