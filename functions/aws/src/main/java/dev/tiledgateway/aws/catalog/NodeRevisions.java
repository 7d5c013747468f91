package dev.tiledgateway.aws.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Revision;
import dev.tiledgateway.core.catalog.CatalogJson;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.tiledgateway.aws.catalog.CatalogTable.DOC;
import static dev.tiledgateway.aws.catalog.CatalogTable.LAST_REVISION;
import static dev.tiledgateway.aws.catalog.CatalogTable.PK;
import static dev.tiledgateway.aws.catalog.CatalogTable.REV;
import static dev.tiledgateway.aws.catalog.CatalogTable.REVISIONS;
import static dev.tiledgateway.aws.catalog.CatalogTable.REVISION_COUNT;
import static dev.tiledgateway.aws.catalog.CatalogTable.REVISION_PREFIX;
import static dev.tiledgateway.aws.catalog.CatalogTable.SK;
import static dev.tiledgateway.aws.catalog.CatalogTable.SPILL;
import static dev.tiledgateway.aws.catalog.CatalogTable.TIME;
import static dev.tiledgateway.aws.catalog.CatalogTable.n;
import static dev.tiledgateway.aws.catalog.CatalogTable.nodeKey;
import static dev.tiledgateway.aws.catalog.CatalogTable.number;
import static dev.tiledgateway.aws.catalog.CatalogTable.revisionKey;
import static dev.tiledgateway.aws.catalog.CatalogTable.s;
import static dev.tiledgateway.aws.catalog.CatalogTable.string;

/**
 * Metadata updates and revisions of {@link DynamoDbCatalog} (TABLE-DESIGN.md, "Metadata updates and revisions"). An
 * update is one {@link Replacement} of the node conditioned on the revision read, whose transaction also puts the
 * revision item (the node's previous document, or the key of its spilled document, which the revision then owns) and
 * whose update counts it on the node ({@code rvn}, {@code rvc}) and names the node's revision partition ({@code rvl}).
 * The partition id is fresh for every node created, so when a node is removed its revisions become unreachable at
 * once, in the removal's own transaction, and are deleted afterwards ({@link #purge}); a crash between the two leaves
 * only items nobody can read.
 */
final class NodeRevisions {

    /** Items per BatchWriteItem, DynamoDB's limit. */
    private static final int BATCH = 25;

    private final DynamoDbCatalog catalog;

    NodeRevisions(DynamoDbCatalog catalog) { this.catalog = catalog; }

    /** {@link dev.tiledgateway.core.catalog.Catalog#updateMetadata}. */
    Optional<Node> update(NodePath path, long expected, ObjectNode metadata, List<Spec> specs, boolean save) {
        if (path.isRoot()) throw TiledException.conflict("The root's metadata cannot be changed");
        Map<String, AttributeValue> key;
        try {
            key = nodeKey(path);
        } catch (TiledException tooLong) {
            return Optional.empty(); // a path the table cannot hold names nothing
        }
        for (int attempt = 0; attempt < DynamoDbCatalog.MAX_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> item = catalog.getItem(key, null);
            if (item == null || number(item, REV) != expected) return Optional.empty();
            Optional<Node> read = catalog.codec().decode(path, item);
            if (read.isEmpty()) continue; // its spilled document was replaced meanwhile: read again
            Node old = read.get();
            Node updated = new Node(path, old.family(), metadata, specs, old.structure(), old.dataSource(), old.sorting(), old.revision())
                    .checkedForWrite();
            String oldSpill = string(item, SPILL);
            String lineage = string(item, REVISIONS) != null ? string(item, REVISIONS) : UUID.randomUUID().toString();
            Replacement.Extra extra = save ? saving(item, lineage, number(item, LAST_REVISION) + 1)
                    : new Replacement.Extra("#rvl = :rvl", null, Map.of("#rvl", REVISIONS), Map.of(":rvl", s(lineage)), List.of());
            NodeCodec.Content content = catalog.codec().encode(updated);
            DynamoDbCatalog.Outcome outcome;
            try {
                outcome = catalog.replaceWith(updated, key, item, content, extra);
            } catch (RuntimeException e) {
                catalog.codec().discard(content.spillKey());
                throw e;
            }
            if (outcome == DynamoDbCatalog.Outcome.WRITTEN) {
                // A saved revision owns the document the node had spilled; otherwise nothing refers to it any more.
                if (!save && oldSpill != null && !oldSpill.equals(content.spillKey())) catalog.codec().discard(oldSpill);
                return Optional.of(updated.withRevision(expected + 1));
            }
            catalog.codec().discard(content.spillKey());
            DynamoDbCatalog.backoff(attempt); // changed or conflicted meanwhile: the next reading decides
        }
        throw catalog.contention(path);
    }

