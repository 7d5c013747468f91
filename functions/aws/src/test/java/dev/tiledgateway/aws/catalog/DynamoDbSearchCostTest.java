package dev.tiledgateway.aws.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.aws.CallCounter;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.query.Eq;
import dev.tiledgateway.core.query.FullText;
import dev.tiledgateway.core.query.Query;
import dev.tiledgateway.core.query.Regex;
import dev.tiledgateway.core.query.SearchPage;
import dev.tiledgateway.testkit.MotoServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.tiledgateway.aws.catalog.CatalogTable.n;
import static dev.tiledgateway.aws.catalog.CatalogTable.nodeKey;
import static dev.tiledgateway.aws.catalog.CatalogTable.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A selective search costs a fixed number of requests, whatever the size of the container: an {@code eq} and a
 * {@code fulltext} matching 100 children cost the same among 2,000 and among 8,000 children, and at most twice a listing
 * of one page of 100; a filter no index serves reads the whole container.
 */
@Tag("emulator")
class DynamoDbSearchCostTest {

    private static final int MATCHING = 100;
    private static final int SMALL = 2_000;
    private static final int LARGE = 8_000;
    private static final NodePath BIG = NodePath.of("big");
    /** Counts this class's calls only (other classes may run meanwhile). */
    private static final CallCounter CALLS = new CallCounter();
    private static DynamoDbCatalog catalog;

    @BeforeAll
    static void table() {
        catalog = new DynamoDbCatalog(AwsClients.emulated(MotoServer.shared().endpoint(), MotoServer.shared().endpoint()).dynamo(CALLS),
                MotoCatalogs.newTable("search-cost"), MotoCatalogs.spillStore(), NodeCodec.DEFAULT_SPILL_THRESHOLD, DynamoDbCatalog.DEFAULT_TALLY_BLOCK);
        catalog.put(Node.container(BIG, Json.object(), List.of()));
    }

    /**
     * Child {@code seq}'s metadata: among the first {@value #SMALL}, 100 are teal and another 100 mention zanzibar; the
     * others, and every child added later, have a number (two index items: family and value).
     */
    private static ObjectNode metadata(int seq) {
        int every = SMALL / MATCHING;
        if (seq <= SMALL && seq % every == 0) return Json.object().put("color", "teal");
        if (seq <= SMALL && seq % every == 1) return Json.object().put("color", seq % 50).put("note", "seen near Zanzibar");
        return Json.object().put("color", seq % 50);
    }

