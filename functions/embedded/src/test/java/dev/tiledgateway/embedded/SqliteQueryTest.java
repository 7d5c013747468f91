package dev.tiledgateway.embedded;

import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.embedded.catalog.SqliteCatalog;
import dev.tiledgateway.testkit.QueryContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The query contract on the SQLite catalog. */
class SqliteQueryTest extends QueryContract {

    @TempDir
    static Path dir;

    private static SqliteCatalog catalog;

    @Override
    protected Catalog catalog() {
        if (catalog == null) catalog = new SqliteCatalog(dir.resolve("catalog.db"));
        return catalog;
    }
}
