package dev.tiledgateway.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Registration;
import dev.tiledgateway.core.catalog.Sequencers;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link Catalog} adapter must do, embedded or AWS. Each test works in a fresh container
 * under the root, so catalogs may be shared between tests.
 */
public abstract class CatalogContract {

    protected abstract Catalog catalog();

    protected NodePath base;

    @BeforeEach
    void freshContainer() {
        base = NodePath.of("contract-" + UUID.randomUUID());
        catalog().put(Node.container(base, Json.object(), List.of()));
    }

    protected static ObjectNode md(String k, Object v) {
        ObjectNode o = Json.object();
        o.set(k, Json.mapper().valueToTree(v));
        return o;
    }

    protected Node array(NodePath path, ObjectNode metadata) {
        ObjectNode structure = Json.object();
        structure.putArray("shape").add(3);
        return new Node(path, StructureFamily.ARRAY, metadata, List.of(new Spec("demo", "1")), structure,
                new DataSource("application/x-zarr", List.of(new Asset("data/" + path.joined() + "/", true, "data_uri"))), null, 0);
    }

    private List<String> keys(List<Node> nodes) {
        List<String> k = new ArrayList<>();
        for (Node n : nodes) k.add(n.path().key());
        return k;
    }

    @Test
    void theRootAlwaysExists() {
        assertTrue(catalog().get(NodePath.ROOT).orElseThrow().isContainer());
    }

    @Test
    void aStoredNodeReadsBackWhole() {
        Node put = catalog().put(array(base.child("x"), md("color", "red")));
        Node got = catalog().get(base.child("x")).orElseThrow();
        assertEquals(StructureFamily.ARRAY, got.family());
        assertEquals("red", got.metadata().get("color").asText());
        assertEquals(List.of(new Spec("demo", "1")), got.specs());
        assertEquals(3, got.structure().get("shape").get(0).asInt());
        assertEquals("data/" + base.joined() + "/x/", got.dataSource().asset("data_uri").key());
        assertEquals(put.revision(), got.revision());
    }

    @Test
    void metadataOverTheBoundIsA413AndNothingIsWritten() {
        ObjectNode big = Json.object().put("description", "x".repeat(Node.MAX_METADATA_BYTES));
        NodePath path = base.child("big");
        for (Runnable write : List.<Runnable>of(
                () -> catalog().put(array(path, big)),
                () -> catalog().createIfAbsent(array(path, big)),
                () -> catalog().putIfNewer(array(path, big), "test", "0001"))) {
            TiledException e = assertThrows(TiledException.class, write::run);
            assertEquals(413, e.status());
        }
        assertTrue(catalog().get(path).isEmpty());
        assertEquals(0, catalog().countChildren(base));
        ObjectNode justUnder = Json.object().put("d", "x".repeat(Node.MAX_METADATA_BYTES - 8));
        assertEquals(Node.MAX_METADATA_BYTES, Json.bytes(justUnder).length);
        catalog().put(array(path, justUnder));
        assertEquals(justUnder, catalog().get(path).orElseThrow().metadata());
    }

    @Test
    void missingNodesAreEmpty() {
        assertTrue(catalog().get(base.child("nope")).isEmpty());
        assertTrue(catalog().get(base.child("nope").child("deeper")).isEmpty());
    }

    @Test
    void aNodeNeedsAContainerParent() {
        assertEquals(404, assertThrows(TiledException.class, () -> catalog().put(array(base.child("no").child("x"), Json.object()))).status());
        catalog().put(array(base.child("leaf"), Json.object()));
        assertEquals(409, assertThrows(TiledException.class, () -> catalog().put(array(base.child("leaf").child("x"), Json.object()))).status());
    }

    @Test
    void childrenListInCreationOrderWithExactCounts() {
        for (String k : List.of("c", "a", "b", "e", "d")) catalog().put(array(base.child(k), Json.object()));
        assertEquals(5, catalog().countChildren(base));
        assertEquals(List.of("c", "a", "b", "e", "d"), keys(catalog().children(base, List.of(), 0, 100)));
        assertEquals(List.of("a", "b"), keys(catalog().children(base, List.of(), 1, 2)));
        assertEquals(List.of(), keys(catalog().children(base, List.of(), 5, 2)));
        assertEquals(List.of("d", "e", "b"), keys(catalog().children(base, List.of(new SortKey("", -1)), 0, 3)));
        assertEquals(List.of("d", "e"), keys(catalog().children(base, List.of(new SortKey("_", -1)), 0, 2)));
    }

