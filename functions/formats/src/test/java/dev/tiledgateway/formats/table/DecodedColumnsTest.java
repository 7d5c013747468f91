package dev.tiledgateway.formats.table;

import dev.tiledgateway.core.catalog.DataSource;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kept decoded columns: a read from them is the bytes of a read from the file, in any column order, without a fetch. */
class DecodedColumnsTest {

    private static final ArrowFileSerializer ARROW = new ArrowFileSerializer();

    private static byte[] arrow(ArrowTableSource t, int partition, List<String> columns) throws Exception {
        try (TablePayload p = t.readPartition(partition, columns)) {
            return ARROW.write(p);
        }
    }

    private static byte[] arrowAll(ArrowTableSource t, List<String> columns) throws Exception {
        try (TablePayload p = t.readAll(columns)) {
            return ARROW.write(p);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"types.parquet", "more_types.parquet", "int96.parquet", "row_groups.parquet", "pandas_index.parquet",
            "no_arrow_schema.parquet", "codec_pagev2.parquet", "parts/"})
    void warmReadsAreTheColdReadsBytesInEveryColumnOrder(String name) throws Exception {
        DataSource source = name.endsWith("/") ? TableFixtures.folder(name.substring(0, name.length() - 1)) : TableFixtures.file(name);
        ArrowTableSource warm = TableFixtures.open(source);
        List<String> reversed = new ArrayList<>(warm.columns());
        Collections.reverse(reversed);
        List<String> some = reversed.subList(0, Math.max(1, reversed.size() / 2));
        for (int i = 0; i < warm.npartitions(); i++) {
            byte[] cold = arrow(warm, i, List.of());
            assertArrayEquals(cold, arrow(warm, i, List.of()), "partition " + i + " again");
            // every other order and subset from a warm table equals a table opened afresh (nothing kept for it)
            assertArrayEquals(arrow(TableFixtures.open(source), i, reversed), arrow(warm, i, reversed), "reversed, partition " + i);
            assertArrayEquals(arrow(TableFixtures.open(source), i, some), arrow(warm, i, some), "some columns, partition " + i);
        }
        assertArrayEquals(arrowAll(TableFixtures.open(source), reversed), arrowAll(warm, reversed), "all partitions");
    }

    @Test
    void aWarmReadFetchesNothingAndReadsOnlyTheColumnsAsked() throws Exception {
        CountingStore store = new CountingStore(TableFixtures.store());
        ArrowTableSource t = new ParquetTableReader().open(store, TableFixtures.folder("parts"));
        assertTrue(t.npartitions() > 1);
        List<String> columns = t.columns();
        int before = store.wholeGets + store.rangeGets;
        try (TablePayload p = t.readPartition(1, List.of(columns.getLast()))) {
            assertEquals(List.of(columns.getLast()), p.dataColumns(), "only the asked column");
        }
        int afterFirst = store.wholeGets + store.rangeGets;
        assertTrue(afterFirst > before, "the first read fetches the part");
        try (TablePayload p = t.readPartition(1, List.of(columns.getLast()))) {
            assertEquals(List.of(columns.getLast()), p.dataColumns());
        }
        assertEquals(afterFirst, store.wholeGets + store.rangeGets, "the same column again: kept, not fetched");
        try (TablePayload p = t.readPartition(1, columns.reversed())) {
            assertEquals(columns.reversed(), p.dataColumns(), "the asked order");
        }
        assertTrue(store.wholeGets + store.rangeGets > afterFirst, "the other columns are decoded once");
        int all = store.wholeGets + store.rangeGets;
        try (TablePayload p = t.readPartition(1, columns)) {
            assertEquals(columns, p.dataColumns());
        }
        assertEquals(all, store.wholeGets + store.rangeGets, "every column kept now");
        // a table opened anew (as after a write: a new revision) keeps nothing of the old one's
        ArrowTableSource reopened = new ParquetTableReader().open(store, TableFixtures.folder("parts"));
        int beforeReopened = store.wholeGets + store.rangeGets;
        reopened.readPartition(1, columns).close();
        assertTrue(store.wholeGets + store.rangeGets > beforeReopened);
    }

    @Test
    void staysWithinItsBytesAndEntries() {
        Field f = new Field("x", FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), null);
        Object owner = new Object();
        ColumnBuilder empty = new ColumnBuilder(f);
        long each = empty.bytes();
        DecodedColumns byEntries = new DecodedColumns(1 << 20, 3);
        for (int i = 0; i < 10; i++) byEntries.put(owner, "part" + i, f, new ColumnBuilder(f));
        assertEquals(3, byEntries.size());
        assertNull(byEntries.get(owner, "part0", f), "the least recently used goes first");
        assertNotNull(byEntries.get(owner, "part9", f));
        assertNull(byEntries.get(new Object(), "part9", f), "kept for one table only");
        DecodedColumns byBytes = new DecodedColumns(each * 8, 1000);
        for (int i = 0; i < 20; i++) byBytes.put(owner, "part" + i, f, new ColumnBuilder(f));
        assertTrue(byBytes.bytes() <= each * 8, byBytes.bytes() + " bytes");
        assertEquals(8, byBytes.size());
        DecodedColumns tiny = new DecodedColumns(each * 3, 1000);
        tiny.put(owner, "big", f, new ColumnBuilder(f));
        assertEquals(0, tiny.size(), "a column over a quarter of the bound is not kept");
    }
}
