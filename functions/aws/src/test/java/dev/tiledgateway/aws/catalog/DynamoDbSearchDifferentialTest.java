package dev.tiledgateway.aws.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.catalog.SortOrder;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.query.Comparison;
import dev.tiledgateway.core.query.Contains;
import dev.tiledgateway.core.query.Eq;
import dev.tiledgateway.core.query.FullText;
import dev.tiledgateway.core.query.In;
import dev.tiledgateway.core.query.KeyLookup;
import dev.tiledgateway.core.query.KeyPresent;
import dev.tiledgateway.core.query.KeysFilter;
import dev.tiledgateway.core.query.Like;
import dev.tiledgateway.core.query.NotEq;
import dev.tiledgateway.core.query.NotIn;
import dev.tiledgateway.core.query.Query;
import dev.tiledgateway.core.query.Regex;
import dev.tiledgateway.core.query.SearchPage;
import dev.tiledgateway.core.query.SpecsQuery;
import dev.tiledgateway.core.query.StructureFamilyQuery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Search on DynamoDB equals the reference: {@link Query#matches} over every child, ordered by {@link SortOrder} (ties in
 * creation order), on random children (values of every JSON type, numbers equal across types, long strings sharing
 * a prefix, nodes with too many leaves or words for the index) after random replacements and deletions, for random
 * combinations of every built-in query, sort and page.
 */
