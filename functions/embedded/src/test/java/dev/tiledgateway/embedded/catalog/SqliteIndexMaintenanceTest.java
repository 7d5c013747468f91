package dev.tiledgateway.embedded.catalog;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.query.Comparison;
import dev.tiledgateway.core.query.Eq;
import dev.tiledgateway.core.query.FullText;
import dev.tiledgateway.core.query.Query;
import dev.tiledgateway.core.query.SpecsQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The indexes follow every write in its own transaction: creations, replacements, deletions of subtrees,
 * re-creations, each registration path, and writes that fail; and a catalog written before the indexes existed gets
 * them on its first open.
 */
class SqliteIndexMaintenanceTest {

    private static final NodePath BASE = NodePath.of("base");

    @TempDir
    Path dir;

    private Path file;
    private SqliteCatalog catalog;

    @BeforeEach
    void open() {
        file = dir.resolve("catalog.db");
        catalog = new SqliteCatalog(file);
        catalog.put(Node.container(BASE, Json.object(), List.of()));
    }

    @AfterEach
    void close() throws Exception {
        if (catalog != null) catalog.close();
    }

    private static Node array(NodePath path, ObjectNode metadata, String... specs) {
        List<Spec> s = new ArrayList<>();
        for (String name : specs) s.add(new Spec(name, null));
        return new Node(path, StructureFamily.ARRAY, metadata, s, Json.object(), null, null, 0);
    }

    private static ObjectNode md(String color, String text) { return Json.object().put("color", color).put("text", text); }

    private List<String> found(NodePath parent, Query... filters) {
        List<String> keys = new ArrayList<>();
        for (Node n : catalog.search(parent, List.of(filters), List.of(), 0, 100).nodes()) keys.add(n.path().key());
        return keys;
    }

    private static Eq color(String c) { return new Eq("color", JsonNodeFactory.instance.textNode(c)); }

    @Test
    void aReplacementReplacesTheIndexRows() throws Exception {
        catalog.put(array(BASE.child("a"), md("red", "alpha"), "x"));
        catalog.put(array(BASE.child("a"), md("blue", "beta"), "y"));
        assertEquals(List.of(), found(BASE, color("red")));
        assertEquals(List.of("a"), found(BASE, color("blue")));
        assertEquals(List.of(), found(BASE, new FullText("alpha")));
        assertEquals(List.of("a"), found(BASE, new FullText("beta")));
        assertEquals(List.of(), found(BASE, new SpecsQuery(List.of("x"), List.of())));
        assertEquals(List.of("a"), found(BASE, new SpecsQuery(List.of("y"), List.of())));
        IndexInvariant.check(file);
    }

    @Test
    void deletingASubtreeRemovesTheRowsOfEveryNodeInItAndNoneBeside() throws Exception {
        NodePath sub = BASE.child("sub");
        catalog.put(Node.container(sub, md("red", "top"), List.of(new Spec("s", null))));
        catalog.put(Node.container(sub.child("inner"), md("red", "middle"), List.of()));
        catalog.put(array(sub.child("inner").child("leaf"), md("red", "bottom"), "s"));
        catalog.put(array(BASE.child("subway"), md("red", "beside"), "s"));
        catalog.put(array(BASE.child("sub-x"), md("red", "beside"), "s"));
        assertTrue(catalog.delete(sub));
        IndexInvariant.check(file);
        assertEquals(List.of("subway", "sub-x"), found(BASE, color("red")));
        // Re-created with other content: only the new rows are found, under the new container.
        catalog.put(Node.container(sub, md("green", "again"), List.of()));
        catalog.put(array(sub.child("inner"), md("red", "fresh"), "s"));
        assertEquals(List.of("sub"), found(BASE, color("green")));
        assertEquals(List.of("inner"), found(sub, color("red")));
        assertEquals(List.of(), found(sub, new FullText("middle bottom")));
        assertEquals(List.of("inner"), found(sub, new FullText("fresh")));
        IndexInvariant.check(file);
    }

