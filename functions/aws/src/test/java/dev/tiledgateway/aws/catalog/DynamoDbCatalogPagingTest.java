package dev.tiledgateway.aws.catalog;

import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.testkit.MotoServer;
import dev.tiledgateway.aws.CallCounter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

import static dev.tiledgateway.aws.catalog.CatalogTable.n;
import static dev.tiledgateway.aws.catalog.CatalogTable.nodeKey;
import static dev.tiledgateway.aws.catalog.CatalogTable.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pages deep into a large container cost about what the first page costs: the requests and the index
 * entries read are bounded by the page size and the tally block, not by the offset.
 */
@Tag("emulator")
class DynamoDbCatalogPagingTest {

    private static final int CHILDREN = 1000;
    private static final int BLOCK = 32;
    private static final int PAGE = 10;
    private static final NodePath BIG = NodePath.of("big");
    /** Counts this class's calls only (other classes may run meanwhile). */
    private static final CallCounter CALLS = new CallCounter();

    private static DynamoDbCatalog catalog;
    /** The expected creation order. */
    private static List<String> order;

    /** Child i's key: a permutation of the numbers, so key order differs from creation order. */
    private static String key(int i) { return String.format("k%05d", (i * 7919) % 100_000); }

    @BeforeAll
    static void bulkLoad() {
        catalog = new DynamoDbCatalog(AwsClients.emulated(MotoServer.shared().endpoint(), MotoServer.shared().endpoint()).dynamo(CALLS), MotoCatalogs.newTable("paging"),
                MotoCatalogs.spillStore(), NodeCodec.DEFAULT_SPILL_THRESHOLD, BLOCK);
        order = bulkLoad(catalog, BIG, CHILDREN, BLOCK, DynamoDbCatalogPagingTest::key, seq -> Json.object().put("i", seq));
    }

    /**
     * Creates a container of {@code children} leaves numbered 1.. in creation order, writing the items exactly as
     * registrations would (node items, tallies, the container's counters) but in batches: thousands of single
     * registrations would take minutes on the emulator. Returns the keys in creation order.
     */
    static List<String> bulkLoad(DynamoDbCatalog catalog, NodePath container, int children, int block,
                                 IntFunction<String> key, IntFunction<ObjectNode> metadata) {
        catalog.put(Node.container(container, Json.object(), List.of()));
        List<WriteRequest> batch = new ArrayList<>();
        Map<Long, Long> tallies = new TreeMap<>();
        List<String> created = new ArrayList<>();
        for (int seq = 1; seq <= children; seq++) {
            NodePath path = container.child(key.apply(seq));
            Node node = new Node(path, StructureFamily.ARRAY, metadata.apply(seq), List.of(), null, null, null, 1);
            Map<String, AttributeValue> item = new HashMap<>(nodeKey(path));
            item.put(CatalogTable.SEQ, n(seq));
            item.put(CatalogTable.REV, n(1));
            item.put(CatalogTable.FAMILY, s(node.family().wire()));
            item.put(CatalogTable.DOC, s(catalog.codec().encode(node).doc()));
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            tallies.merge((long) seq / block, 1L, Long::sum);
            created.add(path.key());
            if (batch.size() == 25 || seq == children) {
                Map<String, List<WriteRequest>> req = Map.of(catalog.table(), List.copyOf(batch));
                while (!req.isEmpty()) {
                    Map<String, List<WriteRequest>> r = req;
                    var out = catalog.dynamo().batchWriteItem(b -> b.requestItems(r));
                    req = out.hasUnprocessedItems() ? out.unprocessedItems() : Map.of();
                }
                batch.clear();
            }
        }
        tallies.forEach((b, live) -> catalog.dynamo().putItem(r -> r.tableName(catalog.table())
                .item(Map.of(CatalogTable.PK, s(CatalogTable.tallyPk(container)), CatalogTable.SK, CatalogTable.tallyKey(container, b).get(CatalogTable.SK),
                        CatalogTable.LIVE, n(live)))));
        catalog.dynamo().updateItem(b -> b.tableName(catalog.table()).key(nodeKey(container))
                .updateExpression("SET kids = :n, seqs = :n").expressionAttributeValues(Map.of(":n", n(children))));
        return created;
    }

