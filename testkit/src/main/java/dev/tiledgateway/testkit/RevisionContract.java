package dev.tiledgateway.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Revision;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.query.Eq;
import dev.tiledgateway.core.query.FullText;
import dev.tiledgateway.core.query.Query;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link Catalog#updateMetadata} and the revision methods must do on every writable catalog: revisions numbered
 * from 1 in update order and never reused, paging, deletion, updates without a revision, the compare-and-set on the
 * node's revision (also under real concurrent writers: no update is lost), search indexes that follow the update,
 * revisions removed with their node, and registration keeping what an update wrote. Each test works in a fresh
 * container under the root, so catalogs may be shared between tests.
 */
public abstract class RevisionContract {

    protected abstract Catalog catalog();

    /** Concurrent writers in {@link #concurrentUpdatesNeverLoseOne}; an emulator that answers slowly may ask for fewer. */
    protected int writers() { return 8; }

    protected NodePath base;

    @BeforeEach
    void freshContainer() {
        base = NodePath.of("revisions-" + UUID.randomUUID());
        catalog().put(Node.container(base, Json.object(), List.of()));
    }

    protected static ObjectNode md(String k, Object v) {
        ObjectNode o = Json.object();
        o.set(k, Json.mapper().valueToTree(v));
        return o;
    }

    protected Node array(NodePath path, ObjectNode metadata, int length) {
        ObjectNode structure = Json.object();
        structure.putArray("shape").add(length);
        return new Node(path, StructureFamily.ARRAY, metadata, List.of(new Spec("demo", "1")), structure,
                new DataSource("application/x-zarr", List.of(new Asset("data/" + path.joined() + "/", true, "data_uri"))), null, 0);
    }

    /** Updates the node as it is now, saving a revision; fails the test if it raced. */
    private Node update(NodePath p, ObjectNode metadata, List<Spec> specs) {
        Node now = catalog().get(p).orElseThrow();
        return catalog().updateMetadata(p, now.revision(), metadata, specs, true).orElseThrow();
    }

    private List<Long> numbers(List<Revision> revisions) {
        List<Long> out = new ArrayList<>();
        for (Revision r : revisions) out.add(r.number());
        return out;
    }

    @Test
    void revisionsAreNumberedFromOneAndHoldTheStateBeforeEachUpdate() {
        NodePath p = base.child("a");
        Node created = catalog().put(array(p, md("v", 0), 3));
        Instant before = Instant.now().minusSeconds(1);
        Node first = update(p, md("v", 1), List.of(new Spec("xdi", "1.0")));
        update(p, md("v", 2), List.of());

        List<Revision> revisions = catalog().revisions(p, 0, 100);
        assertEquals(List.of(1L, 2L), numbers(revisions));
        assertEquals(0, revisions.get(0).metadata().get("v").asInt());
        assertEquals(List.of(new Spec("demo", "1")), revisions.get(0).specs());
        assertEquals(1, revisions.get(1).metadata().get("v").asInt());
        assertEquals(List.of(new Spec("xdi", "1.0")), revisions.get(1).specs());
        for (Revision r : revisions) {
            assertTrue(!r.timeUpdated().isBefore(before) && r.timeUpdated().isBefore(Instant.now().plus(Duration.ofMinutes(1))), r.timeUpdated().toString());
        }
        assertEquals(2, catalog().countRevisions(p));
        assertNotEquals(created.revision(), first.revision(), "an update is a new revision of the node");

        Node now = catalog().get(p).orElseThrow();
        assertEquals(2, now.metadata().get("v").asInt());
        assertEquals(List.of(), now.specs());
    }

    @Test
    void anUpdateKeepsEverythingButMetadataAndSpecs() {
        NodePath p = base.child("kept");
        Node created = catalog().put(array(p, md("v", 0), 7));
        Node updated = update(p, md("v", 1), List.of(new Spec("other", null)));
        Node read = catalog().get(p).orElseThrow();
        assertEquals(updated.revision(), read.revision());
        assertEquals(created.family(), read.family());
        assertEquals(7, read.structure().get("shape").get(0).asInt());
        assertEquals(created.dataSource(), read.dataSource());
        assertEquals(List.of(new Spec("other", null)), read.specs());
    }

    @Test
    void revisionsPageByOffsetAndLimit() {
        NodePath p = base.child("paged");
        catalog().put(array(p, md("v", 0), 3));
        for (int i = 1; i <= 5; i++) update(p, md("v", i), List.of());
        assertEquals(5, catalog().countRevisions(p));
        assertEquals(List.of(2L, 3L), numbers(catalog().revisions(p, 1, 2)));
        assertEquals(List.of(5L), numbers(catalog().revisions(p, 4, 10)));
        assertEquals(List.of(), numbers(catalog().revisions(p, 5, 10)));
        assertEquals(List.of(), numbers(catalog().revisions(p, 0, 0)));
        assertEquals(2, catalog().revisions(p, 2, 1).get(0).metadata().get("v").asInt());
    }

