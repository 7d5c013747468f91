package dev.tiledgateway.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.aws.catalog.CatalogTable;
import dev.tiledgateway.aws.catalog.DynamoDbCatalog;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Registers many small children under one container of a {@link DynamoDbCatalog} in {@code BatchWriteItem}s of 25,
 * leaving the table as one registration after another would (the item layout of {@code functions/aws/TABLE-DESIGN.md}):
 * child items numbered {@code seq} 1..n, one tally item per block of {@value #TALLY_BLOCK} numbers with its live count,
 * and {@code kids = seqs = n} on the container. Registering them one by one (a conditional update and a transaction
 * each) would take 10+ minutes on moto.
 *
 * <p>The first child is registered through {@link DynamoDbCatalog#put}; its item is the template of the others (only
 * {@code sk}, {@code seq} and the metadata in {@code doc} differ), so the attributes a registration writes are copied,
 * not re-invented here. Not safe against concurrent writers to the same container.
 */
final class BulkChildren {

    /** {@code DynamoDbCatalog}'s tally block (its public constructor's default); see TABLE-DESIGN.md. */
    static final int TALLY_BLOCK = 1024;
    private static final int BATCH = 25;

    private final DynamoDbCatalog catalog;
    private final DynamoDbClient dynamo;
    private final String table;

    BulkChildren(DynamoDbCatalog catalog, DynamoDbClient dynamo, String table) {
        this.catalog = catalog;
        this.dynamo = dynamo;
        this.table = table;
    }

    /** The key of child {@code seq} (1-based): key order is creation order. */
    static String key(long seq) { return String.format("n%07d", seq); }

    static ObjectNode metadata(long seq) { return Json.object().put("i", seq); }

    /** Creates {@code container} (a new, empty container) with children {@link #key}(1..n), each a small empty container. */
    void load(NodePath container, int n, int threads) throws IOException, InterruptedException {
        if (n < 1) throw new IllegalArgumentException("n must be at least 1");
        catalog.put(Node.container(container, Json.object(), List.of()));
        catalog.put(Node.container(container.child(key(1)), metadata(1), List.of()));
        String pk = "/" + container.joined();
        Map<String, AttributeValue> template = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(CatalogTable.PK, s(pk), CatalogTable.SK, s(key(1))))).item();
        if (template == null || template.isEmpty() || !template.containsKey(CatalogTable.DOC) || !"1".equals(num(template, CatalogTable.SEQ)))
            throw new IllegalStateException("the first child's item is not where TABLE-DESIGN.md puts it: " + template);
        ObjectNode doc = (ObjectNode) Json.parse(template.get(CatalogTable.DOC).s());

        List<List<WriteRequest>> batches = new ArrayList<>();
        List<WriteRequest> batch = new ArrayList<>();
        for (long seq = 2; seq <= n; seq++) {
            Map<String, AttributeValue> item = new HashMap<>(template);
            item.put(CatalogTable.SK, s(key(seq)));
            item.put(CatalogTable.SEQ, nv(seq));
            doc.set("m", metadata(seq));
            item.put(CatalogTable.DOC, s(Json.MAPPER.writeValueAsString(doc)));
            batch.add(put(item));
            if (batch.size() == BATCH) {
                batches.add(batch);
                batch = new ArrayList<>();
            }
        }
        // The tallies: live children per block of sequence numbers, as the registrations' transactions would have left them.
        Map<Long, Long> live = new TreeMap<>();
        for (long seq = 1; seq <= n; seq++) live.merge(seq / TALLY_BLOCK, 1L, Long::sum);
        String tallyPk = "#tally/" + container.joined();
        for (var e : live.entrySet()) {
            batch.add(put(Map.of(CatalogTable.PK, s(tallyPk), CatalogTable.SK, s(String.format("%012d", e.getKey())),
                    CatalogTable.LIVE, nv(e.getValue()))));
            if (batch.size() == BATCH) {
                batches.add(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) batches.add(batch);

        // moto serialises requests; a few in flight still overlap the client's and the socket's work with its own.
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (List<WriteRequest> b : batches) done.add(pool.submit(() -> write(b)));
            for (Future<?> f : done) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("bulk load failed: " + e.getCause(), e.getCause());
                }
            }
        }
        // Last, the counters: kids (exact count) and seqs (last number handed out); dense, nothing deleted.
        dynamo.updateItem(b -> b.tableName(table).key(Map.of(CatalogTable.PK, s("/" + container.parent().joined()), CatalogTable.SK, s(container.key())))
                .updateExpression("SET #kids = :n, #seqs = :n")
                .expressionAttributeNames(Map.of("#kids", CatalogTable.KIDS, "#seqs", CatalogTable.SEQS))
                .expressionAttributeValues(Map.of(":n", nv(n))));

        // The catalog itself agrees: the count, and the last child with its metadata.
        long count = catalog.countChildren(container);
        if (count != n) throw new IllegalStateException("bulk load: the catalog counts " + count + " children, expected " + n);
        Node last = catalog.get(container.child(key(n))).orElseThrow(() -> new IllegalStateException("bulk load: last child missing"));
        if (last.metadata().path("i").asLong(-1) != n) throw new IllegalStateException("bulk load: last child has metadata " + last.metadata());
    }

    private void write(List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> req = Map.of(table, batch);
        for (int attempt = 0; !req.isEmpty(); attempt++) {
            if (attempt > 20) throw new IllegalStateException("BatchWriteItem keeps leaving items unprocessed");
            if (attempt > 0) {
                try {
                    Thread.sleep(Math.min(1000, 20L << attempt));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            Map<String, List<WriteRequest>> r = req;
            var out = dynamo.batchWriteItem(b -> b.requestItems(r));
            req = out.hasUnprocessedItems() ? out.unprocessedItems() : Map.of();
        }
    }

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    private static AttributeValue s(String v) { return AttributeValue.builder().s(v).build(); }

    private static AttributeValue nv(long v) { return AttributeValue.builder().n(Long.toString(v)).build(); }

    private static String num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.n();
    }
}
