package dev.tiledgateway.formats.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.array.ArrayPayload;
import dev.tiledgateway.core.container.DatasetPayload;
import dev.tiledgateway.core.container.DatasetPayload.Variable;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.formats.table.TablePayload;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DurationVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.tiledgateway.formats.dataset.Arrays1d.b1;
import static dev.tiledgateway.formats.dataset.Arrays1d.datetimes;
import static dev.tiledgateway.formats.dataset.Arrays1d.f8;
import static dev.tiledgateway.formats.dataset.Arrays1d.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dataset's wide table as a TablePayload: column order, Arrow types, values, pandas metadata. */
class WideTablesTest {

    static DatasetPayload dataset(List<String> index, Variable... variables) {
        return new DatasetPayload(List.of(variables), index);
    }

    static Variable var(String name, ArrayPayload data) { return new Variable(name, data); }

    static JsonNode pandas(TablePayload t) throws Exception {
        return Json.parse(t.schema().getCustomMetadata().get("pandas"));
    }

    @Test
    void indexCoordinateGoesLastAndIsThePandasIndex() throws Exception {
        try (TablePayload t = WideTables.fromDataset(dataset(List.of("time"),
                var("time", datetimes("s", 1, 2, 3)), var("temp", f8(1.5, 2.5, 3.5)), var("ok", b1(true, false, true))))) {
            assertEquals(List.of("temp", "ok", "time"), t.schema().getFields().stream().map(f -> f.getName()).toList());
            assertEquals(List.of("time"), t.indexColumns());
            assertEquals(List.of("temp", "ok"), t.dataColumns());
            assertEquals(3, t.rowCount());
            assertEquals(new ArrowType.Timestamp(TimeUnit.SECOND, null), t.schema().findField("time").getType());
            assertEquals(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE), t.schema().findField("temp").getType());
            assertEquals(ArrowType.Bool.INSTANCE, t.schema().findField("ok").getType());
            assertEquals(2L, ((TimeStampVector) t.root().getVector("time")).get(1));
            JsonNode pandas = pandas(t);
            assertEquals("[\"time\"]", pandas.get("index_columns").toString());
            assertEquals("datetime64[s]", pandas.at("/columns/2/numpy_type").asText());
            assertEquals("datetime", pandas.at("/columns/2/pandas_type").asText());
            assertEquals("bool", pandas.at("/columns/1/pandas_type").asText());
            assertEquals("unicode", pandas.at("/column_indexes/0/pandas_type").asText());
        }
    }

    @Test
    void indexWithoutItsOwnVariableIsARangeColumn() throws Exception {
        try (TablePayload t = WideTables.fromDataset(dataset(List.of("time"), var("temp", f8(1, 2, 3))))) {
            assertEquals(List.of("temp", "time"), t.schema().getFields().stream().map(f -> f.getName()).toList());
            BigIntVector time = (BigIntVector) t.root().getVector("time");
            for (int i = 0; i < 3; i++) assertEquals(i, time.get(i));
            assertEquals("int64", pandas(t).at("/columns/1/numpy_type").asText());
        }
    }

    /** Values 0.5, 1.5, ... in C order over {@code shape}. */
    static ArrayPayload counting(long... shape) {
        long n = 1;
        for (long x : shape) n *= x;
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = i + 0.5;
        ArrayPayload flat = f8(v);
        return new ArrayPayload(flat.dataType(), shape, flat.bytes());
    }

    /** The demo's dataset shape: temperature on (x, y, time), lon on (x, y), time an index coordinate. */
    static DatasetPayload gridded() {
        long t0 = 1_409_961_600_000_000_000L; // 2014-09-06
        long day = 86_400_000_000_000L;
        return new DatasetPayload(List.of(
                new Variable("temperature", List.of("x", "y", "time"), counting(2, 2, 3)),
                new Variable("lon", List.of("x", "y"), counting(2, 2)),
                new Variable("time", List.of("time"), datetimes("ns", t0, t0 + day, t0 + 2 * day))), List.of());
    }

    @Test
    void multiDimensionalVariablesBecomeOneRowPerPointOfTheirDimensions() throws Exception {
        try (TablePayload t = WideTables.fromDataset(gridded())) {
            assertEquals(List.of("temperature", "lon", "x", "y", "time"), t.schema().getFields().stream().map(f -> f.getName()).toList());
            assertEquals(List.of("x", "y", "time"), t.indexColumns());
            assertEquals(List.of("temperature", "lon"), t.dataColumns());
            assertEquals(12, t.rowCount());
            Float8Vector temperature = (Float8Vector) t.root().getVector("temperature");
            Float8Vector lon = (Float8Vector) t.root().getVector("lon");
            BigIntVector x = (BigIntVector) t.root().getVector("x");
            BigIntVector y = (BigIntVector) t.root().getVector("y");
            TimeStampVector time = (TimeStampVector) t.root().getVector("time");
            for (int r = 0; r < 12; r++) {
                int i = r / 6, j = r / 3 % 2, k = r % 3;
                assertEquals(r + 0.5, temperature.get(r));
                assertEquals(i * 2 + j + 0.5, lon.get(r), "lon[x, y] repeats over time");
                assertEquals(i, x.get(r));
                assertEquals(j, y.get(r));
                assertEquals(1_409_961_600_000_000_000L + k * 86_400_000_000_000L, time.get(r));
            }
            assertEquals("[\"x\",\"y\",\"time\"]", pandas(t).get("index_columns").toString());
        }
    }

    @Test
    void scalarVariablesRepeatOnEveryRow() {
        try (TablePayload t = WideTables.fromDataset(dataset(List.of(), var("x", f8(1, 2)), var("c", Arrays1d.scalar(5))))) {
            Float8Vector c = (Float8Vector) t.root().getVector("c");
            assertEquals(2, c.getValueCount());
            assertEquals(5.0, c.get(0));
            assertEquals(5.0, c.get(1));
        }
        try (TablePayload t = WideTables.fromDataset(dataset(List.of(), var("c", Arrays1d.scalar(5))))) {
            assertEquals(1, t.rowCount());
        }
    }

    @Test
    void withoutIndexNamesTheMetadataDeclaresNoIndex() throws Exception {
        try (TablePayload t = WideTables.fromDataset(dataset(List.of(), var("x", f8(1, 2))))) {
            assertEquals(List.of(), t.indexColumns());
            assertEquals(0, pandas(t).get("index_columns").size());
            assertEquals(0, pandas(t).get("column_indexes").size());
        }
    }

    @Test
    void nanAndNatBecomeNullsAsFromPandasMakesThem() {
        try (TablePayload t = WideTables.fromDataset(dataset(List.of(),
                var("x", f8(1, Double.NaN)), var("t", datetimes("ns", Long.MIN_VALUE, 7)),
                var("f", Arrays1d.f4(Float.NaN, 2f))))) {
            assertTrue(t.root().getVector("x").isNull(1));
            assertFalse(t.root().getVector("x").isNull(0));
            assertTrue(t.root().getVector("t").isNull(0));
            assertEquals(7L, ((TimeStampVector) t.root().getVector("t")).get(1));
            assertTrue(t.root().getVector("f").isNull(0));
        }
    }

    @Test
    void integerWidthsAndSignednessAreKept() {
        try (TablePayload t = WideTables.fromDataset(dataset(List.of(),
                var("a", ints("|i1", -1, 2)), var("b", ints("<u2", 65535, 1)), var("c", ints("<i4", -7, 8)),
                var("d", ints("<u8", -1, 3)), var("e", ints("|u1", 255, 0))))) {
            assertEquals(new ArrowType.Int(8, true), t.schema().findField("a").getType());
            assertEquals(new ArrowType.Int(16, false), t.schema().findField("b").getType());
            assertEquals(new ArrowType.Int(32, true), t.schema().findField("c").getType());
            assertEquals(new ArrowType.Int(64, false), t.schema().findField("d").getType());
            assertEquals(new ArrowType.Int(8, false), t.schema().findField("e").getType());
            assertEquals(65535, ((UInt2Vector) t.root().getVector("b")).get(0));
            assertEquals(-1L, ((org.apache.arrow.vector.UInt8Vector) t.root().getVector("d")).get(0));
            assertEquals((byte) -1, t.root().getVector("a").getObject(0));
        }
    }

    @Test
    void bigEndianInputIsReadInItsByteOrder() {
        try (TablePayload t = WideTables.fromDataset(dataset(List.of(), var("a", ints(">i4", 1, 256)), var("b", ints(">u2", 258, 3))))) {
            assertEquals(256, t.root().getVector("a").getObject(1));
            assertEquals(258, ((UInt2Vector) t.root().getVector("b")).get(0));
        }
    }

    @Test
    void coarseTimeUnitsAreStoredInSecondsAndTimedeltasAsDurations() throws Exception {
        try (TablePayload t = WideTables.fromDataset(dataset(List.of(),
                var("day", datetimes("D", 1, Long.MIN_VALUE)), var("span", Arrays1d.timedeltas("ms", 1500, 2))))) {
            assertEquals(new ArrowType.Timestamp(TimeUnit.SECOND, null), t.schema().findField("day").getType());
            assertEquals(86_400L, ((TimeStampVector) t.root().getVector("day")).get(0));
            assertTrue(t.root().getVector("day").isNull(1));
            assertEquals(new ArrowType.Duration(TimeUnit.MILLISECOND), t.schema().findField("span").getType());
            assertEquals(1500L, DurationVector.get(((DurationVector) t.root().getVector("span")).getDataBuffer(), 0));
            assertEquals("datetime64[s]", pandas(t).at("/columns/0/numpy_type").asText());
            assertEquals("timedelta64[ms]", pandas(t).at("/columns/1/numpy_type").asText());
        }
        try (TablePayload t = WideTables.fromDataset(dataset(List.of(), var("t", datetimes("10ms", 3))))) {
            assertEquals(new ArrowType.Timestamp(TimeUnit.MILLISECOND, null), t.schema().findField("t").getType());
            assertEquals(30L, ((TimeStampVector) t.root().getVector("t")).get(0));
        }
    }

    @Test
    void fixedWidthStringsLoseTheirPadding() {
        try (TablePayload t = WideTables.fromDataset(dataset(List.of("name"),
                var("name", Arrays1d.unicode(3, "a", "bcd", "é€")), var("raw", Arrays1d.bytes(2, "x", "yz", ""))))) {
            VarCharVector name = (VarCharVector) t.root().getVector("name");
            assertEquals("a", new String(name.get(0), StandardCharsets.UTF_8));
            assertEquals("bcd", new String(name.get(1), StandardCharsets.UTF_8));
            assertEquals("é€", new String(name.get(2), StandardCharsets.UTF_8));
            VarBinaryVector raw = (VarBinaryVector) t.root().getVector("raw");
            assertArrayEquals("yz".getBytes(StandardCharsets.US_ASCII), raw.get(1));
            assertArrayEquals(new byte[0], raw.get(2));
        }
    }

    @Test
    void whatHasNoTableFormIsNotAcceptable() {
        ArrayPayload complex = new ArrayPayload(DataType.Builtin.parse("<c16"), new long[] {1}, new byte[16]);
        ArrayPayload twoD = new ArrayPayload(DataType.Builtin.parse("<f8"), new long[] {2, 2}, new byte[32]); // and no dimension names
        ArrayPayload years = ints("<M8[Y]", 1);
        for (ArrayPayload a : List.of(complex, twoD, years)) {
            TiledException e = assertThrows(TiledException.class, () -> WideTables.fromDataset(dataset(List.of(), var("v", a))));
            assertEquals(406, e.status());
        }
        TiledException e = assertThrows(TiledException.class,
                () -> WideTables.fromDataset(dataset(List.of(), var("a", f8(1, 2)), var("b", f8(1, 2, 3)))));
        assertEquals(406, e.status());
    }

    @Test
    void emptyDatasetIsAnEmptyTable() {
        try (TablePayload t = WideTables.fromDataset(dataset(List.of("time")))) {
            assertEquals(0, t.rowCount());
            assertEquals(List.of("time"), t.indexColumns());
        }
    }

    @Test
    void sourceBytesAreLeftAlone() {
        ArrayPayload a = f8(1, Double.NaN);
        byte[] before = a.bytes().clone();
        try (TablePayload t = WideTables.fromDataset(dataset(List.of(), var("a", a)))) {
            assertEquals(2, t.rowCount());
        }
        assertArrayEquals(before, a.bytes());
    }
}
