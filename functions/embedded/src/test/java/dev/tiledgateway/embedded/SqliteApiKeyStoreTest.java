package dev.tiledgateway.embedded;

import dev.tiledgateway.core.auth.ApiKeyStore;
import dev.tiledgateway.embedded.catalog.SqliteApiKeyStore;
import dev.tiledgateway.testkit.ApiKeyStoreContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SqliteApiKeyStoreTest extends ApiKeyStoreContract {

    @TempDir
    static Path dir;
    private static SqliteApiKeyStore store;

    @Override
    protected synchronized ApiKeyStore store() {
        if (store == null) store = new SqliteApiKeyStore(dir.resolve("catalog.db"));
        return store;
    }
}