    @Test
    void replacingKeepsThePlaceAndBumpsTheRevision() {
        Node first = catalog().put(array(base.child("a"), md("v", 1)));
        catalog().put(array(base.child("b"), Json.object()));
        Node second = catalog().put(array(base.child("a"), md("v", 2)));
        assertTrue(second.revision() > first.revision());
        assertEquals(List.of("a", "b"), keys(catalog().children(base, List.of(), 0, 10)));
        assertEquals(2, catalog().get(base.child("a")).orElseThrow().metadata().get("v").asInt());
        assertEquals(2, catalog().countChildren(base));
    }

    @Test
    void sortsByKeyAndByMetadataWithMissingValuesLast() {
        catalog().put(array(base.child("b"), md("n", 2)));
        catalog().put(array(base.child("c"), Json.object()));
        catalog().put(array(base.child("a"), md("n", 3)));
        catalog().put(array(base.child("d"), md("n", 1)));
        assertEquals(List.of("a", "b", "c", "d"), keys(catalog().children(base, List.of(new SortKey("id", 1)), 0, 10)));
        assertEquals(List.of("d", "c", "b", "a"), keys(catalog().children(base, List.of(new SortKey("id", -1)), 0, 10)));
        assertEquals(List.of("d", "b", "a", "c"), keys(catalog().children(base, List.of(new SortKey("n", 1)), 0, 10)));
        assertEquals(List.of("a", "b", "d", "c"), keys(catalog().children(base, List.of(new SortKey("metadata.n", -1)), 0, 10)));
    }

    @Test
    void deleteRemovesTheSubtree() {
        NodePath sub = base.child("sub");
        catalog().put(Node.container(sub, Json.object(), List.of()));
        catalog().put(array(sub.child("x"), Json.object()));
        catalog().put(array(base.child("subway"), Json.object()));
        assertTrue(catalog().delete(sub));
        assertTrue(catalog().get(sub.child("x")).isEmpty());
        assertTrue(catalog().get(base.child("subway")).isPresent());
        assertEquals(1, catalog().countChildren(base));
        assertFalse(catalog().delete(sub));
    }

