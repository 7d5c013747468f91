package dev.tiledgateway.aws.catalog;

import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.path.NodePath;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads a whole catalog table and checks the search index against the nodes: every node lists exactly the index
 * items of its content (or only its partial markers, where a second step did not run; or none, under a container
 * written before the index), and the index items in the table are exactly those the nodes list.
 */
final class IndexAudit {

    private IndexAudit() {}

    /** One index item as stored: partition, sort key, and the child it names. */
    record Item(String pk, String sk, String child) {}

    static void assertConsistent(DynamoDbCatalog c) {
        List<Map<String, AttributeValue>> all = scan(c);
        Set<NodePath> indexed = new HashSet<>(); // containers whose children are indexed
        for (Map<String, AttributeValue> item : all) {
            if (item.get(CatalogTable.IXD) == null) continue;
            String pk = item.get(CatalogTable.PK).s();
            if (pk.equals("#root")) indexed.add(NodePath.ROOT);
            else if (pk.startsWith("/")) indexed.add(NodePath.of(pk.substring(1)).child(item.get(CatalogTable.SK).s()));
        }
        Set<Item> stored = new TreeSetOfItems();
        Set<Item> listed = new TreeSetOfItems();
        for (Map<String, AttributeValue> item : all) {
            String pk = item.get(CatalogTable.PK).s();
            if (pk.startsWith(SearchIndex.PREFIX)) {
                AttributeValue k = item.get(CatalogTable.CHILD);
                stored.add(new Item(pk, item.get(CatalogTable.SK).s(), k == null ? null : k.s()));
            } else if (pk.startsWith("/")) {
                NodePath path = NodePath.of(pk.substring(1)).child(item.get(CatalogTable.SK).s());
                Node node = c.codec().decode(path, item).orElseThrow();
                long seq = CatalogTable.number(item, CatalogTable.SEQ);
                List<SearchIndex.Entry> has = IndexWrites.listed(item);
                List<SearchIndex.Entry> want = IndexWrites.entries(node, seq);
                if (!indexed.contains(path.parent()) && has.isEmpty()) continue; // written before the index, under a container without it
                assertTrue(new HashSet<>(has).equals(new HashSet<>(want)) || new HashSet<>(has).equals(new HashSet<>(SearchIndex.allPartial(seq))),
                        "the index items listed by " + path + ": " + has + ", expected " + want);
                assertEquals(has.size(), new HashSet<>(has).size(), "duplicates in the list of " + path);
                for (SearchIndex.Entry e : has) listed.add(new Item(SearchIndex.pk(path.parent(), e.term()), e.sk(), path.key()));
            }
        }
        assertEquals(listed, stored, "the index items stored are those the nodes list");
    }

    /** The index items stored under {@code container}'s prefix. */
    static Set<Item> items(DynamoDbCatalog c, NodePath container) {
        Set<Item> out = new TreeSetOfItems();
        String prefix = SearchIndex.prefix(container);
        for (Map<String, AttributeValue> item : scan(c)) {
            String pk = item.get(CatalogTable.PK).s();
            if (pk.startsWith(prefix)) out.add(new Item(pk, item.get(CatalogTable.SK).s(), item.get(CatalogTable.CHILD).s()));
        }
        return out;
    }

    private static List<Map<String, AttributeValue>> scan(DynamoDbCatalog c) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        Map<String, AttributeValue> from = null;
        do {
            Map<String, AttributeValue> start = from;
            ScanResponse r = c.dynamo().scan(b -> {
                b.tableName(c.table()).consistentRead(true);
                if (start != null) b.exclusiveStartKey(start);
            });
            out.addAll(r.items());
            from = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (from != null);
        return out;
    }

    /** Sorted, so that a failed comparison prints readably. */
    private static final class TreeSetOfItems extends TreeSet<Item> {
        TreeSetOfItems() {
            super((a, b) -> {
                int x = a.pk().compareTo(b.pk());
                if (x != 0) return x;
                x = a.sk().compareTo(b.sk());
                if (x != 0) return x;
                return String.valueOf(a.child()).compareTo(String.valueOf(b.child()));
            });
        }
    }
}