    /**
     * Adds children {@code from..to} as a create writes them (node items listing their index items, the index items,
     * tallies and counters), in batches: thousands of single creations would take minutes on the emulator.
     */
    private static void load(int from, int to) {
        List<WriteRequest> batch = new ArrayList<>();
        for (int seq = from; seq <= to; seq++) {
            NodePath path = BIG.child(String.format("n%05d", seq));
            Node node = new Node(path, StructureFamily.ARRAY, metadata(seq), List.of(), null, null, null, 1);
            List<SearchIndex.Entry> entries = IndexWrites.entries(node, seq);
            batch.add(put(DynamoDbCatalog.newItem(node, nodeKey(path), catalog.codec().encode(node), seq, entries)));
            for (SearchIndex.Entry e : entries) batch.add(put(IndexWrites.item(BIG, path.key(), e)));
            if (batch.size() >= 100 || seq == to) write(batch);
        }
        Map<Long, Long> tallies = new TreeMap<>();
        for (long seq = 1; seq <= to; seq++) tallies.merge(seq / DynamoDbCatalog.DEFAULT_TALLY_BLOCK, 1L, Long::sum);
        tallies.forEach((block, live) -> catalog.dynamo().putItem(b -> b.tableName(catalog.table())
                .item(Map.of(CatalogTable.PK, s(CatalogTable.tallyPk(BIG)), CatalogTable.SK, CatalogTable.tallyKey(BIG, block).get(CatalogTable.SK),
                        CatalogTable.LIVE, n(live)))));
        catalog.dynamo().updateItem(b -> b.tableName(catalog.table()).key(nodeKey(BIG))
                .updateExpression("SET kids = :n, seqs = :n").expressionAttributeValues(Map.of(":n", n(to))));
    }

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(new HashMap<>(item)).build()).build();
    }

    private static void write(List<WriteRequest> batch) {
        for (int i = 0; i < batch.size(); i += 25) {
            Map<String, List<WriteRequest>> req = Map.of(catalog.table(), List.copyOf(batch.subList(i, Math.min(batch.size(), i + 25))));
            while (!req.isEmpty()) {
                Map<String, List<WriteRequest>> r = req;
                var out = catalog.dynamo().batchWriteItem(b -> b.requestItems(r));
                req = out.hasUnprocessedItems() ? out.unprocessedItems() : Map.of();
            }
        }
        batch.clear();
    }

    /** Searches and returns the requests it took. */
    private static String cost(Query q) {
        CALLS.reset();
        SearchPage page = catalog.search(BIG, List.of(q), List.of(), 0, MATCHING);
        assertEquals(MATCHING, page.count(), q.toString());
        assertEquals(MATCHING, page.nodes().size());
        for (Node n : page.nodes()) assertTrue(q.matches(n));
        return CALLS.toString();
    }

    /** How many of the children loaded pass every filter. */
    private static long matching(Query... filters) {
        long n = 0;
        for (int seq = 1; seq <= LARGE; seq++) {
            Node node = new Node(BIG.child(String.format("n%05d", seq)), StructureFamily.ARRAY, metadata(seq), List.of(), null, null, null, 1);
            if (java.util.Arrays.stream(filters).allMatch(q -> q.matches(node))) n++;
        }
        return n;
    }

    private static String listing() {
        CALLS.reset();
        assertEquals(MATCHING, catalog.children(BIG, List.of(), 0, MATCHING).size());
        return CALLS.toString();
    }

    @Test
    void aSelectiveSearchCostsTheSameWhenTheContainerGrowsFourfold() {
        Query eq = new Eq("color", Json.mapper().getNodeFactory().textNode("teal"));
        Query words = new FullText("zanzibar");
        Query unindexed = new Regex("note", "^seen", true);
        List<String> report = new ArrayList<>();
        Map<Query, long[]> small = new HashMap<>();

        load(1, SMALL);
        report.add("listing a page of " + MATCHING + " among " + SMALL + ": " + listing());
        long listed = CALLS.total();
        for (Query q : List.of(eq, words, unindexed)) {
            report.add(q + " among " + SMALL + ": " + cost(q));
            small.put(q, new long[] {CALLS.total(), CALLS.queriedItems()});
        }

        load(SMALL + 1, LARGE);
        report.add("listing a page of " + MATCHING + " among " + LARGE + ": " + listing());
        for (Query q : List.of(eq, words)) {
            report.add(q + " among " + LARGE + ": " + cost(q));
            assertEquals(small.get(q)[0], CALLS.total(), "requests: " + report);
            assertEquals(small.get(q)[1], CALLS.queriedItems(), "index entries read: " + report);
            // GetItem of the container, Query of the partial markers, Query of the index, BatchGetItem of the 100.
            assertEquals(4, CALLS.total(), report.toString());
            assertEquals(1, CALLS.calls("BatchGetItem"), report.toString());
            assertEquals(MATCHING, CALLS.queriedItems(), report.toString());
            assertTrue(CALLS.total() <= 2 * listed, report.toString());
        }
        // A broad filter ranked first (an `in` naming 1,600 children) is probed up to 1,001 entries, then the selective
        // one decides: its 100 candidates are read, not an intersection of both.
        List<com.fasterxml.jackson.databind.JsonNode> ten = new ArrayList<>();
        for (int i = 0; i < 10; i++) ten.add(Json.mapper().getNodeFactory().numberNode(i));
        Query broad = new dev.tiledgateway.core.query.In("color", ten);
        CALLS.reset();
        SearchPage both = catalog.search(BIG, List.of(broad, words), List.of(), 0, MATCHING);
        report.add("[" + broad + ", " + words + "] among " + LARGE + ": " + CALLS);
        assertEquals(matching(broad, words), both.count());
        assertEquals(1, CALLS.calls("BatchGetItem"), report.toString());
        assertTrue(CALLS.queriedItems() <= 1001 + MATCHING, report.toString());

        // No index serves a regex: it reads the whole container, and its cost grows with it.
        report.add(unindexed + " among " + LARGE + ": " + cost(unindexed));
        assertEquals(LARGE, CALLS.queriedItems(), report.toString());
        assertTrue(CALLS.total() >= small.get(unindexed)[0], report.toString());
        System.out.println("search cost: " + String.join("; ", report));
    }
}