    private static List<String> keys(List<Node> nodes) {
        List<String> k = new ArrayList<>();
        for (Node n : nodes) k.add(n.path().key());
        return k;
    }

    private static List<String> expected(List<String> all, long offset, int limit) {
        return all.subList((int) Math.min(all.size(), offset), (int) Math.min(all.size(), offset + limit));
    }

    /** Reads one page and returns what it cost. */
    private static String page(List<SortKey> sort, long offset, List<String> expectedOrder) {
        CALLS.reset();
        List<String> got = keys(catalog.children(BIG, sort, offset, PAGE));
        assertEquals(expected(expectedOrder, offset, PAGE), got, "page at " + offset);
        return CALLS.toString();
    }

    @Test
    void pagesAtAnyOffsetCostAboutTheSameAsTheFirst() {
        List<String> reversed = new ArrayList<>(order);
        Collections.reverse(reversed);

        page(List.of(), 0, order);
        long firstCalls = CALLS.total();
        long firstItems = CALLS.queriedItems();
        assertEquals(2, firstCalls, CALLS.toString()); // one index Query, one BatchGetItem
        assertEquals(PAGE, firstItems);

        // Dense numbering (nothing deleted): the offset maps straight to a sequence number.
        for (long offset : new long[] {1, 499, 990, 999}) {
            page(List.of(), offset, order);
            assertEquals(3, CALLS.total(), CALLS.toString()); // + the container's counters
            assertTrue(CALLS.queriedItems() <= PAGE, CALLS.toString());
            page(List.of(new SortKey("", -1)), offset, reversed);
            assertEquals(3, CALLS.total(), CALLS.toString());
        }

        // Delete a few children: numbers get gaps, and offsets go through the per-block tallies.
        for (int seq : new int[] {3, 350, 351, 800, 1000}) {
            assertTrue(catalog.delete(BIG.child(key(seq))));
            order.remove(key(seq));
            reversed.remove(key(seq));
        }
        assertEquals(CHILDREN - 5, catalog.countChildren(BIG));
        for (long offset : new long[] {0, 1, 2, 320, 347, 348, 700, 994, 995}) {
            page(List.of(), offset, order);
            assertTrue(CALLS.total() <= 5, CALLS.toString());
            // tallies (CHILDREN / BLOCK + 1 items) + at most one block of index keys + the page
            assertTrue(CALLS.queriedItems() <= CHILDREN / BLOCK + 1 + BLOCK + PAGE, CALLS.toString());
            page(List.of(new SortKey("", -1)), offset, reversed);
            assertTrue(CALLS.total() <= 5, CALLS.toString());
        }
    }

    @Test
    void keyOrderPagesAreRightAtAnyOffset() {
        List<String> byKey = new ArrayList<>(order);
        Collections.sort(byKey);
        for (long offset : new long[] {0, 1, 500, 990}) page(List.of(new SortKey("id", 1), new SortKey("n", 1)), offset, byKey);
        List<String> backwards = new ArrayList<>(byKey);
        Collections.reverse(backwards);
        page(List.of(new SortKey("id", -1)), 600, backwards);
    }

    @Test
    void metadataSortedPagesReadEachChildOnceAndThePageByKey() {
        // "i" is the creation number: sorted by -i the children come in reverse creation order.
        List<String> byI = new ArrayList<>(order);
        Collections.reverse(byI);
        long live = catalog.countChildren(BIG);
        for (long offset : new long[] {0, 1, 500, live - PAGE, live - 3}) {
            page(List.of(new SortKey("i", -1)), offset, byI);
            // The whole container once (Query pages of up to 1,000 items), then the page's items in one BatchGetItem.
            assertEquals(live, CALLS.queriedItems(), CALLS.toString());
            assertTrue(CALLS.calls("Query") <= live / 1000 + 1, CALLS.toString());
            assertEquals(1, CALLS.calls("BatchGetItem"), CALLS.toString());
            assertEquals(CALLS.calls("Query") + 1, CALLS.total(), CALLS.toString());
        }
        // With "metadata." spelled out and ties broken by reverse creation order, the same.
        page(List.of(new SortKey("metadata.i", -1), new SortKey("", -1)), 7, byI);
    }
}
