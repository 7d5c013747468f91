package dev.tiledgateway.formats.table;

import dev.hardwood.metadata.LogicalType;
import dev.hardwood.metadata.RepetitionType;
import dev.hardwood.schema.ColumnSchema;
import dev.hardwood.schema.FileSchema;
import dev.tiledgateway.core.array.CorruptDataException;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The Arrow schema of a Parquet file: the one pyarrow stored under {@code ARROW:schema} when present (exact types,
 * time zones, dictionaries, pandas metadata), else one derived from the Parquet physical and logical types.
 */
final class ParquetArrowSchema {

    static final String ARROW_SCHEMA_KEY = "ARROW:schema";

    private ParquetArrowSchema() {}

    static Schema of(FileSchema parquet, Map<String, String> keyValue) throws CorruptDataException {
        if (!parquet.isFlatSchema()) throw new CorruptDataException("nested Parquet columns (struct, list, map) are not supported");
        String stored = keyValue == null ? null : keyValue.get(ARROW_SCHEMA_KEY);
        if (stored != null) {
            Schema s = decodeStored(stored);
            if (s != null && matches(s, parquet)) return temporalUnitsFromParquet(s, parquet);
        }
        List<Field> fields = new ArrayList<>();
        for (ColumnSchema c : parquet.getColumns()) fields.add(new Field(c.name(), FieldType.nullable(arrowType(c)), null));
        Map<String, String> meta = keyValue != null && keyValue.containsKey(ArrowSchemas.PANDAS)
                ? Map.of(ArrowSchemas.PANDAS, keyValue.get(ArrowSchemas.PANDAS)) : null;
        return new Schema(fields, meta);
    }

    /**
     * As pyarrow reads it back: dates, times and timestamps take the unit the Parquet column stores (timestamp[s]
     * is stored, and read, as ms; date64 as date32); a timestamp keeps the stored schema's time zone.
     */
    private static Schema temporalUnitsFromParquet(Schema s, FileSchema parquet) throws CorruptDataException {
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < parquet.getColumnCount(); i++) {
            Field f = s.getFields().get(i);
            ArrowType derived = arrowType(parquet.getColumn(i));
            ArrowType t = switch (f.getType()) {
                case ArrowType.Timestamp ts when derived instanceof ArrowType.Timestamp d -> new ArrowType.Timestamp(d.getUnit(), ts.getTimezone());
                case ArrowType.Time tt when derived instanceof ArrowType.Time -> derived;
                case ArrowType.Date dt when derived instanceof ArrowType.Date -> derived;
                default -> f.getType();
            };
            fields.add(t == f.getType() ? f : new Field(f.getName(), new FieldType(f.isNullable(), t, f.getDictionary(), f.getMetadata()), null));
        }
        return new Schema(fields, s.getCustomMetadata());
    }

    private static Schema decodeStored(String base64) {
        try {
            byte[] raw = Base64.getDecoder().decode(base64);
            return Schema.deserializeMessage(ByteBuffer.wrap(raw));
        } catch (RuntimeException e) {
            return null; // a writer's schema we cannot read: fall back to the Parquet types
        }
    }

    /** Same flat column names in the same order, none nested. */
    private static boolean matches(Schema s, FileSchema parquet) {
        if (s.getFields().size() != parquet.getColumnCount()) return false;
        for (int i = 0; i < parquet.getColumnCount(); i++) {
            Field f = s.getFields().get(i);
            if (!f.getName().equals(parquet.getColumn(i).name()) || !f.getChildren().isEmpty()) return false;
        }
        return true;
    }

    static ArrowType arrowType(ColumnSchema c) throws CorruptDataException {
        if (c.repetitionType() == RepetitionType.REPEATED) throw new CorruptDataException("repeated column " + c.name() + " is not supported");
        LogicalType lt = c.logicalType();
        return switch (c.type()) {
            case BOOLEAN -> ArrowType.Bool.INSTANCE;
            case INT32 -> switch (lt) {
                case LogicalType.IntType it -> new ArrowType.Int(it.bitWidth(), it.isSigned());
                case LogicalType.DateType d -> new ArrowType.Date(DateUnit.DAY);
                case LogicalType.DecimalType d -> new ArrowType.Decimal(d.precision(), d.scale(), 128);
                case LogicalType.TimeType t -> new ArrowType.Time(TimeUnit.MILLISECOND, 32);
                case null, default -> new ArrowType.Int(32, true);
            };
            case INT64 -> switch (lt) {
                case LogicalType.IntType it -> new ArrowType.Int(64, it.isSigned());
                case LogicalType.TimestampType t -> new ArrowType.Timestamp(unit(t.unit()), t.isAdjustedToUTC() ? "UTC" : null);
                case LogicalType.DecimalType d -> new ArrowType.Decimal(d.precision(), d.scale(), 128);
                case LogicalType.TimeType t -> new ArrowType.Time(unit(t.unit()), 64);
                case null, default -> new ArrowType.Int(64, true);
            };
            case INT96 -> new ArrowType.Timestamp(TimeUnit.NANOSECOND, null);
            case FLOAT -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case BYTE_ARRAY -> switch (lt) {
                case LogicalType.StringType s -> ArrowType.Utf8.INSTANCE;
                case LogicalType.EnumType s -> ArrowType.Utf8.INSTANCE;
                case LogicalType.JsonType s -> ArrowType.Utf8.INSTANCE;
                case LogicalType.DecimalType d -> new ArrowType.Decimal(d.precision(), d.scale(), 128);
                case null, default -> ArrowType.Binary.INSTANCE;
            };
            case FIXED_LEN_BYTE_ARRAY -> switch (lt) {
                case LogicalType.DecimalType d -> new ArrowType.Decimal(d.precision(), d.scale(), 128);
                case LogicalType.Float16Type f -> new ArrowType.FloatingPoint(FloatingPointPrecision.HALF);
                case null, default -> new ArrowType.FixedSizeBinary(c.typeLength());
            };
        };
    }

    private static TimeUnit unit(LogicalType.TimeUnit u) {
        return switch (u) {
            case MILLIS -> TimeUnit.MILLISECOND;
            case MICROS -> TimeUnit.MICROSECOND;
            case NANOS -> TimeUnit.NANOSECOND;
        };
    }
}
