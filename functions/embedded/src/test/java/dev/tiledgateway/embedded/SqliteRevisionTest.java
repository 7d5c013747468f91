package dev.tiledgateway.embedded;

import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.embedded.catalog.SqliteCatalog;
import dev.tiledgateway.testkit.RevisionContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The revision contract on the SQLite catalog. */
class SqliteRevisionTest extends RevisionContract {

    @TempDir
    static Path dir;

    private static SqliteCatalog catalog;

    @Override
    protected Catalog catalog() {
        if (catalog == null) catalog = new SqliteCatalog(dir.resolve("catalog.db"));
        return catalog;
    }
}