@Tag("emulator")
class DynamoDbSearchDifferentialTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final NodePath BASE = NodePath.of("base");
    private static final String LONG = "a long shared beginning of a sample description that goes past one hundred characters, and then: ";
    private static final List<String> WORDS = List.of("red", "teal", "blue", "crystal", "Scan", "scan", "zeta", "élan", "x1");
    private static final List<String> SPECS = List.of("xdi", "nexus", "demo");
    private static final List<String> KEYS = List.of("color", "n", "sample.name", "sample.temp", "tags", "flag", "absent", "k7", "sample");

    private static final Random RANDOM = new Random(20240613);
    private static DynamoDbCatalog catalog;
    private static int created;
    /** Every child, in creation order (the searches do not change them). */
    private static List<Node> all;

    private static <T> T pick(List<T> l) { return l.get(RANDOM.nextInt(l.size())); }

    private static JsonNode scalar() {
        return switch (RANDOM.nextInt(14)) {
            case 0 -> F.textNode("red");
            case 1 -> F.textNode("teal");
            case 2 -> F.textNode("Teal blue");
            case 3 -> F.numberNode(1);
            case 4 -> F.numberNode(1.0);
            case 5 -> F.textNode("1");
            case 6 -> F.booleanNode(RANDOM.nextBoolean());
            case 7 -> F.nullNode();
            case 8 -> F.numberNode(RANDOM.nextInt(7) - 3);
            case 9 -> F.numberNode(RANDOM.nextInt(50) / 4.0);
            case 10 -> F.textNode(LONG + pick(WORDS));
            case 11 -> F.textNode(pick(WORDS) + " " + pick(WORDS));
            case 12 -> F.textNode("");
            default -> F.numberNode(RANDOM.nextLong());
        };
    }

    private static JsonNode value() {
        return switch (RANDOM.nextInt(10)) {
            case 0 -> F.arrayNode().add(pick(WORDS)).add(RANDOM.nextInt(3));
            case 1 -> F.objectNode().put("x", RANDOM.nextInt(2));
            default -> scalar();
        };
    }

    private static ObjectNode metadata() {
        ObjectNode m = Json.object();
        if (RANDOM.nextInt(5) > 0) m.set("color", value());
        if (RANDOM.nextInt(4) > 0) m.set("n", scalar());
        if (RANDOM.nextBoolean()) {
            ObjectNode s = m.putObject("sample");
            s.put("name", pick(WORDS) + " " + pick(WORDS));
            if (RANDOM.nextBoolean()) s.set("temp", scalar());
        }
        if (RANDOM.nextInt(3) == 0) {
            ArrayNode tags = m.putArray("tags");
            for (int i = RANDOM.nextInt(3); i >= 0; i--) tags.add(pick(WORDS));
        }
        if (RANDOM.nextInt(4) == 0) m.put("flag", RANDOM.nextBoolean());
        if (RANDOM.nextInt(12) == 0) for (int i = 0; i < 100; i++) m.put("k" + i, RANDOM.nextInt(3)); // values left out of the index
        if (RANDOM.nextInt(12) == 0) {
            StringBuilder prose = new StringBuilder(pick(WORDS));
            for (int i = 0; i < 120; i++) prose.append(" w").append(i);
            m.put("prose", prose.toString()); // words left out of the index
        }
        return m;
    }

    private static Node node(String key) {
        List<Spec> specs = new ArrayList<>();
        for (String s : SPECS) if (RANDOM.nextInt(3) == 0) specs.add(new Spec(s, null));
        StructureFamily family = pick(List.of(StructureFamily.ARRAY, StructureFamily.TABLE, StructureFamily.CONTAINER));
        NodePath path = BASE.child(key);
        if (family == StructureFamily.CONTAINER) return Node.container(path, metadata(), specs);
        return new Node(path, family, metadata(), specs, Json.object().put("shape", 1), null, null, 0);
    }

    @BeforeAll
    static void children() {
        catalog = MotoCatalogs.fresh("differential");
        catalog.put(Node.container(BASE, Json.object(), List.of()));
        for (int i = 0; i < 60; i++) catalog.put(node(key(created++)));
        for (int i = 0; i < 25; i++) {
            String k = key(RANDOM.nextInt(created));
            switch (RANDOM.nextInt(4)) {
                case 0 -> catalog.delete(BASE.child(k));
                case 1 -> catalog.putIfNewer(node(k), k, String.format("%04X", i + 1));
                default -> {
                    if (catalog.get(BASE.child(k)).map(n -> n.isContainer()).orElse(false)) catalog.delete(BASE.child(k));
                    catalog.put(node(k));
                }
            }
        }
        for (int i = 0; i < 6; i++) catalog.put(node(key(created++)));
        IndexAudit.assertConsistent(catalog);
        all = catalog.children(BASE, List.of(), 0, 100_000);
    }

    /** Keys whose order differs from creation order, some sharing prefixes. */
    private static String key(int i) { return (i % 3 == 0 ? "z" : "") + Integer.toString(i * 37 % 151, 7); }

    private static Query filter() {
        String key = pick(KEYS);
        return switch (RANDOM.nextInt(17)) {
            case 0, 1 -> new Eq(key, scalar());
            case 2 -> new Eq(key, value());
            case 3 -> {
                List<JsonNode> vs = new ArrayList<>();
                for (int i = RANDOM.nextInt(4); i > 0; i--) vs.add(RANDOM.nextInt(6) == 0 ? value() : scalar());
                yield new In(key, vs);
            }
            case 4, 5 -> new Comparison(pick(List.of(Comparison.Operator.values())), key, scalar());
            case 6 -> new FullText(pick(WORDS) + (RANDOM.nextBoolean() ? "" : " " + pick(WORDS).toUpperCase()));
            case 7 -> new SpecsQuery(RANDOM.nextBoolean() ? List.of(pick(SPECS)) : List.of(), RANDOM.nextBoolean() ? List.of(pick(SPECS)) : List.of());
            case 8 -> new StructureFamilyQuery(pick(List.of(StructureFamily.ARRAY, StructureFamily.TABLE, StructureFamily.CONTAINER)));
            case 9 -> new NotEq(key, scalar());
            case 10 -> new NotIn(key, RANDOM.nextBoolean() ? List.of() : List.of(scalar(), scalar()));
            case 11 -> new Regex(key, pick(List.of("^te", "blue$", "e")), RANDOM.nextBoolean());
            case 12 -> new Like(key, pick(List.of("te%", "%e%", "r_d")));
            case 13 -> new Contains("tags", F.textNode(pick(WORDS)));
            case 14 -> new KeyPresent(key, RANDOM.nextBoolean());
            case 15 -> new KeyLookup(key(RANDOM.nextInt(created + 5)));
            default -> new KeysFilter(List.of(key(RANDOM.nextInt(created)), key(RANDOM.nextInt(created)), "nothing"));
        };
    }

    private static List<SortKey> sort() {
        return pick(List.of(List.of(), List.of(new SortKey("", -1)), List.of(new SortKey("color", 1)),
                List.of(new SortKey("n", -1), new SortKey("", -1)), List.of(new SortKey("id", -1)),
                List.of(new SortKey("metadata.sample.temp", 1), new SortKey("color", -1))));
    }

    /** The reference: every child, in creation order, filtered by matches, sorted by SortOrder, paged. */
    private static SearchPage reference(List<Query> filters, List<SortKey> sort, long offset, int limit) {
        List<SortOrder.Entry> hits = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Node n = all.get(i);
            if (filters.stream().allMatch(q -> q.matches(n))) hits.add(new SortOrder.Entry(n, i));
        }
        Comparator<SortOrder.Entry> order = SortOrder.comparator(sort);
        hits.sort(order);
        List<Node> page = new ArrayList<>();
        for (long i = offset; i < hits.size() && page.size() < limit; i++) page.add(hits.get((int) i).node());
        return new SearchPage(page, hits.size());
    }

    private static List<String> keys(List<Node> nodes) { return nodes.stream().map(n -> n.path().key()).toList(); }

    /** A few hundred searches: moto reads its whole table for every Query, so more take minutes. */
    @Test
    void searchEqualsTheReferenceForRandomFiltersSortsAndPages() {
        for (int round = 0; round < 150; round++) {
            List<Query> filters = new ArrayList<>();
            for (int i = RANDOM.nextInt(round % 10 == 0 ? 1 : 3) + (round % 10 == 0 ? 0 : 1); i > 0; i--) filters.add(filter());
            List<SortKey> sort = sort();
            long offset = RANDOM.nextInt(4) == 0 ? RANDOM.nextInt(30) : 0;
            int limit = RANDOM.nextInt(10) == 0 ? 0 : 1 + RANDOM.nextInt(60);
            SearchPage want = reference(filters, sort, offset, limit);
            SearchPage got = catalog.search(BASE, filters, sort, offset, limit);
            String what = "round " + round + ": " + filters + " sorted by " + sort + " from " + offset + " limit " + limit;
            assertEquals(want.count(), got.count(), what);
            assertEquals(keys(want.nodes()), keys(got.nodes()), what);
            for (int i = 0; i < got.nodes().size(); i++) {
                assertEquals(true, want.nodes().get(i).sameContent(got.nodes().get(i)), what + ": whole nodes");
                assertEquals(want.nodes().get(i).revision(), got.nodes().get(i).revision(), what);
            }
        }
    }
}
