package dev.tiledgateway.api.ranges;

import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.embedded.store.FileBlobStore;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Ranged slicing on the embedded folder store. */
class RangedSlicingFileTest extends RangedSlicingContract {

    @TempDir
    static Path dir;

    private static FileBlobStore store;

    @Override
    protected BlobStore store() {
        if (store == null) store = new FileBlobStore(dir);
        return store;
    }
}
