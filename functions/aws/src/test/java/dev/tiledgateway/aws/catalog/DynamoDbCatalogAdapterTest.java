package dev.tiledgateway.aws.catalog;

import dev.tiledgateway.testkit.MotoServer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.aws.FaultyProxy;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.tiledgateway.aws.catalog.CatalogTable.n;
import static dev.tiledgateway.aws.catalog.CatalogTable.nodeKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the DynamoDB catalog does beyond the contract: spill, exact counts under races, crash safety. */
@Tag("emulator")
class DynamoDbCatalogAdapterTest {

    private static final NodePath BASE = NodePath.of("base");

    private static Node leaf(NodePath path, ObjectNode metadata) {
        ObjectNode structure = Json.object();
        structure.putArray("shape").add(3);
        return new Node(path, StructureFamily.ARRAY, metadata, List.of(new Spec("demo", "1")), structure,
                new DataSource("application/x-zarr", List.of(new Asset("data/" + path.joined() + "/", true, "data_uri"))), null, 0);
    }

    private static Node leaf(NodePath path) { return leaf(path, Json.object()); }

    private static DynamoDbCatalog withBase(String name) {
        DynamoDbCatalog c = MotoCatalogs.fresh(name);
        c.put(Node.container(BASE, Json.object(), List.of()));
        return c;
    }

    private static List<String> keys(List<Node> nodes) {
        List<String> k = new ArrayList<>();
        for (Node n : nodes) k.add(n.path().key());
        return k;
    }

    private static Map<String, AttributeValue> rawItem(DynamoDbCatalog c, NodePath path) {
        return c.dynamo().getItem(b -> b.tableName(c.table()).key(nodeKey(path)).consistentRead(true)).item();
    }

    private static List<String> spilled() throws IOException {
        return MotoCatalogs.spillStore().list(NodeCodec.SPILL_PREFIX);
    }

    @Test
    void metadataTooLargeForAnItemSpillsToS3AndReadsBackWhole() throws IOException {
        DynamoDbCatalog c = withBase("spill");
        ObjectNode big = Json.object();
        StringBuilder text = new StringBuilder();
        // Above the 350 KB spill threshold, below the 400 KB bound on any metadata.
        while (text.length() < 380 * 1024) text.append("a long, long description of a sample; ");
        big.put("description", text.toString());
        big.put("n", 7);
        NodePath path = BASE.child("big");
        Node put = c.put(leaf(path, big));

        Map<String, AttributeValue> item = rawItem(c, path);
        assertFalse(item.containsKey(CatalogTable.DOC));
        String spillKey = item.get(CatalogTable.SPILL).s();
        assertTrue(spilled().contains(spillKey));
        Node got = c.get(path).orElseThrow();
        assertEquals(big, got.metadata());
        assertEquals(put.revision(), got.revision());
        assertEquals(3, got.structure().get("shape").get(0).asInt());
        assertEquals(big, c.children(BASE, List.of(), 0, 10).get(0).metadata());
        assertEquals(big, c.children(BASE, List.of(new SortKey("n", 1)), 0, 10).get(0).metadata());

        // Replacing with a small document brings it back inline and removes the spilled object.
        c.put(leaf(path, Json.object().put("n", 8)));
        assertNull(rawItem(c, path).get(CatalogTable.SPILL));
        assertFalse(spilled().contains(spillKey));
        assertEquals(8, c.get(path).orElseThrow().metadata().get("n").asInt());

        // Deleting a spilled node removes its object too.
        c.put(leaf(path, big));
        String second = rawItem(c, path).get(CatalogTable.SPILL).s();
        assertTrue(c.delete(path));
        assertFalse(spilled().contains(second));
    }

    @Test
    void countsStayExactUnderConcurrentInsertsDeletesAndReplaces() throws Exception {
        DynamoDbCatalog c = withBase("races");
        for (int i = 0; i < 20; i++) c.put(leaf(BASE.child("old" + i)));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int k = i;
                fs.add(pool.submit(() -> c.put(leaf(BASE.child("new" + k)))));
                fs.add(pool.submit(() -> c.delete(BASE.child("old" + k))));
                fs.add(pool.submit(() -> c.put(leaf(BASE.child("new" + k), Json.object().put("again", true)))));
                fs.add(pool.submit(() -> c.delete(BASE.child("old" + k))));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertEquals(20, c.countChildren(BASE));
        List<Node> all = c.children(BASE, List.of(), 0, 100);
        assertEquals(20, all.size());
        for (Node n : all) assertTrue(n.path().key().startsWith("new"));
        // Positions stay exact too: every page agrees with the whole listing, in both directions.
        for (int offset = 0; offset < 20; offset += 7) {
            assertEquals(keys(all.subList(offset, Math.min(20, offset + 7))), keys(c.children(BASE, List.of(), offset, 7)));
            List<String> reversed = new ArrayList<>(keys(all));
            java.util.Collections.reverse(reversed);
            assertEquals(reversed.subList(offset, Math.min(20, offset + 7)), keys(c.children(BASE, List.of(new SortKey("", -1)), offset, 7)));
        }
    }

