package dev.tiledgateway.aws.catalog;

import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Registration;
import dev.tiledgateway.core.catalog.Sequencers;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.path.NodePath;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.tiledgateway.aws.catalog.CatalogTable.FAMILY;
import static dev.tiledgateway.aws.catalog.CatalogTable.GONE;
import static dev.tiledgateway.aws.catalog.CatalogTable.KIDS;
import static dev.tiledgateway.aws.catalog.CatalogTable.PK;
import static dev.tiledgateway.aws.catalog.CatalogTable.REV;
import static dev.tiledgateway.aws.catalog.CatalogTable.SEQ;
import static dev.tiledgateway.aws.catalog.CatalogTable.SEQS;
import static dev.tiledgateway.aws.catalog.CatalogTable.SEQUENCER;
import static dev.tiledgateway.aws.catalog.CatalogTable.SPILL;
import static dev.tiledgateway.aws.catalog.CatalogTable.n;
import static dev.tiledgateway.aws.catalog.CatalogTable.nodeKey;
import static dev.tiledgateway.aws.catalog.CatalogTable.number;
import static dev.tiledgateway.aws.catalog.CatalogTable.registrationKey;
import static dev.tiledgateway.aws.catalog.CatalogTable.s;
import static dev.tiledgateway.aws.catalog.CatalogTable.string;

/**
 * {@code putIfNewer} / {@code removeIfNewer} of {@link DynamoDbCatalog}: every node write they make commits in
 * one transaction with a conditional update of the registration item of (path, source), whose condition
 * is "no event applied yet, an older one, or this same one as a creation". So the sequencer check and the
 * write are atomic, and the registration item stays after the node is gone: the tombstone.
 * TABLE-DESIGN.md describes the items and the order of the steps.
 */
final class SequencedWrites {

    private static final String NEWER = "attribute_not_exists(#sq) OR #sq < :sq OR (#sq = :sq AND #gone = :no)";
    private static final AttributeValue NO = AttributeValue.builder().bool(false).build();
    private static final AttributeValue YES = AttributeValue.builder().bool(true).build();

    private final DynamoDbCatalog catalog;

    SequencedWrites(DynamoDbCatalog catalog) { this.catalog = catalog; }

    Optional<Node> put(Node registered, String source, String sequencer) {
        NodePath path = registered.path();
        if (path.isRoot()) throw TiledException.conflict("The root cannot be replaced");
        String sq = Sequencers.normalize(sequencer);
        Map<String, AttributeValue> reg = registrationKey(path, source);
        Map<String, AttributeValue> key = nodeKey(path);
        for (int attempt = 0; attempt < DynamoDbCatalog.MAX_ATTEMPTS; attempt++) {
            if (stale(catalog.getItem(reg, null), sq)) return Optional.empty();
            Map<String, AttributeValue> item = catalog.getItem(key, null);
            Optional<Node> existing = item == null ? Optional.empty() : catalog.codec().decode(path, item);
            if (item != null && existing.isEmpty()) continue; // its spilled document was replaced meanwhile: read again
            // A node whose metadata was updated through the API keeps that metadata and its specs (Catalog#updateMetadata).
            Node node = existing.isPresent() && item.containsKey(CatalogTable.REVISIONS) ? keepEdits(registered, existing.get()) : registered;
            if (existing.isPresent() && existing.get().sameContent(node)) {
                // Nothing to write but the sequencer: a redelivery, or the same bytes uploaded again.
                return record(reg, sq, false) ? existing : Optional.empty();
            }
            if (item != null && number(item, KIDS) > 0 && !node.isContainer())
                throw TiledException.conflict("Cannot replace container " + path + " that has children with a non-container");
            NodeCodec.Content content = catalog.codec().encode(node);
            DynamoDbCatalog.Outcome o;
            try {
                o = item == null ? insert(node, key, content, reg, sq) : catalog.replace(node, key, item, content, guard(reg, sq, false));
            } catch (RuntimeException e) {
                catalog.codec().discard(content.spillKey());
                throw e;
            }
            if (o != DynamoDbCatalog.Outcome.WRITTEN) catalog.codec().discard(content.spillKey());
            switch (o) {
                case WRITTEN -> {
                    if (item != null) {
                        String oldSpill = string(item, SPILL);
                        if (oldSpill != null && !oldSpill.equals(content.spillKey())) catalog.codec().discard(oldSpill);
                        return Optional.of(node.withRevision(number(item, REV) + 1));
                    }
                    return Optional.of(node.withRevision(1));
                }
                case STALE -> { return Optional.empty(); }
                case RACED -> DynamoDbCatalog.backoff(attempt);
            }
        }
        throw catalog.contention(path);
    }

