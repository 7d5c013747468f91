package dev.tiledgateway.aws.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.query.Eq;
import dev.tiledgateway.core.query.FullText;
import dev.tiledgateway.core.query.Query;
import dev.tiledgateway.core.query.SpecsQuery;
import dev.tiledgateway.core.query.StructureFamilyQuery;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The search index items appear, change and vanish with the node through every write path, in its own transaction;
 * nodes too rich for one transaction are found through their partial markers.
 */
@Tag("emulator")
class DynamoDbSearchIndexTest {

    private static final NodePath BASE = NodePath.of("base");

    private static DynamoDbCatalog withBase(String name) {
        DynamoDbCatalog c = MotoCatalogs.fresh(name);
        c.put(Node.container(BASE, Json.object(), List.of()));
        return c;
    }

    private static Node leaf(NodePath path, ObjectNode metadata, String... specs) {
        List<Spec> s = new ArrayList<>();
        for (String name : specs) s.add(new Spec(name, null));
        return new Node(path, StructureFamily.ARRAY, metadata, s, Json.object().put("shape", 3), null, null, 0);
    }

    private static ObjectNode color(String color, int n) {
        ObjectNode m = Json.object().put("color", color).put("n", n);
        m.putObject("sample").put("name", "crystal " + color);
        return m;
    }

    private static String pk(String term) { return SearchIndex.pk(BASE, term); }

    /** The (partition, sort key) pairs of the index items naming {@code key}. */
    private static Set<String> itemsOf(DynamoDbCatalog c, String key) {
        Set<String> out = new TreeSet<>();
        for (IndexAudit.Item i : IndexAudit.items(c, BASE)) if (i.child().equals(key)) out.add(i.pk() + " | " + i.sk());
        return out;
    }

    private static List<String> keys(DynamoDbCatalog c, Query... filters) {
        List<String> out = new ArrayList<>();
        for (Node n : c.search(BASE, List.of(filters), List.of(), 0, 100).nodes()) out.add(n.path().key());
        return out;
    }

    @Test
    void aCreatedNodeIsIndexedUnderItsValuesWordsSpecsAndFamily() {
        DynamoDbCatalog c = withBase("ix-create");
        c.put(leaf(BASE.child("a"), color("teal", 1), "xdi"));
        Set<String> items = itemsOf(c, "a");
        String seq = SearchIndex.seq12(1);
        assertEquals(new TreeSet<>(List.of(
                pk("f:array") + " | " + seq,
                pk("p:xdi") + " | " + seq,
                pk("v:color") + " | " + SearchIndex.valuePrefix(Json.mapper().getNodeFactory().textNode("teal")) + seq,
                pk("v:n") + " | " + SearchIndex.valuePrefix(Json.mapper().getNodeFactory().numberNode(1)) + seq,
                pk("v:sample.name") + " | " + SearchIndex.valuePrefix(Json.mapper().getNodeFactory().textNode("crystal teal")) + seq,
                pk("w:teal") + " | " + seq,
                pk("w:crystal") + " | " + seq)), items);
        IndexAudit.assertConsistent(c);
    }

    @Test
    void aReplacementMovesTheItemsOfTheValuesThatChangedAndKeepsTheOthers() {
        DynamoDbCatalog c = withBase("ix-replace");
        NodePath a = BASE.child("a");
        c.put(leaf(a, color("teal", 1), "xdi"));
        Set<String> before = itemsOf(c, "a");
        c.put(leaf(a, color("red", 1)));
        Set<String> after = itemsOf(c, "a");
        assertTrue(after.stream().noneMatch(i -> i.contains("teal") || i.contains("p:xdi")), after.toString());
        assertTrue(after.stream().anyMatch(i -> i.startsWith(pk("w:red"))), after.toString());
        assertTrue(after.contains(pk("v:n") + " | " + SearchIndex.valuePrefix(Json.mapper().getNodeFactory().numberNode(1)) + SearchIndex.seq12(1)));
        assertEquals(before.size() - 1, after.size()); // one spec fewer
        assertEquals(List.of(), keys(c, new Eq("color", Json.mapper().getNodeFactory().textNode("teal"))));
        assertEquals(List.of("a"), keys(c, new Eq("color", Json.mapper().getNodeFactory().textNode("red"))));
        IndexAudit.assertConsistent(c);
        // The same content again: a new revision, no index change (one UpdateItem).
        assertEquals(3, c.put(leaf(a, color("red", 1))).revision());
        assertEquals(after, itemsOf(c, "a"));
        IndexAudit.assertConsistent(c);
    }

