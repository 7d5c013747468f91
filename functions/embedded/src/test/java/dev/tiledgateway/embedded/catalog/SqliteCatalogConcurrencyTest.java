package dev.tiledgateway.embedded.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded catalog with real threads: readers are not held up by a write transaction in progress (and do not see
 * it), a read in progress does not hold up a writer's commit (and keeps its snapshot), and many concurrent writers keep
 * exact counts, unique positions and one revision per write.
 */
class SqliteCatalogConcurrencyTest {

    /** A bound for a busy machine, never met when the catalog works: the test fails only when readers wait for the writer. */
    private static final long PATIENCE_SECONDS = 60;
    private static final NodePath BASE = NodePath.of("base");

    @TempDir
    Path dir;

    private SqliteCatalog catalog;
    private ExecutorService pool;

    @BeforeEach
    void open() {
        catalog = new SqliteCatalog(dir.resolve("catalog.db"));
        catalog.put(Node.container(BASE, Json.object(), List.of()));
        pool = Executors.newFixedThreadPool(8);
    }

    @AfterEach
    void close() throws Exception {
        catalog.stepHook(null);
        pool.shutdownNow();
        catalog.close();
    }

    private static Node leaf(NodePath path, int v) {
        ObjectNode structure = Json.object();
        structure.putArray("shape").add(3);
        return new Node(path, StructureFamily.ARRAY, Json.object().put("v", v), List.of(new Spec("demo", "1")), structure,
                new DataSource("application/x-zarr", List.of(new Asset("data/" + path.joined() + "/", true, "data_uri"))), null, 0);
    }

    @Test
    void readersProgressWhileAWriterHoldsItsTransactionAndDoNotSeeIt() throws Exception {
        for (int i = 0; i < 10; i++) catalog.put(leaf(BASE.child("x" + i), i));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        catalog.stepHook(step -> {
            holding.countDown();
            try {
                release.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Future<Node> writer = pool.submit(() -> catalog.put(leaf(BASE.child("pending"), 99)));
        try {
            assertTrue(holding.await(PATIENCE_SECONDS, TimeUnit.SECONDS), "the writer's transaction is open");
            catalog.stepHook(null); // writes after this one commit at once; this one stays open until released
            List<Future<List<Object>>> reads = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                reads.add(pool.submit(() -> {
                    List<Object> seen = new ArrayList<>();
                    for (int r = 0; r < 20; r++) {
                        seen.add(catalog.countChildren(BASE));
                        seen.add(catalog.children(BASE, List.of(), 0, 100).size());
                        seen.add(catalog.get(BASE.child("pending")).isPresent());
                        seen.add(catalog.children(BASE, List.of(new SortKey("v", -1)), 0, 1).getFirst().path().key());
                    }
                    return seen;
                }));
            }
            for (Future<List<Object>> f : reads) {
                List<Object> seen = f.get(PATIENCE_SECONDS, TimeUnit.SECONDS); // fails here if readers wait for the writer
                for (int r = 0; r < seen.size(); r += 4) {
                    assertEquals(10L, seen.get(r), "the count before the writer commits");
                    assertEquals(10, seen.get(r + 1));
                    assertEquals(false, seen.get(r + 2), "a write in progress is invisible");
                    assertEquals("x9", seen.get(r + 3));
                }
            }
            assertFalse(writer.isDone(), "the writer was still holding its transaction while they read");
        } finally {
            release.countDown();
        }
        assertEquals(1, writer.get(PATIENCE_SECONDS, TimeUnit.SECONDS).revision());
        assertEquals(11, catalog.countChildren(BASE));
        assertEquals(99, catalog.get(BASE.child("pending")).orElseThrow().metadata().get("v").asInt());
    }

    /**
     * What the write-ahead log adds: a read transaction that is open (here on a second connection to the file, as
     * another process would hold one) neither stops the writer from committing nor sees that commit. With a rollback
     * journal the commit waits for the reader's lock until the busy timeout and then fails; the test above cannot tell
     * the two apart, since a write that has not begun to commit blocks no reader in either mode.
     */
    @Test
    void aReadInProgressDoesNotHoldUpAWriterAndKeepsItsSnapshot() throws Exception {
        for (int i = 0; i < 3; i++) catalog.put(leaf(BASE.child("x" + i), i));
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("catalog.db").toAbsolutePath())) {
            other.setAutoCommit(false);
            long before = nodeRows(other); // the read transaction has begun and holds its snapshot
            Node written = catalog.put(leaf(BASE.child("during"), 7)); // commits while that read is open
            assertEquals(1, written.revision());
            assertEquals(4, catalog.countChildren(BASE), "the catalog's own readers see the commit");
            assertEquals(before, nodeRows(other), "the open read still sees its snapshot");
            other.commit();
            assertEquals(before + 1, nodeRows(other), "a new read sees the commit");
        }
    }

    private static long nodeRows(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM nodes")) {
            assertTrue(r.next());
            return r.getLong(1);
        }
    }

    @Test
    void concurrentWritersKeepExactCountsUniquePositionsAndOneRevisionPerWrite() throws Exception {
        int writers = 6;
        int perWriter = 150;
        int sharedPuts = 40;
        NodePath shared = BASE.child("shared");
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong readsDone = new AtomicLong();
        List<Future<?>> work = new ArrayList<>();
        // Readers all along: a count never goes down (only creations run) and never disagrees with a full listing taken after it by more than the writes in between.
        Future<?> reader = pool.submit(() -> {
            long last = 0;
            while (writing.get()) {
                long n = catalog.countChildren(BASE);
                assertTrue(n >= last, "the count went from " + last + " down to " + n);
                last = n;
                List<Node> all = catalog.children(BASE, List.of(), 0, 10_000);
                assertTrue(all.size() >= n);
                assertEquals(all.size(), new HashSet<>(all.stream().map(x -> x.path().key()).toList()).size(), "a child listed twice");
                readsDone.incrementAndGet();
            }
            return null;
        });
        for (int w = 0; w < writers; w++) {
            int id = w;
            work.add(pool.submit(() -> {
                for (int i = 0; i < perWriter; i++) {
                    NodePath p = BASE.child("w" + id + "-" + i);
                    if (i % 2 == 0) catalog.put(leaf(p, i));
                    else catalog.putIfNewer(leaf(p, i), "w" + id + "-" + i + ".zarr", Long.toHexString(i + 1));
                    if (i < sharedPuts) catalog.put(leaf(shared, id * 1000 + i)); // every writer replaces one node too
                }
                return null;
            }));
        }
        for (Future<?> f : work) f.get(5 * PATIENCE_SECONDS, TimeUnit.SECONDS);
        writing.set(false);
        reader.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        assertTrue(readsDone.get() > 0);

        int expected = writers * perWriter + 1;
        assertEquals(expected, catalog.countChildren(BASE));
        List<Node> all = catalog.children(BASE, List.of(), 0, 10_000);
        Set<String> keys = new HashSet<>();
        for (Node n : all) keys.add(n.path().key());
        assertEquals(expected, keys.size(), "each child once");
        for (int offset = 0; offset < expected; offset += 97) {
            assertEquals(all.get(offset).path(), catalog.children(BASE, List.of(), offset, 1).getFirst().path(), "positions are stable");
        }
        assertEquals((long) writers * sharedPuts, catalog.get(shared).orElseThrow().revision(), "no replacement lost or doubled");
    }
}