    /** {@link dev.tiledgateway.core.catalog.Catalog#replaceIfRevision}: the same conditional update as a put, without a registration. */
    Optional<Node> replaceIfRevision(Node node, long revision) {
        NodePath path = node.path();
        if (path.isRoot()) throw TiledException.conflict("The root cannot be replaced");
        Map<String, AttributeValue> key = nodeKey(path);
        for (int attempt = 0; attempt < DynamoDbCatalog.MAX_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> item = catalog.getItem(key, null);
            if (item == null || number(item, REV) != revision) return Optional.empty();
            if (catalog.codec().decode(path, item).isEmpty()) continue; // its spilled document was replaced meanwhile: read again
            if (number(item, KIDS) > 0 && !node.isContainer())
                throw TiledException.conflict("Cannot replace container " + path + " that has children with a non-container");
            NodeCodec.Content content = catalog.codec().encode(node);
            DynamoDbCatalog.Outcome o;
            try {
                o = catalog.replace(node, key, item, content, null);
            } catch (RuntimeException e) {
                catalog.codec().discard(content.spillKey());
                throw e;
            }
            if (o != DynamoDbCatalog.Outcome.WRITTEN) {
                catalog.codec().discard(content.spillKey());
                continue; // changed meanwhile: the next reading decides (another revision ends it)
            }
            String oldSpill = string(item, SPILL);
            if (oldSpill != null && !oldSpill.equals(content.spillKey())) catalog.codec().discard(oldSpill);
            return Optional.of(node.withRevision(revision + 1));
        }
        throw catalog.contention(path);
    }

    boolean remove(NodePath path, String source, String sequencer) {
        if (path.isRoot()) throw TiledException.conflict("The root cannot be deleted");
        String sq = Sequencers.normalize(sequencer);
        Map<String, AttributeValue> reg = registrationKey(path, source);
        Map<String, AttributeValue> key = nodeKey(path);
        String projection = DynamoDbCatalog.NODE_STATE;
        for (int attempt = 0; attempt < DynamoDbCatalog.MAX_ATTEMPTS; attempt++) {
            if (stale(catalog.getItem(reg, null), sq)) return false;
            Map<String, AttributeValue> item = catalog.getItem(key, projection);
            if (item == null) return record(reg, sq, true); // nothing to remove: the tombstone alone
            boolean container = "container".equals(string(item, FAMILY));
            if (container && number(item, KIDS) > 0) {
                catalog.drain(path); // as delete does; the indexer itself never removes a container with children
                item = catalog.getItem(key, projection);
                if (item == null) continue;
            }
            try {
                List<TransactWriteItem> tx = new ArrayList<>(List.of(catalog.removeIfEmpty(key, item), catalog.adjustCount(path.parent(), -1),
                        catalog.adjustTally(path.parent(), number(item, SEQ) / catalog.tallyBlock(), -1), guard(reg, sq, true)));
                tx.addAll(catalog.dropIndex(path, item));
                catalog.transact(tx);
            } catch (TransactionCanceledException e) {
                // Refused by the registration: a newer event was applied, or this very removal was. The latter is ours when
                // the SDK sent the transaction again after its reply was lost (DynamoDB's request token makes that a no-op;
                // where it does not, the second try meets its own tombstone).
                if (DynamoDbCatalog.reason(e, 3).equals("ConditionalCheckFailed")) {
                    if (!appliedAsRemoval(catalog.getItem(reg, null), sq)) return false;
                    catalog.codec().discard(string(item, SPILL)); // the node read went with it
                    return true;
                }
                if (!DynamoDbCatalog.retryable(e) && !DynamoDbCatalog.reason(e, 0).equals("ConditionalCheckFailed"))
                    throw catalog.unavailable("TransactWriteItems", e);
                DynamoDbCatalog.backoff(attempt); // the node changed meanwhile: look again
                continue;
            }
            catalog.codec().discard(string(item, SPILL));
            catalog.purgeRevisions(item);
            if (container) catalog.dropTallies(path);
            return true;
        }
        throw catalog.contention(path);
    }

    /** {@code registered} with the metadata and specs of {@code stored}: what registration writes over an updated node. */
    private static Node keepEdits(Node registered, Node stored) {
        return new Node(registered.path(), registered.family(), stored.metadata(), stored.specs(), registered.structure(),
                registered.dataSource(), registered.sorting(), registered.revision());
    }

