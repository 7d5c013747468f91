package dev.tiledgateway.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
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
        o.set(k, Json.MAPPER.valueToTree(v));
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
}
