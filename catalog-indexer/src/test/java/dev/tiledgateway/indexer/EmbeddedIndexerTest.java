package dev.tiledgateway.indexer;

import dev.tiledgateway.embedded.catalog.SqliteCatalog;
import dev.tiledgateway.embedded.store.FileBlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The indexer on the embedded adapters: a folder of files and a SQLite catalog. */
class EmbeddedIndexerTest extends IndexerContract {

    @TempDir
    Path dir;

    private SqliteCatalog catalog;

    @Override
    protected Env freshEnv() throws IOException {
        catalog = new SqliteCatalog(dir.resolve("catalog.db"));
        return new Env(catalog, new FileBlobStore(Files.createDirectories(dir.resolve("data"))), "local", "");
    }

    @Override
    protected int burstSize() { return 10_000; }

    @AfterEach
    void close() throws Exception {
        catalog.close();
    }
}
