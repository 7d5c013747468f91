package dev.tiledgateway.aws.catalog;

import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.path.NodePath;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.tiledgateway.aws.catalog.CatalogTable.FAMILY;
import static dev.tiledgateway.aws.catalog.CatalogTable.IX;
import static dev.tiledgateway.aws.catalog.CatalogTable.IXD;
import static dev.tiledgateway.aws.catalog.CatalogTable.KIDS;
import static dev.tiledgateway.aws.catalog.CatalogTable.REV;
import static dev.tiledgateway.aws.catalog.CatalogTable.SEQ;
import static dev.tiledgateway.aws.catalog.CatalogTable.SEQS;
import static dev.tiledgateway.aws.catalog.CatalogTable.n;
import static dev.tiledgateway.aws.catalog.CatalogTable.nodeKey;
import static dev.tiledgateway.aws.catalog.CatalogTable.number;
import static dev.tiledgateway.aws.catalog.CatalogTable.s;
import static dev.tiledgateway.aws.catalog.CatalogTable.string;

/**
 * One replacement of an existing node (by {@code put}, {@code putIfNewer} or {@code replaceIfRevision}), for the
 * node read as {@code old}: it keeps the node's place (seq) and children and commits only if the node is still that
 * revision and index. One transaction holds the node update, the registration {@code guard} when there is one
 * (second, so that its cancellation reason is at index 1), and the search index items that change. When those do
 * not fit one transaction the node is committed found through its partial markers only, and its items follow in a
 * second transaction ({@link #reindex}). The condition refuses to turn a container that has children into a leaf.
 * An {@link Extra} adds clauses to the node's update and items to the transaction (a metadata update's revision).
 */
final class Replacement {

    private final DynamoDbCatalog catalog;
    private final Node node;
    private final Map<String, AttributeValue> key;
    private final Map<String, AttributeValue> old;
    private final NodeCodec.Content content;
    private final TransactWriteItem guard;
    private final Extra extra;

    /**
     * More for the replacement to do atomically: {@code set} and {@code add} clauses joined to the node's update (with
     * their names and values; either may be null), and {@code items} written in its transaction after the guard.
     */
    record Extra(String set, String add, Map<String, String> names, Map<String, AttributeValue> values, List<TransactWriteItem> items) {
        static final Extra NONE = new Extra(null, null, Map.of(), Map.of(), List.of());
    }

    Replacement(DynamoDbCatalog catalog, Node node, Map<String, AttributeValue> key, Map<String, AttributeValue> old,
                NodeCodec.Content content, TransactWriteItem guard) {
        this(catalog, node, key, old, content, guard, Extra.NONE);
    }

    Replacement(DynamoDbCatalog catalog, Node node, Map<String, AttributeValue> key, Map<String, AttributeValue> old,
                NodeCodec.Content content, TransactWriteItem guard, Extra extra) {
        this.extra = extra;
        this.catalog = catalog;
        this.node = node;
        this.key = key;
        this.old = old;
        this.content = content;
        this.guard = guard;
    }

    DynamoDbCatalog.Outcome commit() {
        NodePath parent = node.path().parent();
        long seq = number(old, SEQ);
        List<SearchIndex.Entry> before = IndexWrites.listed(old);
        List<SearchIndex.Entry> after = IndexWrites.entries(node, seq);
        List<TransactWriteItem> changes = catalog.index().changes(parent, node.path().key(), before, after);
        List<SearchIndex.Entry> written = after;
        if ((guard == null ? 1 : 2) + extra.items().size() + changes.size() > IndexWrites.MAX_ACTIONS) {
            written = SearchIndex.allPartial(seq);
            changes = catalog.index().changes(parent, node.path().key(), before, written);
        }
        Update u = update(written);
        String table = catalog.table();
        try {
            if (guard == null && extra.items().isEmpty() && changes.isEmpty()) {
                try {
                    catalog.io("UpdateItem", () -> catalog.dynamo().updateItem(b -> b.tableName(table).key(key).updateExpression(u.update())
                            .conditionExpression(u.condition()).expressionAttributeNames(u.names()).expressionAttributeValues(u.values())));
                } catch (ConditionalCheckFailedException e) {
                    return DynamoDbCatalog.Outcome.RACED;
                }
            } else {
                List<TransactWriteItem> tx = new ArrayList<>();
                tx.add(TransactWriteItem.builder().update(b -> b.tableName(table).key(key).updateExpression(u.update())
                        .conditionExpression(u.condition()).expressionAttributeNames(u.names()).expressionAttributeValues(u.values())).build());
                if (guard != null) tx.add(guard);
                tx.addAll(extra.items());
                tx.addAll(changes);
                catalog.transact(tx);
            }
        } catch (TransactionCanceledException e) {
            if (guard != null && DynamoDbCatalog.reason(e, 1).equals("ConditionalCheckFailed")) return DynamoDbCatalog.Outcome.STALE;
            if (DynamoDbCatalog.reason(e, 0).equals("ConditionalCheckFailed") || DynamoDbCatalog.retryable(e)) return DynamoDbCatalog.Outcome.RACED;
            throw catalog.unavailable("TransactWriteItems", e);
        }
        if (written != after) {
            catalog.reached("replaced-unindexed");
            reindex(number(old, REV) + 1, written, after);
        }
        return DynamoDbCatalog.Outcome.WRITTEN;
    }