    /** Every registration item of {@code path}: one strongly consistent Query of its partition. */
    List<Registration> registrations(NodePath path) {
        String pk = CatalogTable.REGISTRATION_PREFIX + path.joined();
        List<Registration> out = new ArrayList<>();
        Map<String, AttributeValue> from = null;
        do {
            Map<String, AttributeValue> start = from;
            QueryResponse r = catalog.io("Query", () -> catalog.dynamo().query(q -> {
                q.tableName(catalog.table()).consistentRead(true).keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", PK)).expressionAttributeValues(Map.of(":pk", s(pk)));
                if (start != null) q.exclusiveStartKey(start);
            }));
            for (Map<String, AttributeValue> item : r.items()) {
                String sq = string(item, SEQUENCER);
                if (sq == null) continue;
                AttributeValue gone = item.get(GONE);
                out.add(new Registration(string(item, CatalogTable.SK), sq, gone != null && Boolean.TRUE.equals(gone.bool())));
            }
            from = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (from != null);
        return out;
    }

    /** Creates the node (sequence number reserved first, as put does) together with its registration. */
    private DynamoDbCatalog.Outcome insert(Node node, Map<String, AttributeValue> key, NodeCodec.Content content,
                                           Map<String, AttributeValue> reg, String sq) {
        NodePath parent = node.path().parent();
        long seq = catalog.reserveSeq(parent);
        catalog.reached("seq-reserved");
        List<SearchIndex.Entry> entries = IndexWrites.entries(node, seq);
        Map<String, AttributeValue> item = DynamoDbCatalog.newItem(node, key, content, seq, entries);
        for (int attempt = 0; ; attempt++) {
            try {
                List<TransactWriteItem> tx = new ArrayList<>(List.of(
                        TransactWriteItem.builder().put(p -> p.tableName(catalog.table()).item(item)
                                .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK))).build(),
                        catalog.adjustCount(parent, 1),
                        catalog.adjustTally(parent, seq / catalog.tallyBlock(), 1),
                        guard(reg, sq, false)));
                tx.addAll(catalog.index().puts(parent, node.path().key(), entries));
                catalog.transact(tx);
                return DynamoDbCatalog.Outcome.WRITTEN;
            } catch (TransactionCanceledException e) {
                if (DynamoDbCatalog.reason(e, 3).equals("ConditionalCheckFailed")) return DynamoDbCatalog.Outcome.STALE;
                if (DynamoDbCatalog.reason(e, 0).equals("ConditionalCheckFailed")) return DynamoDbCatalog.Outcome.RACED; // created meanwhile
                if (DynamoDbCatalog.reason(e, 1).equals("ConditionalCheckFailed")) throw catalog.parentProblem(parent);
                if (attempt >= DynamoDbCatalog.MAX_ATTEMPTS || !DynamoDbCatalog.retryable(e)) throw catalog.unavailable("TransactWriteItems", e);
                DynamoDbCatalog.backoff(attempt);
            }
        }
    }

    /** The registration update that makes a transaction apply only to a newer event. */
    private TransactWriteItem guard(Map<String, AttributeValue> reg, String sq, boolean removal) {
        return TransactWriteItem.builder().update(u -> u.tableName(catalog.table()).key(reg)
                .updateExpression("SET #sq = :sq, #gone = :gone").conditionExpression(NEWER)
                .expressionAttributeNames(Map.of("#sq", SEQUENCER, "#gone", GONE))
                .expressionAttributeValues(Map.of(":sq", s(sq), ":no", NO, ":gone", removal ? YES : NO))).build();
    }

    /** Records the event alone (no node write); false when it turned out stale. */
    private boolean record(Map<String, AttributeValue> reg, String sq, boolean removal) {
        try {
            catalog.io("UpdateItem", () -> catalog.dynamo().updateItem(b -> b.tableName(catalog.table()).key(reg)
                    .updateExpression("SET #sq = :sq, #gone = :gone").conditionExpression(NEWER)
                    .expressionAttributeNames(Map.of("#sq", SEQUENCER, "#gone", GONE))
                    .expressionAttributeValues(Map.of(":sq", s(sq), ":no", NO, ":gone", removal ? YES : NO))));
            return true;
        } catch (ConditionalCheckFailedException staleNow) {
            return false;
        }
    }

    /** Whether the registration item records exactly this event, as a removal. */
    private static boolean appliedAsRemoval(Map<String, AttributeValue> reg, String sq) {
        if (reg == null || !sq.equals(string(reg, SEQUENCER))) return false;
        AttributeValue gone = reg.get(GONE);
        return gone != null && Boolean.TRUE.equals(gone.bool());
    }

    /** The same test as the condition {@link #NEWER}, on an item read before (saves a doomed write). */
    private static boolean stale(Map<String, AttributeValue> reg, String sq) {
        if (reg == null) return false;
        String last = string(reg, SEQUENCER);
        if (last == null) return false;
        int c = sq.compareTo(last);
        AttributeValue gone = reg.get(GONE);
        return c < 0 || (c == 0 && gone != null && Boolean.TRUE.equals(gone.bool()));
    }

}