    @Test
    void deletingANodeOrASubtreeRemovesEveryIndexItemBelow() {
        DynamoDbCatalog c = withBase("ix-delete");
        c.put(leaf(BASE.child("a"), color("teal", 1)));
        NodePath sub = BASE.child("sub");
        c.put(Node.container(sub, color("blue", 2), List.of()));
        for (int i = 0; i < 40; i++) c.put(leaf(sub.child("x" + i), color("c" + i, i), "s" + i));
        NodePath deeper = sub.child("deeper");
        c.put(Node.container(deeper, Json.object(), List.of()));
        c.put(leaf(deeper.child("y"), color("teal", 9)));
        IndexAudit.assertConsistent(c);
        assertTrue(IndexAudit.items(c, sub).size() > 200);
        assertTrue(c.delete(sub));
        IndexAudit.assertConsistent(c);
        assertTrue(IndexAudit.items(c, sub).isEmpty());
        assertTrue(IndexAudit.items(c, deeper).isEmpty());
        assertTrue(c.delete(BASE.child("a")));
        assertTrue(IndexAudit.items(c, BASE).isEmpty());
    }

    @Test
    void sequencedWritesCompareAndSetAndFolderWritesKeepTheIndex() {
        DynamoDbCatalog c = withBase("ix-sequenced");
        NodePath a = BASE.child("a");
        assertTrue(c.putIfNewer(leaf(a, color("teal", 1)), "a.zarr", "01").isPresent());
        assertEquals(List.of("a"), keys(c, new FullText("teal")));
        assertTrue(c.putIfNewer(leaf(a, color("red", 2)), "a.zarr", "02").isPresent());
        assertEquals(List.of(), keys(c, new FullText("teal")));
        assertEquals(List.of("a"), keys(c, new FullText("red")));
        assertTrue(c.putIfNewer(leaf(a, color("teal", 3)), "a.zarr", "01").isEmpty(), "stale");
        assertEquals(List.of(), keys(c, new FullText("teal")));
        IndexAudit.assertConsistent(c);
        long rev = c.get(a).orElseThrow().revision();
        assertTrue(c.replaceIfRevision(leaf(a, color("green", 4), "xdi"), rev).isPresent());
        assertEquals(List.of("a"), keys(c, new SpecsQuery(List.of("xdi"), List.of())));
        assertEquals(List.of("a"), keys(c, new FullText("green")));
        IndexAudit.assertConsistent(c);
        assertTrue(c.removeIfNewer(a, "a.zarr", "03"));
        assertEquals(List.of(), keys(c, new FullText("green")));
        assertEquals(0, IndexAudit.items(c, BASE).size());

        NodePath folder = BASE.child("folder");
        assertTrue(c.createIfAbsent(Node.container(folder, Json.object(), List.of())).isPresent());
        assertEquals(List.of("folder"), keys(c, new StructureFamilyQuery(StructureFamily.CONTAINER)));
        assertTrue(c.removeIfEmptyContainer(folder));
        assertTrue(IndexAudit.items(c, BASE).isEmpty());
        IndexAudit.assertConsistent(c);
    }

    @Test
    void aNodeWithMoreLeavesThanATransactionHoldsIsMarkedPartialAndStillFound() {
        DynamoDbCatalog c = withBase("ix-partial");
        ObjectNode many = Json.object();
        for (int i = 0; i < 150; i++) many.put("k" + i, i);
        many.put("color", "teal");
        NodePath big = BASE.child("big");
        c.put(leaf(big, many));
        c.put(leaf(BASE.child("small"), color("teal", 7)));
        Set<String> items = itemsOf(c, "big");
        assertTrue(items.contains(pk("~") + " | v" + SearchIndex.seq12(1)), items.toString());
        assertTrue(items.stream().noneMatch(i -> i.startsWith(pk("v:"))), "no value items: " + items);
        assertTrue(items.contains(pk("w:teal") + " | " + SearchIndex.seq12(1)), "the words still fit: " + items);
        IndexAudit.assertConsistent(c);
        assertEquals(List.of("big", "small"), keys(c, new Eq("color", Json.mapper().getNodeFactory().textNode("teal"))));
        assertEquals(List.of("big"), keys(c, new Eq("k42", Json.mapper().getNodeFactory().numberNode(42))));
        assertEquals(List.of(), keys(c, new Eq("k42", Json.mapper().getNodeFactory().numberNode(43))));
        // Fewer leaves: indexed again, the marker gone.
        c.put(leaf(big, color("teal", 1)));
        assertFalse(itemsOf(c, "big").stream().anyMatch(i -> i.startsWith(pk("~"))));
        IndexAudit.assertConsistent(c);
    }

