package dev.tiledgateway.embedded;

import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.BlobWriter;
import dev.tiledgateway.embedded.store.FileBlobStore;
import dev.tiledgateway.testkit.BlobStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void aStreamedWriteGoesToATemporaryFileNotToMemory() throws Exception {
        FileBlobStore s = (FileBlobStore) store();
        java.nio.file.Path folder = java.nio.file.Files.createDirectories(s.fileOf(p + "x").getParent());
        try (BlobWriter w = s.openWrite(p + "streamed")) {
            w.write(new byte[3 * 1024 * 1024]);
            List<java.nio.file.Path> temps;
            try (var files = java.nio.file.Files.list(folder)) {
                temps = files.toList();
            }
            assertEquals(1, temps.size(), temps.toString());
            assertTrue(temps.get(0).getFileName().toString().startsWith(".tmp-"), temps.toString());
            assertTrue(java.nio.file.Files.size(temps.get(0)) >= 3 * 1024 * 1024 - 65536, "bytes were held back in memory");
            w.commit();
        }
        try (var files = java.nio.file.Files.list(folder)) {
            assertEquals(List.of(folder.resolve("streamed")), files.toList());
        }
        try (BlobWriter w = s.openWrite(p + "dropped")) {
            w.write(new byte[1024]);
        }
        try (var files = java.nio.file.Files.list(folder)) {
            assertEquals(List.of(folder.resolve("streamed")), files.toList(), "the abandoned write left its temporary file");
        }
    }

    @Test
    void keysCannotEscapeTheRoot() {
        FileBlobStore s = (FileBlobStore) store();
        for (String bad : new String[] {"../x", "a/../../x", "/etc/passwd", "a//b", "a/./b", ""})
            assertThrows(IllegalArgumentException.class, () -> s.put(bad, new byte[1]), bad);
    }

    /**
     * A file rewritten in place (same inode, same size) right after each look: every write is a version of its own.
     * (On a file system with coarse times this relies on the version waiting out the tick of the write before.)
     */
    @Test
    void inPlaceRewritesOfTheSameSizeAreNewVersions() throws Exception {
        FileBlobStore s = (FileBlobStore) store();
        java.nio.file.Path f = s.root().resolve("inplace.csv");
        java.util.Set<String> tags = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            java.nio.file.Files.write(f, ("x,y\n" + (i % 10) + ",2\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertTrue(tags.add(s.version("inplace.csv").orElseThrow().tag()), "write " + i + " has a version of its own");
        }
    }
}