    /** A conditional update of a node item: expression, condition and their names and values. */
    private record Update(String update, String condition, Map<String, String> names, Map<String, AttributeValue> values) {}

    /** The update that replaces the content of the node read as {@code old}, conditioned on its revision and index. */
    private Update update(List<SearchIndex.Entry> entries) {
        long rev = number(old, REV);
        Map<String, String> names = new HashMap<>(Map.of("#f", FAMILY, "#r", REV, "#c", content.attributeName(),
                "#o", content.otherAttributeName(), "#k", KIDS, "#q", SEQS, "#ix", IX, "#d", IXD));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":f", s(node.family().wire()), ":r", n(rev), ":next", n(rev + 1),
                ":c", content.attribute(), ":z", n(0), ":ix", IndexWrites.list(entries)));
        String set;
        String remove;
        String condition = "#r = :r AND " + IndexWrites.unchangedIndex(old, names, values);
        if (node.isContainer()) {
            set = "#f = :f, #r = :next, #c = :c, #k = if_not_exists(#k, :z), #q = if_not_exists(#q, :z), #ix = :ix";
            // A leaf becoming a container has no children yet: all of them will be indexed. An existing container keeps
            // what it had (one from before the index stays unindexed).
            if (!StructureFamily.CONTAINER.wire().equals(string(old, FAMILY)) && SearchIndex.indexable(node.path())) {
                set += ", #d = :one";
                values.put(":one", n(1));
            } else {
                names.remove("#d");
            }
            remove = "#o";
        } else {
            set = "#f = :f, #r = :next, #c = :c, #ix = :ix";
            remove = "#o, #k, #q, #d";
            condition += " AND (attribute_not_exists(#k) OR #k = :z)";
        }
        if (extra.set() != null) set += ", " + extra.set();
        names.putAll(extra.names());
        values.putAll(extra.values());
        String update = "SET " + set + " REMOVE " + remove + (extra.add() != null ? " ADD " + extra.add() : "");
        return new Update(update, condition, names, values);
    }

    /**
     * The second step of a replacement whose index changes did not fit its transaction: writes the node's items and
     * removes its markers, if the node is still the revision written and its index still the one written. A failure
     * leaves the node found through its markers, which is correct; the next write of the node indexes it.
     */
    private void reindex(long rev, List<SearchIndex.Entry> from, List<SearchIndex.Entry> to) {
        NodePath path = node.path();
        Map<String, AttributeValue> nodeKey = nodeKey(path);
        Map<String, String> names = new HashMap<>(Map.of("#r", REV, "#ix", IX));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":r", n(rev), ":ix", IndexWrites.list(to), ":one", n(1)));
        String condition = "#r = :r AND " + IndexWrites.unchangedIndex(old, names, values);
        List<TransactWriteItem> tx = new ArrayList<>();
        tx.add(TransactWriteItem.builder().update(b -> b.tableName(catalog.table()).key(nodeKey).updateExpression("SET #ix = :ix ADD #ixn :one")
                .conditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values)).build());
        tx.addAll(catalog.index().changes(path.parent(), path.key(), from, to));
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                catalog.transact(tx);
                return;
            } catch (TransactionCanceledException e) {
                if (!DynamoDbCatalog.retryable(e)) return; // the node changed meanwhile: its new write indexed it
                DynamoDbCatalog.backoff(attempt);
            } catch (UncheckedIOException e) {
                break;
            }
        }
        System.getLogger(Replacement.class.getName()).log(System.Logger.Level.WARNING,
                "could not index " + path + " after replacing it; it stays found through its partial markers");
    }
}
