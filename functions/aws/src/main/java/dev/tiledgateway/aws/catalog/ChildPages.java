package dev.tiledgateway.aws.catalog;

import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.SortOrder;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.path.NodePath;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeMap;

import static dev.tiledgateway.aws.catalog.CatalogTable.BY_SEQ;
import static dev.tiledgateway.aws.catalog.CatalogTable.KIDS;
import static dev.tiledgateway.aws.catalog.CatalogTable.LIVE;
import static dev.tiledgateway.aws.catalog.CatalogTable.PK;
import static dev.tiledgateway.aws.catalog.CatalogTable.SEQ;
import static dev.tiledgateway.aws.catalog.CatalogTable.SEQS;
import static dev.tiledgateway.aws.catalog.CatalogTable.SK;
import static dev.tiledgateway.aws.catalog.CatalogTable.childPk;
import static dev.tiledgateway.aws.catalog.CatalogTable.n;
import static dev.tiledgateway.aws.catalog.CatalogTable.nodeKey;
import static dev.tiledgateway.aws.catalog.CatalogTable.number;
import static dev.tiledgateway.aws.catalog.CatalogTable.s;
import static dev.tiledgateway.aws.catalog.CatalogTable.string;
import static dev.tiledgateway.aws.catalog.CatalogTable.tallyPk;

/**
 * Pages of a container's children in each order the catalog offers.
 *
 * <p>Creation order reads the keys-only {@code by_seq} index and then the page's items in one
 * BatchGetItem per 100. An offset is turned into a starting sequence number without reading the
 * children before it: directly when the container's numbers are dense (none ever deleted or abandoned:
 * position p is seq p+1), else from the per-block tallies of live children (one Query over the
 * tally items, then at most one block of index keys). Key order reads the table's own sort key and
 * skips the offset (cost grows with the offset). Metadata orders read the whole container once per page
 * and keep only the page's window in memory.
 */
final class ChildPages {

    private final DynamoDbCatalog catalog;
    private final DynamoDbClient dynamo;
    private final String table;
    private final int tallyBlock;

    ChildPages(DynamoDbCatalog catalog, int tallyBlock) {
        if (tallyBlock < 2) throw new IllegalArgumentException("tally blocks hold at least 2 numbers");
        this.catalog = catalog;
        this.dynamo = catalog.dynamo();
        this.table = catalog.table();
        this.tallyBlock = tallyBlock;
    }

    int tallyBlock() { return tallyBlock; }

    // ---- creation order

    List<Node> bySeq(NodePath parent, boolean forward, long offset, int limit) {
        Long start = null;
        if (offset > 0) {
            Map<String, AttributeValue> p = catalog.getItem(nodeKey(parent), KIDS + "," + SEQS);
            if (p == null) return List.of();
            long count = number(p, KIDS);
            if (offset >= count) return List.of();
            if (number(p, SEQS) == count) start = forward ? offset + 1 : count - offset;
            else start = seekByTally(parent, forward, offset);
            if (start == null) return List.of();
        }
        List<String> keys = new ArrayList<>();
        Map<String, AttributeValue> from = null;
        do {
            QueryResponse r = io(seqQuery(parent, forward, start, null, limit - keys.size(), from));
            for (Map<String, AttributeValue> i : r.items()) keys.add(string(i, SK));
            from = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (from != null && keys.size() < limit);
        return load(parent, keys);
    }

    /** A keys-only Query of the by_seq index from {@code start} (inclusive) up to {@code end} (inclusive) in reading order. */
    private QueryRequest seqQuery(NodePath parent, boolean forward, Long start, Long end, int limit, Map<String, AttributeValue> from) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", PK));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(childPk(parent))));
        String cond = "#pk = :pk";
        if (start != null && end != null) {
            names.put("#s", SEQ);
            values.put(":lo", n(Math.min(start, end)));
            values.put(":hi", n(Math.max(start, end)));
            cond += " AND #s BETWEEN :lo AND :hi";
        } else if (start != null) {
            names.put("#s", SEQ);
            values.put(":s", n(start));
            cond += forward ? " AND #s >= :s" : " AND #s <= :s";
        }
        QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName(BY_SEQ).consistentRead(true)
                .keyConditionExpression(cond).expressionAttributeNames(names).expressionAttributeValues(values)
                .scanIndexForward(forward).limit(limit);
        if (from != null) q.exclusiveStartKey(from);
        return q.build();
    }