    @Test
    void aDeletedRevisionIsGoneAndItsNumberIsNeverHandedOutAgain() {
        NodePath p = base.child("deleting");
        catalog().put(array(p, md("v", 0), 3));
        for (int i = 1; i <= 3; i++) update(p, md("v", i), List.of());
        Node before = catalog().get(p).orElseThrow();
        assertTrue(catalog().deleteRevision(p, 2));
        assertFalse(catalog().deleteRevision(p, 2), "already deleted");
        assertFalse(catalog().deleteRevision(p, 99), "never existed");
        assertEquals(List.of(1L, 3L), numbers(catalog().revisions(p, 0, 10)));
        assertEquals(2, catalog().countRevisions(p));
        assertEquals(before, catalog().get(p).orElseThrow(), "deleting a revision leaves the node as it was");

        assertTrue(catalog().deleteRevision(p, 3));
        update(p, md("v", 4), List.of());
        assertEquals(List.of(1L, 4L), numbers(catalog().revisions(p, 0, 10)), "the last number is not reused");
        assertEquals(3, catalog().revisions(p, 1, 1).get(0).metadata().get("v").asInt());
    }

    @Test
    void anUpdateWithoutARevisionRecordsNone() {
        NodePath p = base.child("dropped");
        catalog().put(array(p, md("v", 0), 3));
        Node now = catalog().get(p).orElseThrow();
        Node updated = catalog().updateMetadata(p, now.revision(), md("v", 1), List.of(), false).orElseThrow();
        assertEquals(0, catalog().countRevisions(p));
        assertEquals(1, catalog().get(p).orElseThrow().metadata().get("v").asInt());
        assertNotEquals(now.revision(), updated.revision());
        update(p, md("v", 2), List.of());
        assertEquals(List.of(1L), numbers(catalog().revisions(p, 0, 10)));
        assertEquals(1, catalog().revisions(p, 0, 10).get(0).metadata().get("v").asInt());
    }

    @Test
    void aMissingNodeHasNoRevisionsAndCannotBeUpdated() {
        NodePath p = base.child("missing");
        assertTrue(catalog().updateMetadata(p, 1, md("v", 1), List.of(), true).isEmpty());
        assertEquals(0, catalog().countRevisions(p));
        assertEquals(List.of(), catalog().revisions(p, 0, 10));
        assertFalse(catalog().deleteRevision(p, 1));
        assertTrue(catalog().get(p).isEmpty(), "an update never creates a node");
    }

    @Test
    void anUpdateAtAnotherRevisionChangesNothing() {
        NodePath p = base.child("stale");
        Node created = catalog().put(array(p, md("v", 0), 3));
        Node updated = update(p, md("v", 1), List.of());
        Optional<Node> stale = catalog().updateMetadata(p, created.revision(), md("v", 99), List.of(), true);
        assertTrue(stale.isEmpty());
        assertEquals(updated, catalog().get(p).orElseThrow());
        assertEquals(1, catalog().countRevisions(p));
    }

    @Test
    void metadataOverTheBoundIsA413AndNothingChanges() {
        NodePath p = base.child("big");
        Node created = catalog().put(array(p, md("v", 0), 3));
        ObjectNode big = md("blob", "x".repeat(Node.MAX_METADATA_BYTES));
        TiledException e = assertThrows(TiledException.class, () -> catalog().updateMetadata(p, created.revision(), big, List.of(), true));
        assertEquals(413, e.status());
        assertEquals(created, catalog().get(p).orElseThrow());
        assertEquals(0, catalog().countRevisions(p));
    }

