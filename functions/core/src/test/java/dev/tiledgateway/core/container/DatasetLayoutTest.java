package dev.tiledgateway.core.container;

import dev.tiledgateway.core.container.DatasetLayout.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where values land in a dataset's table, as xarray's {@code to_dataframe()} places them (the expected rows below are
 * what xarray 2026.9 with pandas 2.3 printed for the same datasets).
 */
class DatasetLayoutTest {

    private static int[] rows(IntUnaryOperator f, long n) { return IntStream.range(0, (int) n).map(f).toArray(); }

    /** The demo's dataset: temperature/precipitation on (x, y, time), lon/lat on (x, y), time on (time). */
    private static DatasetLayout demo() {
        return DatasetLayout.of(List.of(
                new Shape("temperature", List.of("x", "y", "time"), new long[] {2, 2, 3}),
                new Shape("precipitation", List.of("x", "y", "time"), new long[] {2, 2, 3}),
                new Shape("lon", List.of("x", "y"), new long[] {2, 2}),
                new Shape("lat", List.of("x", "y"), new long[] {2, 2}),
                new Shape("time", List.of("time"), new long[] {3})), List.of());
    }

    @Test
    void rowsRunOverTheProductOfTheDimensionsInOrderOfFirstAppearance() {
        DatasetLayout l = demo();
        assertEquals(List.of("x", "y", "time"), l.dims());
        assertEquals(12, l.rows());
        assertEquals(List.of("temperature", "precipitation", "lon", "lat"), l.columns());
        assertTrue(l.isIndexCoordinate("time"));
        assertFalse(l.isIndexCoordinate("lon"));
        assertArrayEquals(IntStream.range(0, 12).toArray(), rows(l.elementOfRow("temperature"), 12));
        // lon[x, y] repeats over time: xarray's broadcast
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3}, rows(l.elementOfRow("lon"), 12));
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2}, rows(l.elementOfRow("time"), 12));
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1}, rows(l.positionOfRow("x"), 12));
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1}, rows(l.positionOfRow("y"), 12));
    }

    @Test
    void aVariableWhoseDimensionsRunInAnotherOrderIsTransposed() {
        // xr.Dataset({"a": (("x","y"), [[1,2,3],[4,5,6]]), "b": (("y","x"), [[1,2],[3,4],[5,6]])}).to_dataframe()
        // b column: 1 3 5 2 4 6
        DatasetLayout l = DatasetLayout.of(List.of(
                new Shape("a", List.of("x", "y"), new long[] {2, 3}),
                new Shape("b", List.of("y", "x"), new long[] {3, 2})), List.of());
        assertArrayEquals(new int[] {0, 2, 4, 1, 3, 5}, rows(l.elementOfRow("b"), 6));
    }

    @Test
    void dimensionsOfCoordinatesCountInTheirTurn() {
        // xr.Dataset({"v": ("x", [1, 2])}, coords={"t": ("t", [5, 6, 7]), "c": (("t", "x"), ...)}): dims (x, t)
        DatasetLayout l = DatasetLayout.of(List.of(
                new Shape("v", List.of("x"), new long[] {2}),
                new Shape("t", List.of("t"), new long[] {3}),
                new Shape("c", List.of("t", "x"), new long[] {3, 2})), List.of());
        assertEquals(List.of("x", "t"), l.dims());
        assertArrayEquals(new int[] {0, 2, 4, 1, 3, 5}, rows(l.elementOfRow("c"), 6));
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1}, rows(l.elementOfRow("v"), 6));
    }

    /**
     * The Tiled client's wide-table read of a square grid asks for coordinates x and y (both n long) together and takes
     * each column as one variable: their rows are aligned, n of them, where xarray's product would give n².
     */
    @Test
    void oneDimensionalVariablesOfOneLengthOnSeveralDimensionsAreAlignedForTheClient() {
        DatasetLayout l = DatasetLayout.of(List.of(
                new Shape("x", List.of("x"), new long[] {3}), new Shape("y", List.of("y"), new long[] {3}),
                new Shape("s", List.of(), new long[0])), List.of());
        assertEquals(3, l.rows());
        assertEquals(List.of("x", "y"), l.indexLevels());
        assertArrayEquals(new int[] {0, 1, 2}, rows(l.elementOfRow("y"), 3));
        assertArrayEquals(new int[] {0, 0, 0}, rows(l.elementOfRow("s"), 3));
        assertArrayEquals(new int[] {0, 1, 2}, rows(l.positionOfRow("x"), 3));
        // different lengths, or any variable of two dimensions: the product, as xarray
        assertEquals(6, DatasetLayout.of(List.of(new Shape("x", List.of("x"), new long[] {3}), new Shape("y", List.of("y"), new long[] {2})),
                List.of()).rows());
        assertEquals(9, DatasetLayout.of(List.of(new Shape("v", List.of("x", "y"), new long[] {3, 3}),
                new Shape("x", List.of("x"), new long[] {3})), List.of()).rows());
    }

    @Test
    void scalarsRepeatAndADatasetWithoutDimensionsHasOneRow() {
        DatasetLayout l = DatasetLayout.of(List.of(new Shape("a", List.of("x"), new long[] {2}), new Shape("s", null, new long[0])), List.of());
        assertArrayEquals(new int[] {0, 0}, rows(l.elementOfRow("s"), 2));
        assertEquals(1, DatasetLayout.of(List.of(new Shape("s", List.of(), new long[0])), List.of()).rows());
    }

    @Test
    void oneDimensionalVariablesWithoutNamesShareTheOnlyDimension() {
        DatasetLayout named = DatasetLayout.of(List.of(new Shape("index", null, new long[] {3}), new Shape("A", null, new long[] {3})),
                List.of("index"));
        assertTrue(named.isIndexCoordinate("index"));
        assertEquals(List.of("index"), named.indexLevels());
        DatasetLayout unnamed = DatasetLayout.of(List.of(new Shape("dim0", null, new long[] {4}), new Shape("data", null, new long[] {4})),
                List.of());
        assertEquals(List.of(), unnamed.indexLevels());
        assertEquals(4, unnamed.rows());
    }

    @Test
    void shapesThatMakeNoTableAreRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatasetLayout.of(List.of(
                new Shape("a", List.of("x"), new long[] {2}), new Shape("b", List.of("x"), new long[] {3})), List.of()));
        assertTrue(e.getMessage().contains("dimension x"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DatasetLayout.of(List.of(
                new Shape("x", List.of("x", "y"), new long[] {2, 2})), List.of()));
        assertTrue(e.getMessage().contains("named like a dimension"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DatasetLayout.of(List.of(
                new Shape("a", List.of("x"), new long[] {2, 2})), List.of()));
        assertTrue(e.getMessage().contains("names 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DatasetLayout.of(List.of(new Shape("a", null, new long[] {2, 2})), List.of()));
        assertTrue(e.getMessage().contains("names none"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DatasetLayout.of(List.of(
                new Shape("a", List.of("x", "y", "z"), new long[] {1L << 22, 1L << 22, 1L << 22})), List.of()));
        assertTrue(e.getMessage().contains("too many points"), e.getMessage());
    }
}