    @Test
    void aReplacementWhoseIndexChangesExceedOneTransactionGoesThroughMarkersAndIsIndexedInASecondStep() {
        DynamoDbCatalog c = withBase("ix-two-steps");
        NodePath a = BASE.child("a");
        c.put(leaf(a, numbered("old", 60)));
        c.put(leaf(a, numbered("new", 60))); // 60 deletes and 60 puts: two transactions
        IndexAudit.assertConsistent(c);
        assertFalse(itemsOf(c, "a").stream().anyMatch(i -> i.startsWith(pk("~"))), "indexed in the end");
        assertEquals(List.of("a"), keys(c, new Eq("new7", Json.mapper().getNodeFactory().numberNode(7))));

        // A crash between the two steps leaves the node found through its markers.
        c.stepHook(step -> {
            if (step.equals("replaced-unindexed")) throw new IllegalStateException("crash");
        });
        assertThrows(IllegalStateException.class, () -> c.put(leaf(a, numbered("third", 60))));
        c.stepHook(null);
        Set<String> items = itemsOf(c, "a");
        assertEquals(new TreeSet<>(List.of(pk("~") + " | b" + SearchIndex.seq12(1), pk("~") + " | v" + SearchIndex.seq12(1),
                pk("~") + " | w" + SearchIndex.seq12(1))), items);
        IndexAudit.assertConsistent(c);
        assertEquals(List.of("a"), keys(c, new Eq("third7", Json.mapper().getNodeFactory().numberNode(7))));
        assertEquals(List.of(), keys(c, new Eq("new7", Json.mapper().getNodeFactory().numberNode(7))));
        assertEquals(List.of("a"), keys(c, new StructureFamilyQuery(StructureFamily.ARRAY)));
        // Its deletion removes the markers.
        assertTrue(c.delete(a));
        assertTrue(IndexAudit.items(c, BASE).isEmpty());
    }

    /**
     * A search under a node just read takes the container's count and {@code ixd} from that read, for that revision
     * only: under a node read before the container changed, the container is read again.
     */
    @Test
    void aSearchUnderANodeReadEarlierReadsTheContainerAgain() {
        DynamoDbCatalog c = withBase("ix-node");
        NodePath p = BASE.child("p");
        c.put(Node.container(p, Json.object(), List.of()));
        Node before = c.get(p).orElseThrow(); // indexed, no children
        List<Query> teal = List.of(new Eq("color", Json.mapper().getNodeFactory().textNode("teal")));
        assertEquals(List.of(), c.search(before, teal, List.of(), 0, 10).nodes());
        // The container made unindexed at a new revision, and given children the index does not list.
        c.dynamo().updateItem(b -> b.tableName(c.table()).key(CatalogTable.nodeKey(p)).updateExpression("REMOVE ixd SET rev = rev + :one")
                .expressionAttributeValues(java.util.Map.of(":one", CatalogTable.n(1))));
        putUnindexedChildren(c, p, 2);
        Node after = c.get(p).orElseThrow();
        assertEquals(before.revision() + 1, after.revision());
        assertEquals(List.of("x2"), c.search(after, teal, List.of(), 0, 10).nodes().stream().map(n -> n.path().key()).toList(),
                "read as not indexed: the children are read");
        assertEquals(List.of("x2"), c.search(before, teal, List.of(), 0, 10).nodes().stream().map(n -> n.path().key()).toList(),
                "the node of the earlier revision does not stand for the container now");
    }