    /**
     * The sequence number of the child at position {@code offset} (counted in reading order), from the
     * tallies of live children per block of {@link #tallyBlock} numbers; null if there is none.
     */
    private Long seekByTally(NodePath parent, boolean forward, long offset) {
        TreeMap<Long, Long> live = new TreeMap<>();
        for (Map<String, AttributeValue> t : queryAll(QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", PK))
                .expressionAttributeValues(Map.of(":pk", s(tallyPk(parent)))).build())) {
            live.put(Long.parseLong(string(t, SK)), number(t, LIVE));
        }
        long before = 0;
        for (Map.Entry<Long, Long> e : (forward ? live : live.descendingMap()).entrySet()) {
            long inBlock = e.getValue();
            if (inBlock <= 0) continue;
            if (before + inBlock > offset) {
                long skip = offset - before;
                long lo = e.getKey() * tallyBlock;
                long hi = lo + tallyBlock - 1;
                List<Map<String, AttributeValue>> seen = new ArrayList<>();
                Map<String, AttributeValue> from = null;
                do {
                    QueryResponse r = io(seqQuery(parent, forward, forward ? lo : hi, forward ? hi : lo, (int) (skip + 1 - seen.size()), from));
                    seen.addAll(r.items());
                    from = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
                } while (from != null && seen.size() <= skip);
                return seen.size() > skip ? number(seen.get((int) skip), SEQ) : null;
            }
            before += inBlock;
        }
        return null;
    }

    // ---- key order

