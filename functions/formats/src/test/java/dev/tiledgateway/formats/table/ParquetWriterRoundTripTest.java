package dev.tiledgateway.formats.table;

import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.embedded.store.FileBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the Parquet serializer writes, read back by the Parquet reader: same schema, same values. */
class ParquetWriterRoundTripTest {

    @ParameterizedTest
    @ValueSource(strings = {"types.parquet", "more_types.parquet", "no_arrow_schema.parquet", "int96.parquet", "pandas_index.parquet", "row_groups.parquet",
            "export.parquet"})
    void readsBackEqual(String fixture, @TempDir Path dir) throws Exception {
        try (TablePayload p = TableFixtures.open(TableFixtures.file(fixture)).readAll(List.of())) {
            assertRoundTrip(p, dir);
        }
    }

    @Test
    void emptyAndAllNullColumnsRoundTrip(@TempDir Path dir) throws Exception {
        try (TablePayload p = CsvTableTest.csv(dir, "a,b,c\n").readAll(List.of())) {
            assertEquals(0, p.rowCount());
            assertRoundTrip(p, dir);
        }
        try (TablePayload p = CsvTableTest.csv(dir, "a,b\n,x\n,\n").readAll(List.of())) {
            assertRoundTrip(p, dir);
        }
    }

    @Test
    void columnNamesWithDotsAndSpacesRoundTrip(@TempDir Path dir) throws Exception {
        try (TablePayload p = CsvTableTest.csv(dir, "a.b,c d,e\n1,x,2.5\n").readAll(List.of())) {
            assertRoundTrip(p, dir);
        }
    }

    static void assertRoundTrip(TablePayload p, Path dir) throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        store.put("out.parquet", ParquetFileWriter.write(p));
        DataSource s = new DataSource(ParquetTableReader.MIMETYPE, List.of(new Asset("out.parquet", false, "data_uri")));
        try (TablePayload back = new ParquetTableReader().open(store, s).readAll(List.of())) {
            assertEquals(p.schema(), back.schema());
            assertEquals(p.rowCount(), back.rowCount());
            for (String c : p.dataColumns()) {
                ColumnView a = ColumnView.of(p, c), b = ColumnView.of(back, c);
                for (int i = 0; i < p.rowCount(); i++) assertEquals(JsonColumn.value(a, i), JsonColumn.value(b, i), c + "[" + i + "]");
            }
        }
    }
}
