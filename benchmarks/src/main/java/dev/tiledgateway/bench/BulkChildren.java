package dev.tiledgateway.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.aws.catalog.CatalogTable;
import dev.tiledgateway.aws.catalog.CreationItems;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.LongFunction;

/**
 * Registers many small children under one container of a {@link DynamoDbCatalog} in {@code BatchWriteItem}s of 25,
 * leaving the table as one registration after another would (the item layout of {@code functions/aws/TABLE-DESIGN.md}):
 * child items numbered {@code seq} 1..n, each with its search index items and the {@code ix} list naming them, one
 * tally item per block of sequence numbers with its live count, and {@code kids = seqs = n} and {@code ixd} on the
 * container. Registering them one by one (a conditional update and a transaction each) would take 10+ minutes on moto.
 *
 * <p>The items are made by the catalog's own code ({@link CreationItems}), not re-invented here; and the first
 * {@value #DIRECT} children are registered through {@link DynamoDbCatalog#put}, whose items (node and index items)
 * must equal what {@link CreationItems} makes for them, or the load stops. Not safe against concurrent writers to
 * the same container.
 */
final class BulkChildren {

    private static final int BATCH = 25;
    /** Children written through {@code put}, against which the bulk items are checked. */
    static final int DIRECT = 3;

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

    /** What a load wrote. */
    record Loaded(long children, long items, long requests) {}

    /** Creates {@code container} (a new, empty container) with children {@link #key}(1..n), each a small empty container. */
    Loaded load(NodePath container, int n, int threads) throws IOException, InterruptedException {
        return load(container, n, threads, BulkChildren::metadata);
    }

    /**
     * Creates {@code container} (a new, empty container) with children {@link #key}(1..n), each a small empty container
     * with metadata {@code metadata.apply(seq)}.
     */
    Loaded load(NodePath container, int n, int threads, LongFunction<ObjectNode> metadata) throws IOException, InterruptedException {
        if (n < 1) throw new IllegalArgumentException("n must be at least 1");
        catalog.put(Node.container(container, Json.object(), List.of()));
        int direct = Math.min(DIRECT, n);
        for (long seq = 1; seq <= direct; seq++) catalog.put(child(container, seq, metadata));
        long checked = 0;
        for (long seq = 1; seq <= direct; seq++) checked += sameAsPut(container, seq, metadata);

        // The rest in batches, made while earlier ones are written (a few in flight: moto serialises requests, but the
        // client's and the socket's work overlap its own).
        long items = checked, requests = 0;
        List<WriteRequest> batch = new ArrayList<>(BATCH);
        Semaphore inFlight = new Semaphore(4 * threads);
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (long seq = direct + 1; seq <= n; seq++) {
                for (Map<String, AttributeValue> item : CreationItems.of(catalog, child(container, seq, metadata), seq)) {
                    batch.add(put(item));
                    items++;
                    if (batch.size() == BATCH) {
                        submit(pool, inFlight, done, batch);
                        requests++;
                        batch = new ArrayList<>(BATCH);
                    }
                }
                if (seq % 20_000 == 0) System.err.println(String.format(java.util.Locale.ROOT, "[bulk] … %,d of %,d children", seq, n));
            }
            // The tallies: live children per block of sequence numbers, as the registrations' transactions would have left them.
            Map<Long, Long> live = new TreeMap<>();
            int block = CreationItems.tallyBlock(catalog);
            for (long seq = 1; seq <= n; seq++) live.merge(seq / block, 1L, Long::sum);
            for (var e : live.entrySet()) {
                batch.add(put(CreationItems.tally(container, e.getKey(), e.getValue())));
                items++;
                if (batch.size() == BATCH) {
                    submit(pool, inFlight, done, batch);
                    requests++;
                    batch = new ArrayList<>(BATCH);
                }
            }
            if (!batch.isEmpty()) {
                submit(pool, inFlight, done, batch);
                requests++;
            }
            for (Future<?> f : done) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("bulk load failed: " + e.getCause(), e.getCause());
                }
            }
        }
        // Last, the counters: kids (exact count) and seqs (last number handed out), dense, nothing deleted; and ixd,
        // "children indexed" (the container's creation set it already; every child now has its index items).
        dynamo.updateItem(b -> b.tableName(table).key(Map.of(CatalogTable.PK, s("/" + container.parent().joined()), CatalogTable.SK, s(container.key())))
                .updateExpression("SET #kids = :n, #seqs = :n, #ixd = :one")
                .expressionAttributeNames(Map.of("#kids", CatalogTable.KIDS, "#seqs", CatalogTable.SEQS, "#ixd", CatalogTable.IXD))
                .expressionAttributeValues(Map.of(":n", nv(n), ":one", nv(1))));

        // The catalog itself agrees: the count, and the last child with its metadata.
        long count = catalog.countChildren(container);
        if (count != n) throw new IllegalStateException("bulk load: the catalog counts " + count + " children, expected " + n);
        Node last = catalog.get(container.child(key(n))).orElseThrow(() -> new IllegalStateException("bulk load: last child missing"));
        if (!last.metadata().equals(Json.parse(Json.bytes(metadata.apply(n))))) throw new IllegalStateException("bulk load: last child has metadata " + last.metadata());
        return new Loaded(n, items, requests);
    }

    private static Node child(NodePath container, long seq, LongFunction<ObjectNode> metadata) {
        return Node.container(container.child(key(seq)), metadata.apply(seq), List.of());
    }

    /**
     * Checks that what {@code put} wrote for child {@code seq} (its node item and each of its index items) is what
     * {@link CreationItems} makes for it; returns the number of items compared.
     */
    private long sameAsPut(NodePath container, long seq, LongFunction<ObjectNode> metadata) {
        List<Map<String, AttributeValue>> made = CreationItems.of(catalog, child(container, seq, metadata), seq);
        for (Map<String, AttributeValue> want : made) {
            Map<String, AttributeValue> got = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                    .key(Map.of(CatalogTable.PK, want.get(CatalogTable.PK), CatalogTable.SK, want.get(CatalogTable.SK)))).item();
            if (!want.equals(got))
                throw new IllegalStateException("bulk load: child " + seq + " as put wrote it differs from the bulk item: " + got + " vs " + want);
        }
        if (made.size() < 2) throw new IllegalStateException("bulk load: child " + seq + " has no index items");
        return made.size();
    }

    private void submit(ExecutorService pool, Semaphore inFlight, List<Future<?>> done, List<WriteRequest> batch) throws InterruptedException {
        inFlight.acquire();
        done.add(pool.submit(() -> {
            try {
                write(batch);
            } finally {
                inFlight.release();
            }
        }));
        // A failure shows up at the end; stop early if one is known already.
        if (done.size() % 1000 == 0) {
            for (Future<?> f : done) if (f.isDone()) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("bulk load failed: " + e.getCause(), e.getCause());
                }
            }
            done.removeIf(Future::isDone);
        }
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
        return WriteRequest.builder().putRequest(PutRequest.builder().item(new HashMap<>(item)).build()).build();
    }

    private static AttributeValue s(String v) { return AttributeValue.builder().s(v).build(); }

    private static AttributeValue nv(long v) { return AttributeValue.builder().n(Long.toString(v)).build(); }
}
