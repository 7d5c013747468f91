package dev.tiledgateway.indexer;

import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.indexer.plan.KeyLayout;
import dev.tiledgateway.indexer.plan.Target;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which node an object key belongs to, from its name alone. */
class KeyLayoutTest {

    private final KeyLayout layout = new KeyLayout(new IndexerSettings("bkt", "gw/", NodePath.of("data"), null, 1 << 20));

    @Test
    void onlyFormatSuffixesAreStripped() {
        assertEquals("scan1", KeyLayout.nodeKey("scan1.zarr"));
        assertEquals("t", KeyLayout.nodeKey("t.CSV"));
        assertEquals("stack", KeyLayout.nodeKey("stack.tiff"));
        assertEquals("2024.05.01", KeyLayout.nodeKey("2024.05.01"));
        assertEquals("run.3", KeyLayout.nodeKey("run.3"));
        assertEquals("notes.txt", KeyLayout.nodeKey("notes.txt"));
        assertEquals(NodePath.of("data/runs/2024.05.01/scan1"), layout.folderPath("runs/2024.05.01/scan1.zarr/"));
        assertEquals(NodePath.of("data/runs/t"), layout.filePath("runs/t.parquet"));
    }

    @Test
    void keysOutsideTheBucketAndPrefixAreNotOurs() {
        assertEquals(Optional.of("a/b.csv"), layout.storeKey("bkt", "gw/a/b.csv"));
        assertEquals(Optional.empty(), layout.storeKey("other", "gw/a/b.csv"));
        assertEquals(Optional.empty(), layout.storeKey("bkt", "elsewhere/a/b.csv"));
        assertEquals("gw/a/b.csv", layout.objectKey("a/b.csv"));
    }

    @Test
    void hiddenNamesAndTheGatewaysOwnObjectsAreIgnored() {
        assertTrue(layout.ignoredBecause("catalog-spill/x.json").isPresent());
        assertTrue(layout.ignoredBecause("_results/abc").isPresent());
        assertTrue(layout.ignoredBecause("a/.git/config").isPresent());
        assertTrue(layout.ignoredBecause("a/folder/").isPresent());
        assertTrue(layout.ignoredBecause("a/img.zarr/.zarray").isEmpty());
        assertTrue(layout.ignoredBecause("a/img.zarr/.zattrs").isEmpty());
    }

    @Test
    void everyObjectOfAZarrStoreOrTableFolderNamesOneTarget() {
        assertEquals(new Target.Zarr("a/img.zarr/"), Target.of("a/img.zarr/.zarray"));
        assertEquals(new Target.Zarr("a/img.zarr/"), Target.of("a/img.zarr/.zattrs"));
        assertEquals(new Target.Zarr("a/v3.zarr/"), Target.of("a/v3.zarr/zarr.json"));
        for (String chunk : List.of("a/img.zarr/0.0", "a/img.zarr/1/2", "a/v3.zarr/c/0/1", "a/v3.zarr/c.0.1")) {
            assertEquals(new Target.ZarrChunk(chunk), Target.of(chunk), chunk);
        }
        assertEquals(new Target.PartitionedTable("t.parquet/"), Target.of("t.parquet/part.0.parquet"));
        assertEquals(new Target.PartitionedTable("out/"), Target.of("out/part-00000-1f2e.snappy.parquet"));
        assertEquals(new Target.File("tables/a.parquet"), Target.of("tables/a.parquet"));
        assertEquals(new Target.File("a.parquet"), Target.of("a.parquet"));
    }
}
