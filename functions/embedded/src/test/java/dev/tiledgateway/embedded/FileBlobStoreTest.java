package dev.tiledgateway.embedded;

import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.embedded.store.FileBlobStore;
import dev.tiledgateway.testkit.BlobStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;

class FileBlobStoreTest extends BlobStoreContract {

    @TempDir
    static Path dir;

    private static FileBlobStore store;

    @Override
    protected BlobStore store() {
        if (store == null) store = new FileBlobStore(dir);
        return store;
    }

    @Override
    protected boolean presigns() { return false; }

    @Override
    protected byte[] download(URI uri) { throw new UnsupportedOperationException(); }

    @Test
    void keysCannotEscapeTheRoot() {
        FileBlobStore s = (FileBlobStore) store();
        for (String bad : new String[] {"../x", "a/../../x", "/etc/passwd", "a//b", "a/./b", ""})
            assertThrows(IllegalArgumentException.class, () -> s.put(bad, new byte[1]), bad);
    }
}
