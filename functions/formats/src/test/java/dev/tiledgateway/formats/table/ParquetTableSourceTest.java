package dev.tiledgateway.formats.table;

import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.table.TableReader;
import dev.tiledgateway.embedded.store.FileBlobStore;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Partition and column selection, and how bad requests and bad objects fail. */
class ParquetTableSourceTest {

    @Test
    void registeredForTheParquetMimetype() {
        assertTrue(ServiceLoader.load(TableReader.class).stream()
                .anyMatch(p -> p.get().mimetypes().contains("application/x-parquet")));
    }

    @Test
    void selectedColumnsComeInRequestOrderFollowedByTheIndex() throws Exception {
        ArrowTableSource t = TableFixtures.open(TableFixtures.file("pandas_index.parquet"));
        try (TablePayload p = t.readPartition(0, List.of("b"))) {
            assertEquals(List.of("b", "key"), p.root().getSchema().getFields().stream().map(Field::getName).toList());
            assertEquals(List.of("key"), p.indexColumns());
            assertEquals(List.of("b"), p.dataColumns());
            String pandas = p.schema().getCustomMetadata().get("pandas");
            assertTrue(pandas.contains("\"field_name\":\"b\"") && !pandas.contains("\"field_name\":\"a\""), pandas);
        }
    }

    /** Reads share one decoding context: opening a part no longer starts (and stops) a thread pool of its own. */
    @Test
    void readsStartNoThreadsPerFileAndRunConcurrently() throws Exception {
        ArrowTableSource t = TableFixtures.open(TableFixtures.file("pandas_index.parquet"));
        int rows;
        try (TablePayload p = t.readPartition(0, List.of())) {
            rows = p.rowCount();
        }
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long started = threads.getTotalStartedThreadCount();
        for (int i = 0; i < 40; i++) {
            try (TablePayload p = TableFixtures.open(TableFixtures.file("pandas_index.parquet")).readPartition(0, List.of("b"))) {
                assertEquals(rows, p.rowCount());
            }
        }
        long more = threads.getTotalStartedThreadCount() - started;
        assertTrue(more < 10, "40 opens and reads started " + more + " platform threads");
        // many reads at once on the shared context all finish, with the right rows
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(16)) {
            List<java.util.concurrent.Future<Integer>> reads = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) reads.add(pool.submit(() -> {
                try (TablePayload p = t.readPartition(0, List.of())) {
                    return p.rowCount();
                }
            }));
            for (var f : reads) assertEquals(rows, f.get(60, java.util.concurrent.TimeUnit.SECONDS));
        }
    }

    @Test
    void aColumnAskedForTwiceComesOnce() throws Exception {
        try (TablePayload p = TableFixtures.open(TableFixtures.file("codec_none.parquet")).readPartition(0, List.of("y", "x", "y"))) {
            assertEquals(List.of("y", "x"), p.dataColumns());
        }
    }

    @Test
    void unknownColumnIsABadRequest() throws Exception {
        ArrowTableSource t = TableFixtures.open(TableFixtures.file("codec_none.parquet"));
        TiledException e = assertThrows(TiledException.class, () -> t.readPartition(0, List.of("x", "nope")));
        assertEquals(400, e.status());
        assertTrue(e.detail().startsWith("Unknown column nope"), e.detail());
        assertEquals(400, assertThrows(TiledException.class, () -> t.readColumn("nope")).status());
        assertEquals(400, assertThrows(TiledException.class, () -> t.readAll(List.of("_hidden"))).status());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 3, 99})
    void partitionOutOfRangeIsABadRequest(int partition) throws Exception {
        ArrowTableSource t = TableFixtures.open(TableFixtures.folder("parts"));
        TiledException e = assertThrows(TiledException.class, () -> t.readPartition(partition, List.of()));
        assertEquals(400, e.status());
        assertTrue(e.detail().startsWith("Partition out of range"), e.detail());
    }

    @ParameterizedTest
    @ValueSource(strings = {"corrupt/truncated.parquet", "corrupt/garbage.parquet"})
    void unreadableFooterIsCorruptData(String key) {
        assertThrows(CorruptDataException.class, () -> TableFixtures.open(TableFixtures.file(key)));
    }

    @Test
    void scrambledPageIsCorruptData() throws Exception {
        ArrowTableSource t = TableFixtures.open(TableFixtures.file("corrupt/bad_page.parquet"));
        assertThrows(CorruptDataException.class, () -> t.readPartition(0, List.of()));
    }

    @Test
    void missingObjectIsCorruptData() {
        assertThrows(CorruptDataException.class, () -> TableFixtures.open(TableFixtures.file("no/such.parquet")));
    }

    @Test
    void folderWithoutPartsIsCorruptData(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        Files.writeString(dir.resolve("empty/_SUCCESS"), "");
        DataSource s = new DataSource(ParquetTableReader.MIMETYPE, List.of(new Asset("empty", true, "data_uri")));
        assertThrows(CorruptDataException.class, () -> new ParquetTableReader().open(new FileBlobStore(dir), s));
    }

    @Test
    void severalFileAssetsAreOnePartitionEach() throws Exception {
        DataSource s = new DataSource(ParquetTableReader.MIMETYPE, List.of(new Asset("parts/part.2.parquet", false, "data_uris"),
                new Asset("parts/part.0.parquet", false, "data_uris")));
        ArrowTableSource t = new ParquetTableReader().open(TableFixtures.store(), s);
        assertEquals(2, t.npartitions());
        try (TablePayload p = t.readPartition(0, List.of("part"))) {
            assertEquals(5, p.rowCount());
            assertEquals(2L, Vectors.getLong(p.root().getVector("part"), 0));
        }
    }

    @Test
    void aSmallFileIsFetchedOnceToOpenAndRead(@TempDir Path dir) throws Exception {
        CountingStore store = new CountingStore(new FileBlobStore(dir));
        store.put("t.parquet", Files.readAllBytes(TableFixtures.ROOT.resolve("types.parquet")));
        ArrowTableSource t = new ParquetTableReader().open(store, TableFixtures.file("t.parquet"));
        try (TablePayload p = t.readPartition(0, List.of("i8"))) {
            assertEquals(7, p.rowCount());
        }
        assertEquals(1, store.wholeGets);
        assertEquals(0, store.rangeGets);
    }

    @Test
    void largeObjectsAreReadByRanges(@TempDir Path dir) throws Exception {
        byte[] big = Files.readAllBytes(TableFixtures.ROOT.resolve("row_groups.parquet"));
        CountingStore store = new CountingStore(new FileBlobStore(dir));
        store.put("big.parquet", big);
        long limit = BlobInputFile.WHOLE_OBJECT_LIMIT;
        assertTrue(big.length < limit, "fixture is small; ranged reads are exercised through the InputFile directly");
        var in = BlobInputFile.ranged(store, "big.parquet", big.length);
        try (var r = dev.hardwood.reader.ParquetFileReader.open(in)) {
            assertEquals(1000, r.getFileMetaData().numRows());
        }
        assertEquals(0, store.wholeGets);
        assertTrue(store.rangeGets > 0);
    }
}
