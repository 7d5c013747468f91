package dev.tiledgateway.embedded;

import dev.tiledgateway.embedded.store.FileBlobStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The file store reads, lists and writes nothing outside its folder: below the root it never follows a symbolic
 * link (out of the folder or back into it), and a path through one answers exactly as a missing object does.
 */
class FileBlobStoreBoundaryTest {

    @TempDir
    Path tmp;

    private Path root;
    private Path outside;
    private FileBlobStore store;

    @BeforeEach
    void folders() throws IOException {
        root = Files.createDirectories(tmp.resolve("served"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.csv"), "secret\n");
        Files.createDirectories(root.resolve("real"));
        Files.writeString(root.resolve("real").resolve("data.csv"), "a,b\n1,2\n");
        store = new FileBlobStore(root);
    }

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private URI uri(Path p) { return URI.create("file://localhost" + p.toUri().getRawPath()); }

    private void assertNothingAt(String key) throws IOException {
        assertEquals(Optional.empty(), store.get(key), key);
        assertEquals(Optional.empty(), store.getRange(key, 0, 4), key);
        assertEquals(Optional.empty(), store.getRange(key, -4, 4), key);
        assertEquals(Optional.empty(), store.size(key), key);
        assertEquals(Optional.empty(), store.regularFile(key), key);
    }

    @Test
    void aFileLinkedFromOutsideReadsAsNothing() throws IOException {
        Files.createSymbolicLink(root.resolve("leak.csv"), outside.resolve("secret.csv"));
        assertNothingAt("leak.csv");
    }

    @Test
    void aFolderLinkedFromOutsideReadsAsNothing() throws IOException {
        Files.createSymbolicLink(root.resolve("leakdir"), outside);
        assertNothingAt("leakdir/secret.csv");
        assertEquals(List.of(), store.list("leakdir/"));
    }

    @Test
    void aLinkToTheFilesystemRootReadsAsNothing() throws IOException {
        Files.createSymbolicLink(root.resolve("rootlink"), Path.of("/"));
        assertNothingAt("rootlink/etc/passwd");
        assertNothingAt("rootlink/proc/self/environ");
    }

    @Test
    void aLinkThatStaysInsideTheRootIsNotFollowed() throws IOException {
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));
        Files.createSymbolicLink(root.resolve("alias.csv"), root.resolve("real").resolve("data.csv"));
        assertNothingAt("alias/data.csv");
        assertNothingAt("alias.csv");
        assertArrayEquals(bytes("a,b\n1,2\n"), store.get("real/data.csv").orElseThrow(), "the file itself reads");
    }

    @Test
    void listingsLeaveLinksOut() throws IOException {
        Files.createSymbolicLink(root.resolve("leak.csv"), outside.resolve("secret.csv"));
        Files.createSymbolicLink(root.resolve("leakdir"), outside);
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));
        assertEquals(List.of("real/data.csv"), store.list(""));
    }

    @Test
    void aCycleOfLinksIsListedWithoutLooping() throws IOException {
        Files.createSymbolicLink(root.resolve("real").resolve("loop"), root);
        assertEquals(List.of("real/data.csv"), store.list(""));
        assertEquals(List.of(), store.list("real/loop/"));
    }

    @Test
    void dataUrisThroughALinkNameNoKey() throws IOException {
        Files.createSymbolicLink(root.resolve("rootlink"), Path.of("/"));
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));
        assertEquals(Optional.empty(), store.keyOf(uri(root.resolve("rootlink/etc/passwd"))));
        assertEquals(Optional.empty(), store.keyOf(uri(root.resolve("alias/data.csv"))));
        assertEquals(Optional.of("real/data.csv"), store.keyOf(uri(root.resolve("real/data.csv"))));
    }

    @Test
    void outsidePathsNameNoKeyWhetherOrNotTheyExist() throws IOException {
        Files.createSymbolicLink(root.resolve("rootlink"), Path.of("/"));
        for (Path p : new Path[] {root.resolve("rootlink/etc/passwd"), root.resolve("rootlink/etc/no-such-file"),
                root.resolve("rootlink/no-such-folder/x"), outside.resolve("secret.csv"), outside.resolve("no-such-file"),
                root.resolve("real/../../outside/secret.csv")})
            assertEquals(Optional.empty(), store.keyOf(uri(p)), p.toString());
    }

    @Test
    void fileUrisWithoutAnAuthorityNameNoKey() {
        for (String u : new String[] {"file:relative", "file:/etc/passwd", "file:" + root.resolve("real/data.csv"), "file://otherhost/x"})
            assertEquals(Optional.empty(), store.keyOf(URI.create(u)), u);
    }

    @Test
    void aKeyThroughAPlainFileNamesNothing() throws IOException {
        assertNothingAt("real/data.csv/.zarray");
        assertNothingAt("real/data.csv/zarr.json");
        assertEquals(List.of(), store.list("real/data.csv/"));
    }

    @Test
    void writesThroughALinkedFolderAreRefused() throws IOException {
        Files.createSymbolicLink(root.resolve("leakdir"), outside);
        assertThrows(IOException.class, () -> store.put("leakdir/planted", bytes("x")));
        assertThrows(IOException.class, () -> store.put("leakdir/sub/planted", bytes("x")));
        assertFalse(Files.exists(outside.resolve("planted")));
        assertFalse(Files.exists(outside.resolve("sub")));
    }

    @Test
    void deletesThroughALinkRemoveNothing() throws IOException {
        Files.createSymbolicLink(root.resolve("leakdir"), outside);
        Files.createSymbolicLink(root.resolve("leak.csv"), outside.resolve("secret.csv"));
        store.delete("leakdir/secret.csv");
        store.delete("leak.csv");
        assertTrue(Files.exists(outside.resolve("secret.csv")));
    }

    @Test
    void aRootGivenThroughALinkServesItsFiles() throws IOException {
        Path linkedRoot = Files.createSymbolicLink(tmp.resolve("served-link"), root);
        FileBlobStore viaLink = new FileBlobStore(linkedRoot);
        assertArrayEquals(bytes("a,b\n1,2\n"), viaLink.get("real/data.csv").orElseThrow());
        assertEquals(Optional.of("real/data.csv"), viaLink.keyOf(uri(linkedRoot.resolve("real/data.csv"))), "named under the given root");
        assertEquals(Optional.of("real/data.csv"), viaLink.keyOf(uri(root.resolve("real/data.csv"))), "named under the real root");
    }
}
