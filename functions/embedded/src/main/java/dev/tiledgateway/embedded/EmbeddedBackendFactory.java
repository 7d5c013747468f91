package dev.tiledgateway.embedded;

import dev.tiledgateway.core.backend.Backend;
import dev.tiledgateway.core.backend.BackendFactory;
import dev.tiledgateway.embedded.catalog.SqliteApiKeyStore;
import dev.tiledgateway.embedded.catalog.SqliteCatalog;
import dev.tiledgateway.embedded.store.FileBlobStore;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The one-machine backend: {@code TILED_GATEWAY_DATA_DIR} holds the object store ({@code objects/})
 * and the SQLite catalog ({@code catalog.db}).
 */
public final class EmbeddedBackendFactory implements BackendFactory {

    public static final String DATA_DIR = "TILED_GATEWAY_DATA_DIR";

    @Override
    public Optional<Backend> create(Map<String, String> env) {
        String dir = env.get(DATA_DIR);
        if (dir == null || dir.isBlank()) return Optional.empty();
        return Optional.of(open(Path.of(dir), null));
    }

    public static Backend open(Path dir, FileBlobStore.UrlSigner signer) {
        return new Backend(new SqliteCatalog(dir.resolve("catalog.db")), new FileBlobStore(dir.resolve("objects"), signer),
                new SqliteApiKeyStore(dir.resolve("catalog.db")));
    }
}