    /**
     * Children x1..xn of {@code parent} as the code before the index wrote them (no index items, no list of them), x2
     * teal and the others red, and the parent's counters set to n.
     */
    private static void putUnindexedChildren(DynamoDbCatalog c, NodePath parent, int n) {
        for (int i = 1; i <= n; i++) {
            Node child = leaf(parent.child("x" + i), color(i == 2 ? "teal" : "red", i));
            java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = new java.util.HashMap<>(
                    DynamoDbCatalog.newItem(child, CatalogTable.nodeKey(child.path()), c.codec().encode(child), i, List.of()));
            item.remove(CatalogTable.IX);
            c.dynamo().putItem(b -> b.tableName(c.table()).item(item));
        }
        c.dynamo().updateItem(b -> b.tableName(c.table()).key(CatalogTable.nodeKey(parent)).updateExpression("SET kids = :n, seqs = :n")
                .expressionAttributeValues(java.util.Map.of(":n", CatalogTable.n(n))));
    }

    @Test
    void aContainerWrittenBeforeTheIndexIsSearchedByReadingIt() {
        DynamoDbCatalog c = withBase("ix-legacy");
        NodePath old = BASE.child("old");
        c.put(Node.container(old, Json.object(), List.of()));
        c.dynamo().updateItem(b -> b.tableName(c.table()).key(CatalogTable.nodeKey(old)).updateExpression("REMOVE ixd"));
        putUnindexedChildren(c, old, 3);
        assertEquals(List.of("x2"), c.search(old, List.of(new Eq("color", Json.mapper().getNodeFactory().textNode("teal"))), List.of(), 0, 10)
                .nodes().stream().map(n -> n.path().key()).toList());
        // Such a child, replaced or deleted by this code, has nothing listed to remove.
        c.put(leaf(old.child("x1"), color("teal", 1)));
        assertTrue(c.delete(old.child("x3")));
        assertEquals(List.of("x1", "x2"), c.search(old, List.of(new FullText("teal")), List.of(), 0, 10)
                .nodes().stream().map(n -> n.path().key()).toList());
        IndexAudit.assertConsistent(c);
    }

    @Test
    void aLeafReplacedByAContainerIndexesItsChildrenAndAContainerReplacedByALeafForgetsIt() {
        DynamoDbCatalog c = withBase("ix-family");
        NodePath f = BASE.child("f");
        c.put(leaf(f, color("teal", 1)));
        assertTrue(rawItem(c, f).get(CatalogTable.IXD) == null);
        c.put(Node.container(f, color("teal", 1), List.of()));
        assertEquals("1", rawItem(c, f).get(CatalogTable.IXD).n());
        c.put(leaf(f.child("x"), color("red", 2)));
        assertEquals(List.of("x"), c.search(f, List.of(new FullText("red")), List.of(), 0, 10).nodes().stream().map(n -> n.path().key()).toList());
        assertEquals(List.of("f"), keys(c, new StructureFamilyQuery(StructureFamily.CONTAINER)));
        assertTrue(c.delete(f.child("x")));
        c.put(leaf(f, color("teal", 1)));
        assertTrue(rawItem(c, f).get(CatalogTable.IXD) == null);
        assertEquals(List.of("f"), keys(c, new StructureFamilyQuery(StructureFamily.ARRAY)));
        IndexAudit.assertConsistent(c);
    }

    @Test
    void moreNamedChildrenThanASearchReadsAreRefused() {
        DynamoDbCatalog c = withBase("ix-named");
        c.put(leaf(BASE.child("a"), color("teal", 1)));
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= IndexedSearch.MAX_CANDIDATES; i++) many.add("k" + i);
        dev.tiledgateway.core.error.TiledException e = assertThrows(dev.tiledgateway.core.error.TiledException.class,
                () -> c.search(BASE, List.of(new dev.tiledgateway.core.query.KeysFilter(many)), List.of(), 0, 10));
        assertEquals(400, e.status());
    }

    private static java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> rawItem(DynamoDbCatalog c, NodePath path) {
        return c.dynamo().getItem(b -> b.tableName(c.table()).key(CatalogTable.nodeKey(path)).consistentRead(true)).item();
    }

    private static ObjectNode numbered(String prefix, int n) {
        ObjectNode m = Json.object();
        for (int i = 0; i < n; i++) m.put(prefix + i, i);
        return m;
    }
}