    /**
     * Real threads each read the node, add one to a counter in its metadata and write it back conditioned on the
     * revision read, reading again when another won: every increment lands, and each made one revision.
     */
    @Test
    void concurrentUpdatesNeverLoseOne() throws Exception {
        NodePath p = base.child("counter");
        catalog().put(array(p, md("count", 0), 3));
        int n = writers();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger lostRaces = new AtomicInteger();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                done.add(pool.submit(() -> {
                    start.await();
                    while (true) {
                        Node now = catalog().get(p).orElseThrow();
                        ObjectNode next = now.metadata().deepCopy();
                        next.put("count", now.metadata().get("count").asInt() + 1);
                        if (catalog().updateMetadata(p, now.revision(), next, now.specs(), true).isPresent()) return null;
                        lostRaces.incrementAndGet();
                    }
                }));
            }
            start.countDown();
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertEquals(n, catalog().get(p).orElseThrow().metadata().get("count").asInt(), "no increment lost (" + lostRaces + " races lost and retried)");
        List<Revision> revisions = catalog().revisions(p, 0, 100);
        assertEquals(n, catalog().countRevisions(p));
        for (int i = 0; i < n; i++) {
            assertEquals(i + 1, revisions.get(i).number());
            assertEquals(i, revisions.get(i).metadata().get("count").asInt(), "revision " + (i + 1) + " holds the count before the update that made it");
        }
    }

    @Test
    void searchFindsTheNewMetadataAndNotTheOld() {
        NodePath p = base.child("searched");
        catalog().put(array(p, md("color", "red"), 3));
        catalog().put(array(base.child("other"), md("color", "green"), 3));
        ObjectNode next = md("color", "blue");
        next.put("title", "zirconium sample");
        update(p, next, List.of());
        assertEquals(List.of("searched"), keys(List.of(new Eq("color", Json.mapper().valueToTree("blue")))));
        assertEquals(List.of(), keys(List.of(new Eq("color", Json.mapper().valueToTree("red")))));
        assertEquals(List.of("searched"), keys(List.of(new FullText("zirconium"))));
        assertEquals(List.of("other"), keys(List.of(new Eq("color", Json.mapper().valueToTree("green")))));
        update(p, md("color", "red"), List.of());
        assertEquals(List.of(), keys(List.of(new FullText("zirconium"))));
        assertEquals(List.of("searched"), keys(List.of(new Eq("color", Json.mapper().valueToTree("red")))));
    }

    private List<String> keys(List<Query> filters) {
        List<String> out = new ArrayList<>();
        for (Node n : catalog().search(base, filters, List.of(), 0, 100).nodes()) out.add(n.path().key());
        return out;
    }

    @Test
    void revisionsGoWithTheirNode() {
        NodePath p = base.child("removed");
        catalog().put(array(p, md("v", 0), 3));
        update(p, md("v", 1), List.of());
        update(p, md("v", 2), List.of());
        assertTrue(catalog().delete(p));
        assertEquals(0, catalog().countRevisions(p));
        catalog().put(array(p, md("v", 10), 3));
        assertEquals(0, catalog().countRevisions(p), "a new node at the path starts without revisions");
        assertEquals(List.of(), catalog().revisions(p, 0, 10));
        update(p, md("v", 11), List.of());
        assertEquals(List.of(1L), numbers(catalog().revisions(p, 0, 10)));
        assertEquals(10, catalog().revisions(p, 0, 10).get(0).metadata().get("v").asInt());
    }

    @Test
    void revisionsGoWithTheSubtreeTheyAreIn() {
        NodePath folder = base.child("folder");
        NodePath p = folder.child("leaf");
        catalog().put(Node.container(folder, md("v", 0), List.of()));
        catalog().put(array(p, md("v", 0), 3));
        update(p, md("v", 1), List.of());
        update(folder, md("v", 1), List.of());
        assertTrue(catalog().delete(folder));
        catalog().put(Node.container(folder, Json.object(), List.of()));
        catalog().put(array(p, md("v", 5), 3));
        assertEquals(0, catalog().countRevisions(folder));
        assertEquals(0, catalog().countRevisions(p));
        update(p, md("v", 6), List.of());
        assertEquals(List.of(1L), numbers(catalog().revisions(p, 0, 10)));
    }

    @Test
    void revisionsGoWithANodeTheIndexerRemoves() {
        NodePath p = base.child("unregistered");
        catalog().putIfNewer(array(p, md("v", 0), 3), "unregistered.zarr/.zarray", "01");
        update(p, md("v", 1), List.of());
        assertTrue(catalog().removeIfNewer(p, "unregistered.zarr/.zarray", "02"));
        catalog().putIfNewer(array(p, md("v", 0), 3), "unregistered.zarr/.zarray", "03");
        assertEquals(0, catalog().countRevisions(p));
        assertEquals(0, catalog().get(p).orElseThrow().metadata().get("v").asInt(), "a new registration of a removed node starts from its object");
    }

    /**
     * The rule for externally registered nodes: once a user changed a node's metadata through the API, registering the
     * node again (its object changed) takes the new structure and data source but keeps the user's metadata and specs.
     */
    @Test
    void registrationAgainKeepsMetadataAnUpdateWrote() {
        NodePath edited = base.child("edited");
        NodePath untouched = base.child("untouched");
        catalog().putIfNewer(array(edited, md("from", "object"), 3), "edited.zarr/.zarray", "01");
        catalog().putIfNewer(array(untouched, md("from", "object"), 3), "untouched.zarr/.zarray", "01");
        Node now = catalog().get(edited).orElseThrow();
        catalog().updateMetadata(edited, now.revision(), md("from", "user"), List.of(new Spec("annotated", null)), false).orElseThrow();

        Node again = catalog().putIfNewer(array(edited, md("from", "object v2"), 9), "edited.zarr/.zarray", "02").orElseThrow();
        assertEquals("user", again.metadata().get("from").asText());
        Node read = catalog().get(edited).orElseThrow();
        assertEquals("user", read.metadata().get("from").asText());
        assertEquals(List.of(new Spec("annotated", null)), read.specs());
        assertEquals(9, read.structure().get("shape").get(0).asInt(), "the structure still follows the object");

        catalog().putIfNewer(array(untouched, md("from", "object v2"), 9), "untouched.zarr/.zarray", "02").orElseThrow();
        assertEquals("object v2", catalog().get(untouched).orElseThrow().metadata().get("from").asText());
    }
}
