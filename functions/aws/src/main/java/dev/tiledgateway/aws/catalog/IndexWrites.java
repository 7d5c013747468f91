package dev.tiledgateway.aws.catalog;

import dev.tiledgateway.aws.catalog.SearchIndex.Entry;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.path.NodePath;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.tiledgateway.aws.catalog.CatalogTable.CHILD;
import static dev.tiledgateway.aws.catalog.CatalogTable.IX;
import static dev.tiledgateway.aws.catalog.CatalogTable.IXN;
import static dev.tiledgateway.aws.catalog.CatalogTable.PK;
import static dev.tiledgateway.aws.catalog.CatalogTable.SK;
import static dev.tiledgateway.aws.catalog.CatalogTable.s;

/**
 * The search index actions that join a node's write in its transaction: puts of the items a node's new content
 * is indexed under, deletes of those its old content was (as its {@code ix} list says), and that list itself.
 */
final class IndexWrites {

    /** DynamoDB's limit of actions in one TransactWriteItems. */
    static final int MAX_ACTIONS = 100;

    private final String table;

    IndexWrites(String table) { this.table = table; }

    /** The index items a node gets as child {@code seq} of its parent; none under a parent too deep to index. */
    static List<Entry> entries(Node node, long seq) {
        return SearchIndex.indexable(node.path().parent()) ? SearchIndex.entries(node, seq) : List.of();
    }

    /** The node item's {@code ix} attribute listing {@code entries}. */
    static AttributeValue list(List<Entry> entries) {
        List<AttributeValue> l = new ArrayList<>(entries.size());
        for (Entry e : entries) l.add(AttributeValue.builder().l(s(e.term()), s(e.sk())).build());
        return AttributeValue.builder().l(l).build();
    }

    /** The index items a node item says it has (none for an item written before the index, or a root). */
    static List<Entry> listed(Map<String, AttributeValue> item) {
        AttributeValue v = item.get(IX);
        if (v == null || !v.hasL()) return List.of();
        List<Entry> out = new ArrayList<>(v.l().size());
        for (AttributeValue pair : v.l()) out.add(new Entry(pair.l().get(0).s(), pair.l().get(1).s()));
        return out;
    }

    /**
     * The condition that the node's index is still the one read ({@code ixn} as in {@code item}); adds its names
     * and values.
     */
    static String unchangedIndex(Map<String, AttributeValue> item, Map<String, String> names, Map<String, AttributeValue> values) {
        names.put("#ixn", IXN);
        AttributeValue v = item.get(IXN);
        if (v == null) return "attribute_not_exists(#ixn)";
        values.put(":ixn", v);
        return "#ixn = :ixn";
    }

    /** Puts of the items in {@code after} but not in {@code before}, deletes of those only in {@code before}. */
    List<TransactWriteItem> changes(NodePath container, String childKey, List<Entry> before, List<Entry> after) {
        Set<Entry> old = new LinkedHashSet<>(before);
        Set<Entry> now = new LinkedHashSet<>(after);
        List<TransactWriteItem> out = new ArrayList<>();
        for (Entry e : old) if (!now.contains(e)) out.add(delete(container, e));
        for (Entry e : now) if (!old.contains(e)) out.add(put(container, childKey, e));
        return out;
    }

    List<TransactWriteItem> puts(NodePath container, String childKey, List<Entry> entries) {
        return changes(container, childKey, List.of(), entries);
    }

    List<TransactWriteItem> deletes(NodePath container, List<Entry> entries) {
        return changes(container, null, entries, List.of());
    }

    /** The item of one index entry, as written. */
    static Map<String, AttributeValue> item(NodePath container, String childKey, Entry e) {
        return Map.of(PK, s(SearchIndex.pk(container, e.term())), SK, s(e.sk()), CHILD, s(childKey));
    }

    private TransactWriteItem put(NodePath container, String childKey, Entry e) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item(container, childKey, e))).build();
    }

    private TransactWriteItem delete(NodePath container, Entry e) {
        return TransactWriteItem.builder().delete(d -> d.tableName(table)
                .key(Map.of(PK, s(SearchIndex.pk(container, e.term())), SK, s(e.sk())))).build();
    }
}
