package dev.tiledgateway.embedded.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.catalog.SortOrder;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.query.Comparison;
import dev.tiledgateway.core.query.Contains;
import dev.tiledgateway.core.query.Distinct;
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
import dev.tiledgateway.core.query.Values;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random metadata, filters and sorts for differential tests, and the reference answers they are compared with:
 * every child filtered with {@link Query#matches}, sorted with {@link SortOrder}, ties by creation order.
 */
final class RandomSearches {

    static final String[] TOP_KEYS = {"a", "b", "n", "name", "tags", "flag", "sample", "é", "x.y", ""};
    static final String[] QUERY_KEYS = {"a", "b", "n", "name", "tags", "flag", "sample", "sample.name", "sample.temp",
            "sample.deep.x", "é", "x", "x.y", "missing", "tags.0"};
    static final String[] SORT_KEYS = {"a", "b", "n", "name", "sample.temp", "sample.name", "flag", "tags"};
    static final String[] STRINGS = {"red", "Red", "réd", "green", "blue sky", "Blue", "日本語", "a_b", "a%b", "x*y?[z]", "",
            "emoji 😀 face", "\uFFFF", "zeta", "Zeta Alpha", "ab\u0000c", "3", "1.0", "true", "mixed-CASE words, here"};
    static final String[] WORDS = {"red", "RED", "réd", "sky", "blue", "日本語", "alpha", "zeta", "3", "face", "words", "nothing", "x", "Ωmega"};
    static final String[] LIKES = {"%", "r%", "%e%", "R_d", "_", "", "a\\_b", "a%b", "x*y?[z]", "%😀%", "blue%", "r_d", "%a"};
    static final String[] SPECS = {"xarray", "demo", "b"};

    private final Random random;
    /**
     * Whether data may hold values the index stores as loose (integers of 2^53 and more, NUL in strings): with it
     * most keys have some, and most filters are checked node by node; without it they are answered by SQL alone.
     * Queries use every value either way.
     */
    private final boolean looseData;
    /** Generating data (not a query value). */
    private boolean data;

    RandomSearches(long seed, boolean looseData) {
        random = new Random(seed);
        this.looseData = looseData;
    }

    int nextInt(int bound) { return random.nextInt(bound); }

    boolean nextBoolean() { return random.nextBoolean(); }

    <T> T pick(T[] options) { return options[random.nextInt(options.length)]; }

    // ---- data

    JsonNode scalar() {
        JsonNode v = anyScalar();
        if (!data || looseData) return v;
        if (v.isIntegralNumber() && Math.abs(v.doubleValue()) >= 0x1p53) return JsonNodeFactory.instance.numberNode(random.nextInt(7) - 3);
        if (v.isTextual() && v.textValue().indexOf('\0') >= 0) return JsonNodeFactory.instance.textNode("abc");
        return v;
    }

    private JsonNode anyScalar() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(14)) {
            case 0, 1, 2 -> f.numberNode(random.nextInt(7) - 3);
            case 3 -> f.numberNode(random.nextInt(7) - 3 + 0.5 * random.nextInt(2));
            case 4 -> f.numberNode(pickOf(new double[]{-0.0, 0.0, 1.0, 2.0, 1e20, 1.5e-7, 0.1}));
            case 5 -> random.nextInt(4) == 0 ? f.numberNode(pickOf(new long[]{9007199254740993L, 9007199254740992L, Long.MAX_VALUE, -9007199254740993L}))
                    : f.numberNode(new BigInteger("1180591620717411303424"));
            case 6 -> f.booleanNode(random.nextBoolean());
            case 7 -> f.nullNode();
            default -> f.textNode(pick(STRINGS));
        };
    }

    private double pickOf(double[] d) { return d[random.nextInt(d.length)]; }

    private long pickOf(long[] d) { return d[random.nextInt(d.length)]; }

    /** A value, occasionally an array or an object (nesting at most {@code depth} more levels). */
    JsonNode value(int depth) {
        int r = random.nextInt(10);
        if (depth > 0 && r == 0) {
            ArrayNode a = Json.mapper().createArrayNode();
            int n = random.nextInt(4);
            for (int i = 0; i < n; i++) a.add(value(depth - 1));
            return a;
        }
        if (depth > 0 && r == 1) {
            ObjectNode o = Json.object();
            int n = random.nextInt(3);
            for (int i = 0; i < n; i++) {
                o.set(pick(new String[]{"name", "temp", "x", "deep", "k=v, w"}), value(depth - 1));
            }
            return o;
        }
        return scalar();
    }

    ObjectNode metadata() {
        data = true;
        try {
            return randomMetadata();
        } finally {
            data = false;
        }
    }

    private ObjectNode randomMetadata() {
        ObjectNode m = Json.object();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) m.set(pick(TOP_KEYS), value(2));
        if (random.nextInt(3) == 0) {
            ObjectNode sample = m.putObject("sample");
            if (random.nextBoolean()) sample.set("name", scalar());
            if (random.nextBoolean()) sample.set("temp", scalar());
            if (random.nextInt(4) == 0) sample.putObject("deep").set("x", value(1));
        }
        if (random.nextInt(4) == 0) {
            ArrayNode tags = m.putArray("tags");
            int k = random.nextInt(4);
            for (int i = 0; i < k; i++) tags.add(random.nextInt(5) == 0 ? value(1) : scalar());
        }
        return m;
    }

    List<Spec> specs() {
        List<Spec> out = new ArrayList<>();
        for (String s : SPECS) if (random.nextInt(3) == 0) out.add(new Spec(s, random.nextBoolean() ? null : "1"));
        return out;
    }

    Node child(NodePath path) {
        if (random.nextInt(8) == 0) return Node.container(path, metadata(), specs());
        StructureFamily family = random.nextBoolean() ? StructureFamily.ARRAY : StructureFamily.TABLE;
        ObjectNode structure = Json.object();
        structure.putArray("shape").add(3);
        return new Node(path, family, metadata(), specs(), structure, null, null, 0);
    }

    // ---- queries

    Query query(List<String> childKeys) {
        String key = pick(QUERY_KEYS);
        return switch (random.nextInt(17)) {
            case 0 -> new FullText(pick(WORDS) + (random.nextBoolean() ? " " + pick(WORDS) : ""));
            case 1, 2 -> new Eq(key, value(1));
            case 3 -> new NotEq(key, scalar());
            case 4 -> new In(key, values());
            case 5 -> new NotIn(key, values());
            case 6, 7 -> new Comparison(pick(Comparison.Operator.values()), key, scalar());
            case 8 -> new Contains(key, random.nextInt(4) == 0 ? value(1) : scalar());
            case 9 -> new KeyPresent(key, random.nextBoolean());
            case 10 -> new Like(key, pick(LIKES));
            case 11 -> new Regex(key, pick(new String[]{"^r", "e", "(?i)BLUE", "\\d", "^$"}), random.nextBoolean());
            case 12 -> new SpecsQuery(subset(), subset());
            case 13 -> new StructureFamilyQuery(pick(new StructureFamily[]{StructureFamily.ARRAY, StructureFamily.TABLE, StructureFamily.CONTAINER}));
            case 14 -> {
                List<String> keys = new ArrayList<>();
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) keys.add(random.nextInt(6) == 0 ? "nope" : childKeys.get(random.nextInt(childKeys.size())));
                yield new KeysFilter(keys);
            }
            case 15 -> new KeyLookup(random.nextInt(5) == 0 ? "nope" : childKeys.get(random.nextInt(childKeys.size())));
            default -> new OddKeys(); // a query type the catalog does not know
        };
    }

    private List<JsonNode> values() {
        List<JsonNode> v = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) v.add(random.nextInt(5) == 0 ? value(1) : scalar());
        return v;
    }

    private List<String> subset() {
        List<String> out = new ArrayList<>();
        for (String s : SPECS) if (random.nextInt(4) == 0) out.add(s);
        return out;
    }

    List<Query> filters(List<String> childKeys) {
        List<Query> out = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) out.add(query(childKeys));
        return out;
    }

    List<SortKey> sort() {
        List<SortKey> out = new ArrayList<>();
        int n = random.nextInt(3);
        List<String> used = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String k = random.nextInt(4) == 0 ? "id" : pick(SORT_KEYS);
            if (used.contains(k)) continue;
            used.add(k);
            out.add(new SortKey(random.nextInt(5) == 0 ? "metadata." + k : k, random.nextBoolean() ? 1 : -1));
        }
        if (random.nextInt(4) == 0) out.add(new SortKey("", random.nextBoolean() ? 1 : -1));
        return out;
    }

    /** A user's query type: children whose key has an odd length. */
    record OddKeys() implements Query {
        @Override public String name() { return "odd_keys"; }
        @Override public boolean matches(Node child) { return child.path().key().length() % 2 == 1; }
    }

    // ---- reference answers

    static SearchPage reference(Catalog catalog, NodePath parent, List<Query> filters, List<SortKey> sort, long offset, int limit) {
        return reference(catalog.children(parent, List.of(), 0, Integer.MAX_VALUE), filters, sort, offset, limit);
    }

    /** The reference over {@code children}, all the children of a container in creation order. */
    static SearchPage reference(List<Node> children, List<Query> filters, List<SortKey> sort, long offset, int limit) {
        List<SortOrder.Entry> matches = matching(children, filters);
        matches.sort(SortOrder.comparator(sort));
        List<Node> page = new ArrayList<>();
        for (long i = offset; i < matches.size() && page.size() < limit; i++) page.add(matches.get((int) i).node());
        return new SearchPage(page, matches.size());
    }

    private static List<SortOrder.Entry> matching(List<Node> all, List<Query> filters) {
        List<SortOrder.Entry> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Node n = all.get(i);
            if (filters.stream().allMatch(q -> q.matches(n))) out.add(new SortOrder.Entry(n, i));
        }
        return out;
    }

    /** Distinct over the matching children in creation order: most frequent first, then first appearance. */
    static Distinct referenceDistinct(Catalog catalog, NodePath parent, List<Query> filters, Distinct.Request request) {
        return referenceDistinct(catalog.children(parent, List.of(), 0, Integer.MAX_VALUE), filters, request);
    }

    static Distinct referenceDistinct(List<Node> children, List<Query> filters, Distinct.Request request) {
        Map<String, Map<String, Object[]>> metadata = new LinkedHashMap<>();
        for (String k : request.metadataKeys()) metadata.put(k, new LinkedHashMap<>());
        Map<String, Object[]> families = new LinkedHashMap<>(), specs = new LinkedHashMap<>();
        for (SortOrder.Entry e : matching(children, filters)) {
            Node n = e.node();
            for (String k : request.metadataKeys()) {
                JsonNode v = Values.lookup(n, Values.path(k));
                if (v != null && !v.isNull()) tally(metadata.get(k), v);
            }
            tally(families, JsonNodeFactory.instance.textNode(n.family().wire()));
            ArrayNode list = Json.mapper().createArrayNode();
            for (Spec s : n.specs()) {
                ObjectNode o = list.addObject().put("name", s.name());
                if (s.version() == null) o.putNull("version");
                else o.put("version", s.version());
            }
            tally(specs, list);
        }
        Map<String, List<Distinct.Value>> m = new LinkedHashMap<>();
        metadata.forEach((k, t) -> m.put(k, ranked(t, request.counts())));
        return new Distinct(m, request.structureFamilies() ? ranked(families, request.counts()) : null,
                request.specs() ? ranked(specs, request.counts()) : null);
    }

    private static void tally(Map<String, Object[]> t, JsonNode v) {
        t.computeIfAbsent(dev.tiledgateway.core.query.Values.canonical(v), x -> new Object[]{v, 0L});
        Object[] e = t.get(dev.tiledgateway.core.query.Values.canonical(v));
        e[1] = (Long) e[1] + 1;
    }

    private static List<Distinct.Value> ranked(Map<String, Object[]> t, boolean counts) {
        List<Object[]> entries = new ArrayList<>(t.values());
        entries.sort(Comparator.comparingLong((Object[] e) -> (Long) e[1]).reversed());
        List<Distinct.Value> out = new ArrayList<>();
        for (Object[] e : entries) out.add(new Distinct.Value((JsonNode) e[0], counts ? (Long) e[1] : null));
        return out;
    }
}