    /** The revision item of the node read as {@code item}, numbered {@code number}, and the node's counters. */
    private Replacement.Extra saving(Map<String, AttributeValue> item, String lineage, long number) {
        Map<String, AttributeValue> revision = new HashMap<>(revisionKey(lineage, number));
        if (item.containsKey(DOC)) revision.put(DOC, item.get(DOC));
        else revision.put(SPILL, item.get(SPILL));
        revision.put(TIME, s(Instant.now().toString()));
        TransactWriteItem put = TransactWriteItem.builder().put(p -> p.tableName(catalog.table()).item(revision)).build();
        return new Replacement.Extra("#rvl = :rvl, #rvn = :rvn", "#rvc :rvone",
                Map.of("#rvl", REVISIONS, "#rvn", LAST_REVISION, "#rvc", REVISION_COUNT),
                Map.of(":rvl", s(lineage), ":rvn", n(number), ":rvone", n(1)), List.of(put));
    }

    /** The revision partition id of the node at {@code path}, or null when it has none (or there is no node). */
    private String lineage(NodePath path) {
        try {
            Map<String, AttributeValue> item = catalog.getItem(nodeKey(path), REVISIONS);
            return item == null ? null : string(item, REVISIONS);
        } catch (TiledException tooLong) {
            return null;
        }
    }