    @Test
    void everyRegistrationPathKeepsTheIndexes() throws Exception {
        NodePath p = BASE.child("ev");
        catalog.putIfNewer(array(p, md("red", "one")), "src", "01");
        catalog.putIfNewer(array(p, md("red", "one")), "src", "02"); // same content: only the sequencer moves
        catalog.putIfNewer(array(p, md("blue", "two")), "src", "03");
        assertEquals(List.of("ev"), found(BASE, color("blue")));
        IndexInvariant.check(file);
        long revision = catalog.get(p).orElseThrow().revision();
        assertTrue(catalog.replaceIfRevision(array(p, md("green", "three"), "g"), revision).isPresent());
        assertTrue(catalog.replaceIfRevision(array(p, md("black", "four")), revision).isEmpty());
        assertEquals(List.of("ev"), found(BASE, color("green")));
        IndexInvariant.check(file);
        NodePath folder = BASE.child("folder");
        assertTrue(catalog.createIfAbsent(Node.container(folder, Json.object(), List.of())).isPresent());
        assertTrue(catalog.createIfAbsent(Node.container(folder, md("red", "no"), List.of())).isEmpty());
        catalog.putIfNewer(array(folder.child("x"), md("red", "inside")), "x", "01");
        assertEquals(List.of("x"), found(folder, color("red")));
        assertTrue(catalog.removeIfNewer(folder, "folder", "05")); // the subtree goes
        IndexInvariant.check(file);
        assertTrue(catalog.createIfAbsent(Node.container(folder, Json.object(), List.of())).isPresent());
        assertTrue(catalog.removeIfEmptyContainer(folder));
        assertTrue(catalog.removeIfNewer(p, "src", "04"));
        assertEquals(List.of(), found(BASE, color("green")));
        IndexInvariant.check(file);
    }

    @Test
    void aWriteThatFailsLeavesNoIndexRows() throws Exception {
        catalog.put(array(BASE.child("a"), md("red", "kept")));
        catalog.stepHook(step -> {
            throw new IllegalStateException("fails before commit");
        });
        assertThrows(IllegalStateException.class, () -> catalog.put(array(BASE.child("a"), md("blue", "lost"))));
        assertThrows(IllegalStateException.class, () -> catalog.put(array(BASE.child("b"), md("blue", "lost"))));
        assertThrows(IllegalStateException.class, () -> catalog.delete(BASE.child("a")));
        catalog.stepHook(null);
        assertEquals(404, assertThrows(TiledException.class, () -> catalog.put(array(BASE.child("none").child("c"), md("blue", "lost")))).status());
        assertEquals(List.of(), found(BASE, color("blue")));
        assertEquals(List.of("a"), found(BASE, color("red"), new FullText("kept")));
        IndexInvariant.check(file);
    }

    @Test
    void randomWritesKeepTheIndexesExact() throws Exception {
        RandomSearches r = new RandomSearches(7, true);
        List<NodePath> containers = new ArrayList<>(List.of(BASE));
        for (int i = 0; i < 300; i++) {
            NodePath parent = containers.get(r.nextInt(containers.size()));
            NodePath path = parent.child("k" + r.nextInt(12));
            try {
                switch (r.nextInt(6)) {
                    case 0, 1 -> {
                        Node n = r.child(path);
                        catalog.put(n);
                        if (n.isContainer()) containers.add(path);
                    }
                    case 2 -> catalog.delete(path);
                    case 3 -> catalog.putIfNewer(r.child(path), "s", Integer.toHexString(i));
                    case 4 -> catalog.removeIfNewer(path, "s", Integer.toHexString(i));
                    default -> catalog.get(path).ifPresent(n -> catalog.replaceIfRevision(r.child(path), n.revision()));
                }
            } catch (TiledException e) {
                assertTrue(e.status() == 404 || e.status() == 409, e.getMessage()); // a parent deleted meanwhile, or a leaf
            }
        }
        IndexInvariant.check(file);
    }

