package dev.tiledgateway.embedded;

import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.embedded.catalog.SqliteCatalog;
import dev.tiledgateway.testkit.CatalogContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SqliteCatalogTest extends CatalogContract {

    @TempDir
    static Path dir;

    private static SqliteCatalog catalog;

    @Override
    protected Catalog catalog() {
        if (catalog == null) catalog = new SqliteCatalog(dir.resolve("catalog.db"));
        return catalog;
    }

    @Test
    void sortKeysThatAreNotMetadataPathsAre400() {
        assertEquals(400, assertThrows(TiledException.class,
                () -> catalog().children(base, List.of(new SortKey("a'); DROP TABLE nodes; --", 1)), 0, 10)).status());
    }
}
