package dev.tiledgateway.local;

import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.embedded.store.FileBlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ChangedDataContract} on a served, watched folder; and a change made while the server was down. */
class ChangedDataInFolderHttpTest extends ChangedDataContract {

    @TempDir
    static Path root;
    private static Path data;
    private static Main.Running running;
    private static Http http;
    private static FileBlobStore store;

    @BeforeAll
    static void serve() throws Exception {
        data = root.resolve("served");
        store = new FileBlobStore(data);
        running = Main.serveDirectory("127.0.0.1", 0, data, MAX_INLINE);
        http = new Http(running);
    }

    @AfterAll
    static void stop() { running.close(); }

    @Override
    Http http() { return http; }

    @Override
    BlobStore store() { return store; }

    @Test
    void aFileChangedWhileTheServerWasDownIsServedNewAfterARestart() throws Exception {
        store.put("offline/t.csv", "x,y\n1,2\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, http.await("/api/v1/metadata/offline/t", 200));
        String url = "/api/v1/table/full/offline/t?format=text/csv";
        Answer before = await(url, a -> a.status() == 200, "the first rows");
        assertTrue(before.text().contains("1,2"));
        running.close(); // the server, its watcher and the lock on its catalog
        store.put("offline/t.csv", "x,y\n5,6\n".getBytes(StandardCharsets.UTF_8));
        running = Main.serveDirectory("127.0.0.1", 0, data, MAX_INLINE);
        http = new Http(running);
        Answer after = await(url, a -> a.status() == 200, "the rows after the restart");
        assertTrue(after.text().contains("5,6"), after.text());
        assertNotEquals(before.etag(), after.etag(), "a client's cached ETag from before the restart does not match the new rows");
        assertEquals(200, http.get(url, "If-None-Match", before.etag()).statusCode());
    }

    @Test
    void columnSelectionsThatPrintAlikeAreAnsweredApart() throws Exception {
        // Columns "a", "b" and "a, b": the selection [a, b] and the selection [a, b] of one column print alike as lists.
        store.put("alike/t.csv", "a,b,\"a, b\"\n1,2,3\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, http.await("/api/v1/metadata/alike/t", 200));
        String base = "/api/v1/table/partition/alike/t?partition=0&format=text/csv";
        Answer two = await(base + "&column=a&column=b", a -> a.status() == 200, "columns a and b");
        Answer one = await(base + "&column=a%2C%20b", a -> a.status() == 200, "column 'a, b'");
        assertNotEquals(two.etag(), one.etag());
        assertTrue(two.text().contains("1,2") && !two.text().contains("3"), two.text());
        assertTrue(one.text().contains("3") && !one.text().contains("1,2"), one.text());
    }
}