    @Test
    void aCatalogWrittenBeforeTheIndexesGetsThemAtItsFirstOpen() throws Exception {
        catalog.close();
        catalog = null;
        Path old = dir.resolve("old.db");
        writePreviousVersion(old);
        try (SqliteCatalog opened = new SqliteCatalog(old)) {
            IndexInvariant.check(old);
            NodePath x = NodePath.of("x");
            assertEquals(List.of("a", "y"), keys(opened.search(x, List.of(color("red")), List.of(), 0, 10).nodes()));
            assertEquals(List.of("b"), keys(opened.search(x, List.of(new FullText("Ünïcode")), List.of(), 0, 10).nodes()));
            assertEquals(List.of("b"), keys(opened.search(x, List.of(new SpecsQuery(List.of("xarray_dataset"), List.of())), List.of(), 0, 10).nodes()));
            assertEquals(List.of("c"), keys(opened.search(x.child("y"), List.of(new Eq("n", JsonNodeFactory.instance.numberNode(3.0))), List.of(), 0, 10).nodes()));
            List<Query> huge = List.of(new Comparison(Comparison.Operator.GT, "n", JsonNodeFactory.instance.numberNode(1e300)));
            assertEquals(List.of("inf"), keys(opened.search(x.child("y"), huge, List.of(), 0, 10).nodes()));
            assertEquals(RandomSearches.reference(opened, x.child("y"), huge, List.of(), 0, 10), opened.search(x.child("y"), huge, List.of(), 0, 10));
            opened.put(array(x.child("d"), md("red", "new")));
        }
        try (SqliteCatalog again = new SqliteCatalog(old)) { // opened again: nothing rebuilt, nothing lost
            assertEquals(List.of("a", "y", "d"), keys(again.search(NodePath.of("x"), List.of(color("red")), List.of(), 0, 10).nodes()));
        }
        IndexInvariant.check(old);
    }

    private static List<String> keys(List<Node> nodes) {
        List<String> out = new ArrayList<>();
        for (Node n : nodes) out.add(n.path().key());
        return out;
    }

    /** A catalog file as the version before the indexes wrote it: its tables and rows, user_version 0. */
    private static void writePreviousVersion(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("CREATE TABLE IF NOT EXISTS nodes (path TEXT PRIMARY KEY, parent TEXT, key TEXT NOT NULL, "
                    + "seq INTEGER NOT NULL, revision INTEGER NOT NULL, family TEXT NOT NULL, metadata TEXT NOT NULL, "
                    + "specs TEXT NOT NULL, structure TEXT, data_source TEXT, sorting TEXT)");
            s.execute("CREATE INDEX IF NOT EXISTS nodes_by_parent ON nodes(parent, seq)");
            s.execute("INSERT OR IGNORE INTO nodes(path, parent, key, seq, revision, family, metadata, specs) "
                    + "VALUES ('', NULL, '', 0, 1, 'container', '{}', '[]')");
            s.execute("CREATE TABLE IF NOT EXISTS registrations (path TEXT NOT NULL, source TEXT NOT NULL, "
                    + "sequencer TEXT NOT NULL, removed INTEGER NOT NULL, PRIMARY KEY (path, source)) WITHOUT ROWID");
            String insert = "INSERT INTO nodes(family, metadata, specs, structure, data_source, sorting, revision, parent, key, path, seq) "
                    + "VALUES (?, ?, ?, NULL, NULL, NULL, 1, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM nodes))";
            String[][] rows = {
                    {"container", "{}", "[]", "", "x", "x"},
                    {"array", "{\"color\":\"red\",\"text\":\"plain words\"}", "[]", "x", "a", "x/a"},
                    {"table", "{\"color\":\"blue\",\"title\":\"\\u00dcn\\u00efcode title\"}", "[{\"name\":\"xarray_dataset\",\"version\":null}]", "x", "b", "x/b"},
                    {"container", "{\"color\":\"red\"}", "[]", "x", "y", "x/y"},
                    {"array", "{\"n\":3,\"tags\":[1,\"two\"]}", "[]", "x/y", "c", "x/y/c"},
                    // Written by another tool: a number past a double, read as infinity (the gateway would write "Infinity").
                    {"array", "{\"n\":1e400}", "[]", "x/y", "inf", "x/y/inf"},
            };
            try (PreparedStatement ps = c.prepareStatement(insert)) {
                for (String[] row : rows) {
                    for (int i = 0; i < row.length; i++) ps.setString(i + 1, row[i]);
                    ps.executeUpdate();
                }
            }
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                rs.next();
                assertEquals(0, rs.getInt(1));
            }
        }
    }
}