    List<Node> byKey(NodePath parent, boolean forward, long offset, int limit) {
        Map<String, AttributeValue> from = null;
        long toSkip = offset;
        while (toSkip > 0) {
            // Key attributes only: less to transfer (DynamoDB still charges for the whole items read).
            QueryResponse r = io(keyQuery(parent, forward, (int) Math.min(toSkip, 10_000), from).toBuilder()
                    .projectionExpression("#pk, #sk").expressionAttributeNames(Map.of("#pk", PK, "#sk", SK)).build());
            toSkip -= r.count();
            if (toSkip <= 0 && !r.items().isEmpty()) {
                Map<String, AttributeValue> last = r.items().get(r.items().size() - 1);
                from = Map.of(PK, last.get(PK), SK, last.get(SK));
            } else {
                from = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
                if (from == null) return List.of();
            }
        }
        List<Node> out = new ArrayList<>();
        do {
            QueryResponse r = io(keyQuery(parent, forward, limit - out.size(), from));
            for (Map<String, AttributeValue> item : r.items()) decode(parent, item).ifPresent(out::add);
            from = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (from != null && out.size() < limit);
        return out;
    }

    private QueryRequest keyQuery(NodePath parent, boolean forward, int limit, Map<String, AttributeValue> from) {
        QueryRequest.Builder q = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", PK))
                .expressionAttributeValues(Map.of(":pk", s(childPk(parent)))).scanIndexForward(forward).limit(limit);
        if (from != null) q.exclusiveStartKey(from);
        return q.build();
    }

    // ---- metadata order

    /**
     * One page in a metadata order: the container's items are read once, in pages of up to 1 MB, and only the
     * best {@code offset + limit} so far are kept, each as its key, creation number and the values sorted by; the
     * page's items are then read by key. Memory follows the window, not the container; the cost is one read of
     * the whole container per page. A window past {@link DynamoDbCatalog#MAX_SORT_WINDOW} is refused (400).
     */
    List<Node> inMemory(NodePath parent, ChildOrder order, long offset, int limit) {
        long window = offset + limit;
        if (window > DynamoDbCatalog.MAX_SORT_WINDOW)
            throw TiledException.badRequest("Sorting by metadata serves the first " + DynamoDbCatalog.MAX_SORT_WINDOW
                    + " positions of a container; this page ends at " + window + ". Sort by id or in the default order to read further.");
        Comparator<SortOrder.Entry> comparator = order.comparator();
        PriorityQueue<SortOrder.Entry> worstFirst = new PriorityQueue<>(comparator.reversed());
        Map<String, AttributeValue> from = null;
        do {
            QueryResponse r = io(keyQuery(parent, true, 1000, from));
            for (Map<String, AttributeValue> item : r.items()) {
                Optional<Node> node = decode(parent, item);
                if (node.isEmpty()) continue;
                worstFirst.add(new SortOrder.Entry(SortOrder.slim(node.get(), order.keys()), number(item, SEQ)));
                if (worstFirst.size() > window) worstFirst.poll();
            }
            from = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (from != null);
        List<SortOrder.Entry> best = new ArrayList<>(worstFirst);
        best.sort(comparator);
        List<String> keys = new ArrayList<>();
        for (long i = offset; i < best.size() && keys.size() < limit; i++) keys.add(best.get((int) i).node().path().key());
        return load(parent, keys);
    }

    // ---- helpers for the catalog

    /** Up to {@code limit} child items of {@code container} with the given attributes (for deletion). */
    List<Map<String, AttributeValue>> childItems(NodePath container, int limit, String projection) {
        Map<String, String> names = new HashMap<>();
        StringBuilder p = new StringBuilder();
        for (String a : projection.split(",")) {
            names.put("#" + a, a);
            p.append(p.isEmpty() ? "" : ",").append('#').append(a);
        }
        names.put("#pk", PK);
        return io(QueryRequest.builder().tableName(table).consistentRead(true).keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(names).expressionAttributeValues(Map.of(":pk", s(childPk(container))))
                .projectionExpression(p.toString()).limit(limit).build()).items();
    }

    /** Removes a deleted container's tally items, each only while it still counts nobody. */
    void dropTallies(NodePath container) {
        try {
            for (Map<String, AttributeValue> t : queryAll(QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", PK))
                    .expressionAttributeValues(Map.of(":pk", s(tallyPk(container)))).build())) {
                try {
                    catalog.io("DeleteItem", () -> dynamo.deleteItem(b -> b.tableName(table).key(Map.of(PK, t.get(PK), SK, t.get(SK)))
                            .conditionExpression("#l = :z").expressionAttributeNames(Map.of("#l", LIVE))
                            .expressionAttributeValues(Map.of(":z", n(0)))));
                } catch (ConditionalCheckFailedException inUse) {
                    // the path was created again and has children in this block: keep it
                }
            }
        } catch (RuntimeException e) {
            // Zero tallies are harmless leftovers; the delete itself has succeeded.
            System.getLogger(ChildPages.class.getName()).log(System.Logger.Level.WARNING,
                    "could not remove the tallies of " + container + ": " + e.getMessage());
        }
    }

    /** The items of the children named by {@code keys}, in that order, skipping any deleted meanwhile. */
    private List<Node> load(NodePath parent, List<String> keys) {
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        AttributeValue pk = s(childPk(parent));
        for (int i = 0; i < keys.size(); i += 100) {
            List<Map<String, AttributeValue>> chunk = new ArrayList<>();
            for (String k : keys.subList(i, Math.min(keys.size(), i + 100))) chunk.add(Map.of(PK, pk, SK, s(k)));
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(chunk).consistentRead(true).build());
            for (int attempt = 0; !request.isEmpty(); attempt++) {
                Map<String, KeysAndAttributes> req = request;
                var r = catalog.io("BatchGetItem", () -> dynamo.batchGetItem(b -> b.requestItems(req)));
                for (Map<String, AttributeValue> item : r.responses().getOrDefault(table, List.of())) found.put(string(item, SK), item);
                request = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
                if (!request.isEmpty()) pause(attempt);
            }
        }
        List<Node> out = new ArrayList<>();
        for (String k : keys) {
            Map<String, AttributeValue> item = found.get(k);
            if (item != null) decode(parent, item).ifPresent(out::add);
        }
        return out;
    }

    private Optional<Node> decode(NodePath parent, Map<String, AttributeValue> item) {
        NodePath path = parent.child(string(item, SK));
        Optional<Node> n = catalog.codec().decode(path, item);
        return n.isPresent() ? n : catalog.get(path); // its spilled document was replaced under us
    }

    private List<Map<String, AttributeValue>> queryAll(QueryRequest q) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        Map<String, AttributeValue> from = null;
        do {
            QueryResponse r = io(from == null ? q : q.toBuilder().exclusiveStartKey(from).build());
            out.addAll(r.items());
            from = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (from != null);
        return out;
    }

    private QueryResponse io(QueryRequest q) {
        return catalog.io("Query", () -> dynamo.query(q));
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(1000, 20L << Math.min(attempt, 5)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.UncheckedIOException(new java.io.InterruptedIOException("interrupted"));
        }
    }
}
