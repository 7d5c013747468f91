package dev.tiledgateway.aws.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Revision;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The revision items behind the revision contract on DynamoDB (moto): a revision takes over the spilled document of the
 * node it was, deleting the revision removes that document, and removing a node removes its revision items and their
 * documents, not only the node's pointer to them.
 */
@Tag("emulator")
class DynamoDbRevisionItemsTest {

    /** Documents above 2 KB spill, so that a few KB of metadata exercise the spilled path. */
    private final DynamoDbCatalog catalog = MotoCatalogs.fresh("revitems", 2048, DynamoDbCatalog.DEFAULT_TALLY_BLOCK);

    private static ObjectNode big(String tag) {
        ObjectNode o = Json.object();
        o.put("tag", tag);
        o.put("blob", "x".repeat(5000));
        return o;
    }

    private String spillOf(NodePath p) {
        Map<String, AttributeValue> item = catalog.getItem(CatalogTable.nodeKey(p), null);
        return CatalogTable.string(item, CatalogTable.SPILL);
    }

    private List<Map<String, AttributeValue>> revisionItems() {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        Map<String, AttributeValue> from = null;
        do {
            Map<String, AttributeValue> start = from;
            ScanResponse r = catalog.dynamo().scan(b -> {
                b.tableName(catalog.table()).consistentRead(true);
                if (start != null) b.exclusiveStartKey(start);
            });
            for (Map<String, AttributeValue> item : r.items()) if (item.get(CatalogTable.PK).s().startsWith(CatalogTable.REVISION_PREFIX)) out.add(item);
            from = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (from != null);
        return out;
    }

    @Test
    void aRevisionOwnsTheSpilledDocumentOfTheNodeItWasAndDeletingItRemovesIt() throws Exception {
        NodePath p = NodePath.of("spilled");
        Node created = catalog.put(Node.container(p, big("v0"), List.of()));
        String first = spillOf(p);
        assertNotNull(first, "the fixture's document spills");
        catalog.updateMetadata(p, created.revision(), big("v1"), List.of(), true).orElseThrow();
        assertTrue(MotoCatalogs.spillStore().get(first).isPresent(), "kept: revision 1 is that document");
        Revision r1 = catalog.revisions(p, 0, 10).get(0);
        assertEquals("v0", r1.metadata().get("tag").asText());

        String second = spillOf(p);
        Node now = catalog.get(p).orElseThrow();
        catalog.updateMetadata(p, now.revision(), big("v2"), List.of(), false).orElseThrow();
        assertTrue(MotoCatalogs.spillStore().get(second).isEmpty(), "an update without a revision discards the document it replaced");

        assertTrue(catalog.deleteRevision(p, 1));
        assertTrue(MotoCatalogs.spillStore().get(first).isEmpty(), "the deleted revision's document is gone");
        assertEquals(0, catalog.countRevisions(p));
        assertEquals(List.of(), revisionItems());
    }

    @Test
    void removingANodeRemovesItsRevisionItemsAndTheirDocuments() throws Exception {
        NodePath folder = NodePath.of("folder");
        NodePath leaf = folder.child("leaf");
        catalog.put(Node.container(folder, Json.object(), List.of()));
        Node created = catalog.put(Node.container(leaf, big("v0"), List.of()));
        String spilled = spillOf(leaf);
        Node v1 = catalog.updateMetadata(leaf, created.revision(), Json.object(), List.of(), true).orElseThrow();
        catalog.updateMetadata(leaf, v1.revision(), big("v2"), List.of(), true).orElseThrow();
        Node f = catalog.get(folder).orElseThrow();
        catalog.updateMetadata(folder, f.revision(), big("f1"), List.of(), true).orElseThrow();
        assertEquals(3, revisionItems().size());

        assertTrue(catalog.delete(folder));
        assertEquals(List.of(), revisionItems(), "the leaf's (removed in a batch below its folder) and the folder's own");
        assertTrue(MotoCatalogs.spillStore().get(spilled).isEmpty());

        catalog.putIfNewer(Node.container(NodePath.of("registered"), Json.object(), List.of()), "registered/", "01");
        Node r = catalog.get(NodePath.of("registered")).orElseThrow();
        catalog.updateMetadata(r.path(), r.revision(), big("r1"), List.of(), true).orElseThrow();
        assertTrue(catalog.removeIfNewer(r.path(), "registered/", "02"));
        assertEquals(List.of(), revisionItems(), "removed by the indexer");
    }
}