    @Test
    void concurrentRegistrationsAreAllCountedOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String k = "n" + i;
                fs.add(pool.submit(() -> catalog().put(array(base.child(k), Json.object()))));
                fs.add(pool.submit(() -> catalog().put(array(base.child(k), md("again", true)))));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertEquals(200, catalog().countChildren(base));
        assertEquals(200, catalog().children(base, List.of(), 0, 300).size());
    }

    // ---- registration from storage events: putIfNewer / removeIfNewer / createIfAbsent / removeIfEmptyContainer

    @Test
    void aNewerEventReplacesAndAnOlderOneIsIgnored() {
        NodePath p = base.child("ev");
        assertEquals(1, catalog().putIfNewer(array(p, md("v", 1)), "ev.zarr/.zarray", "0A").orElseThrow().metadata().get("v").asInt());
        assertTrue(catalog().putIfNewer(array(p, md("v", 2)), "ev.zarr/.zarray", "0B").isPresent());
        assertTrue(catalog().putIfNewer(array(p, md("v", 0)), "ev.zarr/.zarray", "09").isEmpty());
        assertEquals(2, catalog().get(p).orElseThrow().metadata().get("v").asInt());
    }

    @Test
    void sequencersCompareByValueNotByLength() {
        NodePath p = base.child("ev");
        catalog().putIfNewer(array(p, md("v", 1)), "k", "ff");
        assertTrue(catalog().putIfNewer(array(p, md("v", 2)), "k", "0100").isPresent(), "0x100 is after 0xff");
        assertTrue(catalog().putIfNewer(array(p, md("v", 3)), "k", "FE").isEmpty());
        assertEquals(2, catalog().get(p).orElseThrow().metadata().get("v").asInt());
    }

    @Test
    void theSameEventTwiceWritesOnce() {
        NodePath p = base.child("ev");
        Node first = catalog().putIfNewer(array(p, md("v", 1)), "k", "10").orElseThrow();
        Node again = catalog().putIfNewer(array(p, md("v", 1)), "k", "10").orElseThrow();
        assertEquals(first.revision(), again.revision(), "a redelivered event with the same content changes nothing");
        assertEquals(first.revision(), catalog().get(p).orElseThrow().revision());
        assertEquals(1, catalog().countChildren(base));
    }

    @Test
    void theSameEventAgainWithFresherContentIsApplied() {
        NodePath p = base.child("ev");
        catalog().putIfNewer(array(p, md("v", 1)), "k", "10");
        assertTrue(catalog().putIfNewer(array(p, md("v", 2)), "k", "10").isPresent());
        assertEquals(2, catalog().get(p).orElseThrow().metadata().get("v").asInt());
    }

    @Test
    void aRemovalLeavesATombstoneThatOlderCreationsCannotPass() {
        NodePath p = base.child("ev");
        catalog().putIfNewer(array(p, Json.object()), "k", "10");
        assertTrue(catalog().removeIfNewer(p, "k", "20"));
        assertTrue(catalog().get(p).isEmpty());
        assertTrue(catalog().putIfNewer(array(p, Json.object()), "k", "15").isEmpty(), "created before the removal");
        assertTrue(catalog().putIfNewer(array(p, Json.object()), "k", "20").isEmpty(), "the removal itself, seen as a creation");
        assertFalse(catalog().removeIfNewer(p, "k", "20"), "a redelivered removal is stale");
        assertTrue(catalog().get(p).isEmpty());
        assertEquals(0, catalog().countChildren(base));
        assertTrue(catalog().putIfNewer(array(p, Json.object()), "k", "30").isPresent(), "uploaded again");
        assertEquals(1, catalog().countChildren(base));
    }

    @Test
    void aRemovalBeforeItsCreationWins() {
        NodePath p = base.child("ev");
        assertTrue(catalog().removeIfNewer(p, "k", "20"), "recorded although there is no node yet");
        assertTrue(catalog().putIfNewer(array(p, Json.object()), "k", "10").isEmpty());
        assertTrue(catalog().get(p).isEmpty());
        assertEquals(0, catalog().countChildren(base));
    }

    @Test
    void anOlderRemovalDoesNotRemoveANewerRegistration() {
        NodePath p = base.child("ev");
        catalog().putIfNewer(array(p, md("v", 2)), "k", "20");
        assertFalse(catalog().removeIfNewer(p, "k", "10"));
        assertEquals(2, catalog().get(p).orElseThrow().metadata().get("v").asInt());
    }

    @Test
    void sourcesOfOneNodeKeepTheirOwnSequencers() {
        NodePath p = base.child("ev");
        catalog().putIfNewer(array(p, md("v", 1)), "a.zarr/.zarray", "FFFF");
        assertTrue(catalog().putIfNewer(array(p, md("v", 2)), "a.zarr/.zattrs", "01").isPresent(), "another object's sequencers are not comparable");
        assertTrue(catalog().putIfNewer(array(p, md("v", 3)), "a.zarr/.zattrs", "00").isEmpty());
        assertEquals(2, catalog().get(p).orElseThrow().metadata().get("v").asInt());
    }

    @Test
    void registrationsListTheLastEventOfEachSourceTombstonesIncluded() {
        NodePath p = base.child("ev");
        assertEquals(List.of(), catalog().registrations(p), "nothing applied yet");
        catalog().putIfNewer(array(p, md("v", 1)), "a.zarr/.zarray", "1A");
        catalog().putIfNewer(array(p, md("v", 2)), "a.zarr/.zattrs", "0b");
        catalog().putIfNewer(array(p, md("v", 3)), "a.zarr/.zattrs", "0C");
        assertEquals(List.of(new Registration("a.zarr/.zarray", Sequencers.normalize("1A"), false),
                new Registration("a.zarr/.zattrs", Sequencers.normalize("0C"), false)), sorted(catalog().registrations(p)));
        assertTrue(catalog().removeIfNewer(p, "a.zarr/.zarray", Sequencers.normalize("1A")),
                "a removal at the sequencer of the creation read from the registrations applies");
        assertEquals(List.of(new Registration("a.zarr/.zarray", Sequencers.normalize("1A"), true),
                new Registration("a.zarr/.zattrs", Sequencers.normalize("0C"), false)), sorted(catalog().registrations(p)));
        assertTrue(catalog().get(p).isEmpty());
        NodePath put = base.child("plain");
        catalog().put(array(put, Json.object()));
        assertEquals(List.of(), catalog().registrations(put), "a plain put records no event");
        assertEquals(List.of(), catalog().registrations(base.child("e")), "another path's registrations are not listed");
    }

    private static List<Registration> sorted(List<Registration> rs) {
        List<Registration> r = new ArrayList<>(rs);
        r.sort(java.util.Comparator.comparing(Registration::source));
        return r;
    }

    @Test
    void registrationNeedsAContainerParentLikePut() {
        assertEquals(404, assertThrows(TiledException.class,
                () -> catalog().putIfNewer(array(base.child("no").child("x"), Json.object()), "k", "1")).status());
        catalog().put(Node.container(base.child("no"), Json.object(), List.of()));
        assertTrue(catalog().putIfNewer(array(base.child("no").child("x"), Json.object()), "k", "1").isPresent(),
                "a failed registration records nothing, so its retry is applied");
    }

    @Test
    void concurrentEventsForOneObjectEndAtTheNewest() throws Exception {
        NodePath p = base.child("ev");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                int v = i;
                String seq = Integer.toHexString(v);
                fs.add(pool.submit(() -> catalog().putIfNewer(array(p, md("v", v)), "k", seq)));
                if (v % 10 == 5) fs.add(pool.submit(() -> catalog().removeIfNewer(p, "k", Integer.toHexString(v))));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertEquals(40, catalog().get(p).orElseThrow().metadata().get("v").asInt());
        assertEquals(1, catalog().countChildren(base));
    }

    @Test
    void theStoredBytesFingerprintReadsBackAndAChangeOfItIsANewRevision() {
        Node n = array(base.child("fp"), md("k", 1));
        Node first = n.withRevision(0);
        Node withFp = new Node(first.path(), first.family(), first.metadata(), first.specs(), first.structure(),
                first.dataSource().withFingerprint("aaaa"), null, 0);
        Node stored = catalog().putIfNewer(withFp, "fp.zarr/.zarray", "10").orElseThrow();
        assertEquals("aaaa", catalog().get(withFp.path()).orElseThrow().dataSource().fingerprint());
        Node changed = new Node(withFp.path(), withFp.family(), withFp.metadata(), withFp.specs(), withFp.structure(),
                withFp.dataSource().withFingerprint("bbbb"), null, 0);
        Node again = catalog().putIfNewer(changed, "fp.zarr/.zarray", "10").orElseThrow();
        assertTrue(again.revision() > stored.revision(), "only the bytes changed, and that is a change");
        assertEquals("bbbb", catalog().get(withFp.path()).orElseThrow().dataSource().fingerprint());
        assertNotEquals(stored.dataKey(), catalog().get(withFp.path()).orElseThrow().dataKey());
    }

    @Test
    void replaceIfRevisionIsACompareAndSetThatNeverCreates() {
        NodePath p = base.child("cas");
        assertTrue(catalog().replaceIfRevision(array(p, md("v", 1)), 1).isEmpty(), "nothing there: nothing created");
        assertTrue(catalog().get(p).isEmpty());
        Node first = catalog().put(array(p, md("v", 1)));
        Node second = catalog().replaceIfRevision(array(p, md("v", 2)), first.revision()).orElseThrow();
        assertTrue(second.revision() > first.revision());
        assertEquals(2, catalog().get(p).orElseThrow().metadata().get("v").asInt());
        assertTrue(catalog().replaceIfRevision(array(p, md("v", 3)), first.revision()).isEmpty(), "a stale revision loses");
        assertEquals(2, catalog().get(p).orElseThrow().metadata().get("v").asInt());
        assertEquals(second.revision(), catalog().get(p).orElseThrow().revision());
    }

    @Test
    void createIfAbsentNeverReplaces() {
        NodePath c = base.child("folder");
        catalog().put(Node.container(c, md("keep", "me"), List.of()));
        long revision = catalog().get(c).orElseThrow().revision();
        assertTrue(catalog().createIfAbsent(Node.container(c, Json.object(), List.of())).isEmpty());
        assertEquals("me", catalog().get(c).orElseThrow().metadata().get("keep").asText());
        assertEquals(revision, catalog().get(c).orElseThrow().revision());
        assertTrue(catalog().createIfAbsent(Node.container(base.child("new"), Json.object(), List.of())).isPresent());
        assertEquals(2, catalog().countChildren(base));
        assertTrue(catalog().createIfAbsent(Node.container(NodePath.ROOT, Json.object(), List.of())).isEmpty());
    }

    @Test
    void concurrentCreateIfAbsentMakesOneNode() throws Exception {
        NodePath c = base.child("folder");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Boolean>> fs = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) fs.add(pool.submit(() -> catalog().createIfAbsent(Node.container(c, Json.object(), List.of())).isPresent()));
            int created = 0;
            for (Future<Boolean> f : fs) if (f.get()) created++;
            assertEquals(1, created);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, catalog().countChildren(base));
    }

    @Test
    void onlyBareEmptyContainersArePruned() {
        NodePath bare = base.child("bare");
        NodePath annotated = base.child("annotated");
        NodePath full = base.child("full");
        catalog().createIfAbsent(Node.container(bare, Json.object(), List.of()));
        catalog().put(Node.container(annotated, md("note", "kept"), List.of()));
        catalog().createIfAbsent(Node.container(full, Json.object(), List.of()));
        catalog().put(array(full.child("x"), Json.object()));
        catalog().put(array(base.child("leaf"), Json.object()));
        assertTrue(catalog().removeIfEmptyContainer(bare));
        assertFalse(catalog().removeIfEmptyContainer(annotated));
        assertFalse(catalog().removeIfEmptyContainer(full));
        assertFalse(catalog().removeIfEmptyContainer(base.child("leaf")));
        assertFalse(catalog().removeIfEmptyContainer(base.child("absent")));
        assertFalse(catalog().removeIfEmptyContainer(NodePath.ROOT));
        assertEquals(3, catalog().countChildren(base));
    }
}