    @Test
    void aRegistrationInterruptedBetweenItsWritesLeavesNothingVisible() {
        DynamoDbCatalog c = withBase("crash");
        c.put(leaf(BASE.child("a")));
        c.put(leaf(BASE.child("b")));
        c.stepHook(step -> {
            if (step.equals("seq-reserved")) throw new IllegalStateException("crash after " + step);
        });
        assertThrows(IllegalStateException.class, () -> c.put(leaf(BASE.child("lost"))));
        c.stepHook(null);

        assertTrue(c.get(BASE.child("lost")).isEmpty());
        assertEquals(2, c.countChildren(BASE));
        IndexAudit.assertConsistent(c); // no index item of the node that was never written
        assertEquals(List.of("a", "b"), keys(c.children(BASE, List.of(), 0, 10)));
        // The reserved number is a gap nobody sees: later children and pages at an offset are unaffected.
        c.put(leaf(BASE.child("c")));
        assertEquals(3, c.countChildren(BASE));
        assertEquals(List.of("a", "b", "c"), keys(c.children(BASE, List.of(), 0, 10)));
        assertEquals(List.of("b", "c"), keys(c.children(BASE, List.of(), 1, 10)));
        assertEquals(List.of("c"), keys(c.children(BASE, List.of(), 2, 10)));
        assertEquals(List.of("a"), keys(c.children(BASE, List.of(new SortKey("", -1)), 2, 10)));
    }

    @Test
    void aSpilledRegistrationInterruptedBeforeItsItemLeavesNothingVisible() {
        DynamoDbCatalog c = MotoCatalogs.fresh("crash-spill", 1024, DynamoDbCatalog.DEFAULT_TALLY_BLOCK);
        c.put(Node.container(BASE, Json.object(), List.of()));
        c.stepHook(step -> {
            if (step.equals("spill-written")) throw new IllegalStateException("crash after " + step);
        });
        ObjectNode md = Json.object().put("text", "x".repeat(4096));
        assertThrows(IllegalStateException.class, () -> c.put(leaf(BASE.child("big"), md)));
        c.stepHook(null);
        assertTrue(c.get(BASE.child("big")).isEmpty());
        assertEquals(0, c.countChildren(BASE));
        assertEquals(md, c.put(leaf(BASE.child("big"), md)).metadata());
        assertEquals(md, c.get(BASE.child("big")).orElseThrow().metadata());
    }

    @Test
    void aSubtreeDeleteInterruptedBetweenBatchesLeavesAConsistentTreeThatADeleteFinishes() {
        DynamoDbCatalog c = withBase("crash-delete");
        NodePath sub = BASE.child("sub");
        c.put(Node.container(sub, Json.object(), List.of()));
        for (int i = 0; i < 30; i++) c.put(leaf(sub.child("x" + i)));
        c.stepHook(step -> {
            if (step.equals("batch-removed")) throw new IllegalStateException("crash after " + step);
        });
        assertThrows(IllegalStateException.class, () -> c.delete(sub));
        c.stepHook(null);

        long left = c.countChildren(sub);
        assertTrue(left > 0 && left < 30, "left " + left);
        IndexAudit.assertConsistent(c); // the removed children's index items went with them
        assertEquals(left, c.children(sub, List.of(), 0, 100).size());
        assertEquals(1, c.countChildren(BASE));
        assertTrue(c.delete(sub));
        assertTrue(c.get(sub).isEmpty());
        assertTrue(c.get(sub.child("x29")).isEmpty());
        assertEquals(0, c.countChildren(BASE));
        assertEquals(List.of(), c.children(BASE, List.of(), 0, 10));
        // The path can be used again, from an empty container with fresh positions.
        c.put(Node.container(sub, Json.object(), List.of()));
        c.put(leaf(sub.child("y")));
        assertEquals(List.of("y"), keys(c.children(sub, List.of(), 0, 10)));
    }

