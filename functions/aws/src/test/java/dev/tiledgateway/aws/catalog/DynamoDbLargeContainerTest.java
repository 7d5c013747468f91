package dev.tiledgateway.aws.catalog;

import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.aws.CallCounter;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.testkit.MotoServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.tiledgateway.aws.catalog.CatalogTable.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Containers past the sizes the other paging tests use: a metadata sort over more than 10,000 children (once
 * refused), and creation-order pages over children written one by one through the catalog itself, with the
 * production tally block of 1,024, across block boundaries and after deletions in several blocks.
 */
@Tag("emulator")
class DynamoDbLargeContainerTest {

    private static final int PAGE = 10;
    private final CallCounter calls = new CallCounter();

    private DynamoDbCatalog catalog(String name, int block) {
        return new DynamoDbCatalog(AwsClients.emulated(MotoServer.shared().endpoint(), MotoServer.shared().endpoint()).dynamo(calls),
                MotoCatalogs.newTable(name), MotoCatalogs.spillStore(), NodeCodec.DEFAULT_SPILL_THRESHOLD, block);
    }

    private static List<String> keys(List<Node> nodes) {
        List<String> k = new ArrayList<>();
        for (Node n : nodes) k.add(n.path().key());
        return k;
    }

    private static List<String> slice(List<String> all, long offset) {
        return all.subList((int) Math.min(all.size(), offset), (int) Math.min(all.size(), offset + PAGE));
    }

    @Test
    void metadataSortsServeContainersOfMoreThanTenThousandChildren() {
        int children = 10_050;
        DynamoDbCatalog c = catalog("large-sort", DynamoDbCatalog.DEFAULT_TALLY_BLOCK);
        NodePath big = NodePath.of("big");
        // v: a permutation of 0..children-1 (distinct values); g: three groups, ties broken by creation order.
        List<String> created = DynamoDbCatalogPagingTest.bulkLoad(c, big, children, DynamoDbCatalog.DEFAULT_TALLY_BLOCK,
                seq -> String.format("n%05d", seq), seq -> Json.object().put("v", (seq * 7919L) % children).put("g", seq % 3));
        List<Integer> seqs = new ArrayList<>();
        for (int i = 1; i <= children; i++) seqs.add(i);

        List<Integer> byV = new ArrayList<>(seqs);
        byV.sort(Comparator.comparingLong(seq -> (seq * 7919L) % children));
        List<String> byVKeys = new ArrayList<>();
        for (int seq : byV) byVKeys.add(created.get(seq - 1));
        for (long offset : new long[] {0, 5_000, children - 1}) {
            calls.reset();
            assertEquals(slice(byVKeys, offset), keys(c.children(big, List.of(new SortKey("v", 1)), offset, PAGE)), "v at " + offset);
            assertEquals(children, calls.queriedItems(), calls.toString()); // every child read once, none twice
        }

        List<Integer> byG = new ArrayList<>(seqs);
        byG.sort(Comparator.comparingInt((Integer seq) -> seq % 3).reversed().thenComparing(Comparator.reverseOrder()));
        List<String> byGKeys = new ArrayList<>();
        for (int seq : byG) byGKeys.add(created.get(seq - 1));
        for (long offset : new long[] {3_345, 10_000})
            assertEquals(slice(byGKeys, offset), keys(c.children(big, List.of(new SortKey("g", -1), new SortKey("", -1)), offset, PAGE)), "g at " + offset);
    }

    @Test
    void creationOrderPagesOverChildrenWrittenThroughTheCatalogWithTheProductionTallyBlock() {
        int children = 1_100;
        int block = DynamoDbCatalog.DEFAULT_TALLY_BLOCK;
        DynamoDbCatalog c = catalog("written", block);
        NodePath box = NodePath.of("box");
        c.put(Node.container(box, Json.object(), List.of()));
        // Eight writers at once, as concurrent registrations would be; keys in an order unrelated to creation.
        try (ExecutorService writers = Executors.newFixedThreadPool(8)) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 1; i <= children; i++) {
                String key = String.format("w%04d", (i * 37) % 10_000);
                done.add(writers.submit(() -> c.put(new Node(box.child(key), StructureFamily.ARRAY, Json.object(), List.of(), null, null, null, 0))));
            }
            for (Future<?> f : done) f.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        // Creation order, read from the items themselves (not through the catalog's paging).
        TreeMap<Long, String> bySeq = new TreeMap<>();
        Map<String, AttributeValue> from = null;
        do {
            Map<String, AttributeValue> start = from;
            var r = c.dynamo().query(q -> q.tableName(c.table()).consistentRead(true).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(CatalogTable.childPk(box)))).exclusiveStartKey(start));
            for (Map<String, AttributeValue> item : r.items())
                bySeq.put(Long.parseLong(item.get(CatalogTable.SEQ).n()), item.get(CatalogTable.SK).s());
            from = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (from != null);
        assertEquals(children, bySeq.size());
        long[] gone = {bySeq.firstKey(), 5, 1023, 1024, 1030, bySeq.lastKey()}; // gaps in both blocks and at both ends
        for (long seq : gone) assertTrue(c.delete(box.child(bySeq.remove(seq))));
        List<String> order = new ArrayList<>(bySeq.values());
        assertEquals(order.size(), c.countChildren(box));

        // The tallies count exactly the live children of each block.
        Map<Long, Long> expectedTallies = new TreeMap<>();
        for (long seq : bySeq.keySet()) expectedTallies.merge(seq / block, 1L, Long::sum);
        Map<Long, Long> tallies = new TreeMap<>();
        for (Map<String, AttributeValue> t : c.dynamo().query(q -> q.tableName(c.table()).consistentRead(true)
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(CatalogTable.tallyPk(box))))).items())
            tallies.put(Long.parseLong(t.get(CatalogTable.SK).s()), Long.parseLong(t.get(CatalogTable.LIVE).n()));
        assertEquals(expectedTallies, tallies);

        List<String> reversed = new ArrayList<>(order);
        Collections.reverse(reversed);
        for (long offset : new long[] {0, 1, 1017, 1018, 1019, 1020, 1021, 1022, order.size() - 3, order.size() - 1}) {
            calls.reset();
            assertEquals(slice(order, offset), keys(c.children(box, List.of(), offset, PAGE)), "forward at " + offset);
            assertTrue(calls.total() <= 5, calls.toString());
            // the container's tallies (2 blocks) + at most one block of index keys + the page
            assertTrue(calls.queriedItems() <= 2 + block + PAGE, calls.toString());
            assertEquals(slice(reversed, offset), keys(c.children(box, List.of(new SortKey("", -1)), offset, PAGE)), "backward at " + offset);
        }
    }
}