    /** One Query of the revision partition from its start, reading past the offset (revisions are few; their order is their key). */
    List<Revision> list(NodePath path, long offset, int limit) {
        if (limit <= 0) return List.of();
        String lineage = lineage(path);
        if (lineage == null) return List.of();
        List<Revision> out = new ArrayList<>();
        long skip = Math.max(0, offset);
        Map<String, AttributeValue> from = null;
        do {
            Map<String, AttributeValue> start = from;
            int want = (int) Math.min(1000, skip + limit - out.size());
            QueryResponse r = catalog.io("Query", () -> catalog.dynamo().query(q -> {
                q.tableName(catalog.table()).consistentRead(true).keyConditionExpression("#pk = :pk").limit(want)
                        .expressionAttributeNames(Map.of("#pk", PK)).expressionAttributeValues(Map.of(":pk", s(REVISION_PREFIX + lineage)));
                if (start != null) q.exclusiveStartKey(start);
            }));
            for (Map<String, AttributeValue> item : r.items()) {
                if (skip > 0) {
                    skip--;
                    continue;
                }
                decode(item).ifPresent(out::add);
                if (out.size() >= limit) return out;
            }
            from = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (from != null);
        return out;
    }

    /** The revision an item holds; empty when its spilled document is gone (the revision was deleted meanwhile). */
    private Optional<Revision> decode(Map<String, AttributeValue> item) {
        long number = Long.parseLong(string(item, SK));
        Optional<byte[]> document = catalog.codec().document(item, "revision " + number + " of " + string(item, PK));
        if (document.isEmpty()) return Optional.empty();
        try {
            JsonNode doc = Json.parse(document.get());
            return Optional.of(new Revision(number, (ObjectNode) doc.get("m"), CatalogJson.readSpecs(doc.get("sp")),
                    Instant.parse(string(item, TIME))));
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException(new IOException("corrupt revision item " + string(item, PK) + " " + number + ": " + e.getMessage(), e));
        }
    }

    long count(NodePath path) {
        try {
            Map<String, AttributeValue> item = catalog.getItem(nodeKey(path), REVISION_COUNT);
            return item == null ? 0 : number(item, REVISION_COUNT);
        } catch (TiledException tooLong) {
            return 0;
        }
    }

    /** Deletes the revision item and counts it off the node in one transaction, conditioned on both still being there. */
    boolean delete(NodePath path, long number) {
        if (number < 1) return false;
        for (int attempt = 0; attempt < DynamoDbCatalog.MAX_ATTEMPTS; attempt++) {
            String lineage = lineage(path);
            if (lineage == null) return false;
            Map<String, AttributeValue> key = revisionKey(lineage, number);
            Map<String, AttributeValue> revision = catalog.getItem(key, SPILL + "," + PK);
            if (revision == null) return false;
            try {
                catalog.transact(List.of(
                        TransactWriteItem.builder().delete(d -> d.tableName(catalog.table()).key(key)
                                .conditionExpression("attribute_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK))).build(),
                        TransactWriteItem.builder().update(u -> u.tableName(catalog.table()).key(nodeKey(path))
                                .updateExpression("ADD #c :minus").conditionExpression("#l = :l")
                                .expressionAttributeNames(Map.of("#c", REVISION_COUNT, "#l", REVISIONS))
                                .expressionAttributeValues(Map.of(":minus", n(-1), ":l", s(lineage)))).build()));
            } catch (TransactionCanceledException e) {
                if (DynamoDbCatalog.cancelledBy(e, "ConditionalCheckFailed")) continue; // deleted, or the node removed, meanwhile: look again
                if (!DynamoDbCatalog.retryable(e)) throw catalog.unavailable("TransactWriteItems", e);
                DynamoDbCatalog.backoff(attempt);
                continue;
            }
            catalog.codec().discard(string(revision, SPILL));
            return true;
        }
        throw catalog.contention(path);
    }

    /**
     * Deletes the revisions of a node that was removed, read as {@code item} (its revision partition, if it has one).
     * They are unreachable already; a failure here leaves them so, and is only logged.
     */
    void purge(Map<String, AttributeValue> item) {
        String lineage = item == null ? null : string(item, REVISIONS);
        if (lineage == null) return;
        try {
            Map<String, AttributeValue> from = null;
            do {
                Map<String, AttributeValue> start = from;
                QueryResponse r = catalog.io("Query", () -> catalog.dynamo().query(q -> {
                    q.tableName(catalog.table()).keyConditionExpression("#pk = :pk").projectionExpression("#pk, #sk, #sp")
                            .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK, "#sp", SPILL))
                            .expressionAttributeValues(Map.of(":pk", s(REVISION_PREFIX + lineage)));
                    if (start != null) q.exclusiveStartKey(start);
                }));
                List<Map<String, AttributeValue>> items = r.items();
                for (int i = 0; i < items.size(); i += BATCH) {
                    List<Map<String, AttributeValue>> batch = items.subList(i, Math.min(items.size(), i + BATCH));
                    deleteAll(batch);
                    for (Map<String, AttributeValue> rev : batch) catalog.codec().discard(string(rev, SPILL));
                }
                from = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            } while (from != null);
        } catch (RuntimeException e) {
            System.getLogger(NodeRevisions.class.getName()).log(System.Logger.Level.WARNING,
                    "could not remove the revisions " + REVISION_PREFIX + lineage + " of a removed node; they stay unreachable: " + e.getMessage());
        }
    }

    private void deleteAll(List<Map<String, AttributeValue>> items) {
        List<WriteRequest> requests = new ArrayList<>();
        for (Map<String, AttributeValue> it : items) {
            requests.add(WriteRequest.builder().deleteRequest(d -> d.key(Map.of(PK, it.get(PK), SK, it.get(SK)))).build());
        }
        Map<String, List<WriteRequest>> pending = Map.of(catalog.table(), requests);
        for (int attempt = 0; !pending.isEmpty() && !pending.getOrDefault(catalog.table(), List.of()).isEmpty(); attempt++) {
            if (attempt >= DynamoDbCatalog.MAX_ATTEMPTS) throw catalog.contention(NodePath.ROOT);
            if (attempt > 0) DynamoDbCatalog.backoff(attempt);
            Map<String, List<WriteRequest>> send = pending;
            BatchWriteItemResponse r = catalog.io("BatchWriteItem", () -> catalog.dynamo().batchWriteItem(b -> b.requestItems(send)));
            pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
        }
    }
}