    @Test
    void aContainerWithChildrenCannotBecomeALeafButCanBeReplacedByAContainer() {
        DynamoDbCatalog c = withBase("replace");
        NodePath sub = BASE.child("sub");
        c.put(Node.container(sub, Json.object(), List.of()));
        c.put(leaf(sub.child("x")));
        assertEquals(409, assertThrows(TiledException.class, () -> c.put(leaf(sub))).status());
        Node replaced = c.put(Node.container(sub, Json.object().put("v", 2), List.of()));
        assertEquals(2, replaced.revision());
        assertEquals(1, c.countChildren(sub));
        assertEquals(List.of("x"), keys(c.children(sub, List.of(), 0, 10)));
        // An empty container may become a leaf.
        NodePath empty = BASE.child("empty");
        c.put(Node.container(empty, Json.object(), List.of()));
        assertEquals(StructureFamily.ARRAY, c.put(leaf(empty)).family());
        assertEquals(409, assertThrows(TiledException.class, () -> c.put(leaf(empty.child("under-a-leaf")))).status());
    }

    @Test
    void sortKeysThatAreNotMetadataPathsAre400() {
        DynamoDbCatalog c = withBase("bad-sort");
        assertEquals(400, assertThrows(TiledException.class,
                () -> c.children(BASE, List.of(new SortKey("a'); DROP TABLE nodes; --", 1)), 0, 10)).status());
    }

    @Test
    void metadataSortedPagesEndingPastTheWindowAre400BeforeAnythingIsRead() {
        DynamoDbCatalog c = withBase("bound");
        c.put(leaf(BASE.child("a")));
        TiledException e = assertThrows(TiledException.class,
                () -> c.children(BASE, List.of(new SortKey("n", 1)), DynamoDbCatalog.MAX_SORT_WINDOW - 5, 10));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(String.valueOf(DynamoDbCatalog.MAX_SORT_WINDOW)), e.getMessage());
        assertEquals(List.of(), c.children(BASE, List.of(new SortKey("n", 1)), DynamoDbCatalog.MAX_SORT_WINDOW - 10, 10));
        assertEquals(List.of("a"), keys(c.children(BASE, List.of(new SortKey("n", 1)), 0, 10)));
    }

    @Test
    void pathsTooLongForDynamoDbKeysAre400OnWriteAndAbsentOnRead() {
        DynamoDbCatalog c = withBase("long");
        NodePath longKey = BASE.child("k".repeat(1100));
        assertEquals(400, assertThrows(TiledException.class, () -> c.put(leaf(longKey))).status());
        assertTrue(c.get(longKey).isEmpty());
        assertFalse(c.delete(longKey));
    }

    @Test
    void theRootCanNeitherBeReplacedNorDeleted() {
        DynamoDbCatalog c = MotoCatalogs.fresh("root");
        assertEquals(409, assertThrows(TiledException.class, () -> c.put(Node.container(NodePath.ROOT, Json.object(), List.of()))).status());
        assertEquals(409, assertThrows(TiledException.class, () -> c.delete(NodePath.ROOT)).status());
        assertTrue(c.get(NodePath.ROOT).orElseThrow().isContainer());
        assertEquals(0, c.countChildren(NodePath.ROOT));
    }

    @Test
    void aThrottledCatalogCallIsRetriedAndOtherFailuresAreIOExceptions() throws IOException {
        DynamoDbCatalog direct = withBase("throttle");
        direct.put(leaf(BASE.child("x"), Json.object().put("v", 1)));
        try (FaultyProxy proxy = new FaultyProxy(MotoServer.shared().endpoint())) {
            AwsClients viaProxy = AwsClients.emulated(proxy.endpoint(), proxy.endpoint());
            DynamoDbCatalog c = new DynamoDbCatalog(viaProxy.dynamo(), direct.table(), MotoCatalogs.spillStore());
            proxy.failNext(1, 400, "application/x-amz-json-1.0", FaultyProxy.dynamoError("ThrottlingException"));
            assertEquals(1, c.get(BASE.child("x")).orElseThrow().metadata().get("v").asInt());
            assertEquals(2, proxy.requests());

            proxy.resetCount();
            proxy.failNext(1, 400, "application/x-amz-json-1.0", FaultyProxy.dynamoError("AccessDeniedException"));
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> c.get(BASE.child("x")));
            assertTrue(e.getCause().getMessage().contains("GetItem"), e.getCause().getMessage());
            assertEquals(1, proxy.requests());
        }
    }

    @Test
    void childrenKeepTheirRevisionsAndContent() {
        DynamoDbCatalog c = withBase("content");
        c.put(leaf(BASE.child("a"), Json.object().put("v", 1)));
        Node second = c.put(leaf(BASE.child("a"), Json.object().put("v", 2)));
        Node listed = c.children(BASE, List.of(), 0, 10).get(0);
        assertEquals(second.revision(), listed.revision());
        assertEquals(2, listed.metadata().get("v").asInt());
        assertEquals(List.of(new Spec("demo", "1")), listed.specs());
        assertArrayEquals(new Object[] {"data/base/a/"}, new Object[] {listed.dataSource().asset("data_uri").key()});
    }
}
