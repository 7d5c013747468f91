package dev.tiledgateway.formats.table;

import dev.tiledgateway.core.array.CorruptDataException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed CSV table. The first row is the header unless all its fields are numbers (then columns are named
 * 0, 1, ... as pandas names them). Each column is int64, float64, bool or string, whichever all its values fit;
 * empty fields and pandas' default NA spellings are null.
 */
final class CsvTable {

    private static final Set<String> NA = Set.of("", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan",
            "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null");
    private static final Set<String> TRUE = Set.of("True", "true", "TRUE");
    private static final Set<String> FALSE = Set.of("False", "false", "FALSE");

    private final Schema schema;
    private final List<String[]> rows;

    private CsvTable(Schema schema, List<String[]> rows) {
        this.schema = schema;
        this.rows = rows;
    }

    static CsvTable parse(byte[] bytes) throws CorruptDataException {
        String text = CsvText.decode(bytes);
        List<List<String>> all = CsvText.parse(text, CsvText.sniff(text), -1);
        if (all.isEmpty()) throw new CorruptDataException("the CSV object is empty");
        boolean header = !all.getFirst().stream().allMatch(f -> isLong(f.strip()) || isDouble(f.strip()));
        List<String> names = header ? names(all.getFirst()) : numbered(all.getFirst().size());
        List<String[]> rows = new ArrayList<>();
        for (int r = header ? 1 : 0; r < all.size(); r++) {
            List<String> row = all.get(r);
            if (row.size() > names.size())
                throw new CorruptDataException("CSV row " + (r + 1) + " has " + row.size() + " fields, the header " + names.size());
            String[] cells = new String[names.size()];
            for (int c = 0; c < row.size(); c++) cells[c] = NA.contains(row.get(c).strip()) ? null : row.get(c);
            rows.add(cells);
        }
        List<Field> fields = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) fields.add(new Field(names.get(c), FieldType.nullable(infer(rows, c)), null));
        return new CsvTable(new Schema(fields), rows);
    }

    Schema schema() { return schema; }

    /** The rows with the fields of {@code projected} (a projection of {@link #schema()}). */
    TablePayload payload(Schema projected) {
        BufferAllocator allocator = TablePayload.newAllocator();
        List<FieldVector> vectors = new ArrayList<>();
        try {
            for (Field f : projected.getFields()) vectors.add(column(f, schema.getFields().indexOf(f), allocator));
            return TablePayload.of(projected, List.of(), vectors, List.of(), rows.size(), allocator);
        } catch (RuntimeException e) {
            vectors.forEach(FieldVector::close);
            allocator.close();
            throw e;
        }
    }

    private FieldVector column(Field f, int c, BufferAllocator allocator) {
        FieldVector v = f.createVector(allocator);
        v.setInitialCapacity(rows.size());
        v.allocateNew();
        for (int r = 0; r < rows.size(); r++) {
            String s = rows.get(r)[c];
            if (s == null) continue;
            switch (f.getType()) {
                case ArrowType.Int i -> Vectors.setLong(v, r, Long.parseLong(s.strip()));
                case ArrowType.FloatingPoint fp -> Vectors.setDouble(v, r, parseDouble(s.strip()));
                case ArrowType.Bool b -> Vectors.setLong(v, r, TRUE.contains(s.strip()) ? 1 : 0);
                default -> Vectors.setBytes(v, r, s.getBytes(StandardCharsets.UTF_8));
            }
        }
        v.setValueCount(rows.size());
        return v;
    }

    private static ArrowType infer(List<String[]> rows, int c) {
        boolean longs = true, doubles = true, bools = true, any = false;
        for (String[] row : rows) {
            String s = row[c];
            if (s == null) continue;
            String t = s.strip();
            any = true;
            longs &= isLong(t);
            doubles &= isDouble(t);
            bools &= TRUE.contains(t) || FALSE.contains(t);
        }
        if (!any) return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE); // all-NA columns are float64 in pandas
        if (longs) return new ArrowType.Int(64, true);
        if (doubles) return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
        if (bools) return ArrowType.Bool.INSTANCE;
        return ArrowType.Utf8.INSTANCE;
    }

    private static boolean isLong(String s) {
        if (s.isEmpty() || s.length() > 20) return false;
        try {
            Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isDouble(String s) {
        if (s.isEmpty() || s.endsWith("d") || s.endsWith("D") || s.endsWith("f") || s.endsWith("F") || s.contains("x") || s.contains("X")) return false;
        try {
            parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static double parseDouble(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    /** pandas' names for a header row: blanks become "Unnamed: i", repeats get ".1", ".2", ... */
    private static List<String> names(List<String> header) {
        List<String> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String n = header.get(i).isEmpty() ? "Unnamed: " + i : header.get(i);
            int k = seen.merge(n, 1, Integer::sum);
            out.add(k == 1 ? n : n + "." + (k - 1));
        }
        return out;
    }

    private static List<String> numbered(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(Integer.toString(i));
        return out;
    }
}
