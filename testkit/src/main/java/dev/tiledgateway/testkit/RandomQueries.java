package dev.tiledgateway.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.SortKey;
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
import dev.tiledgateway.core.query.SpecsQuery;
import dev.tiledgateway.core.query.StructureFamilyQuery;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Children with random metadata drawn from small vocabularies (so that queries find something), and random
 * queries of every built-in type over them: numbers that are equal across types of JSON number, strings that look
 * like numbers, booleans, nulls, missing keys, nested objects, lists, accented and CJK words.
 */
final class RandomQueries {

    private static final JsonNodeFactory F = Json.mapper().getNodeFactory();
    private static final String[] WORDS = {"red", "Rouge", "vert", "Été", "ete", "東京", "blue", "BLUE", "alpha", "Ωmega", "straße", "x1"};
    private static final String[] NAMES = {"Cu", "Cu-Fe", "cupric", "Fe", "Ω", "東", "", "a_b", "A%B"};
    private static final String[] META_KEYS = {"color", "n", "tags", "sample", "sample.name", "sample.t", "text", "flag", "absent"};
    private static final String[] SORT_KEYS = {"color", "n", "sample.t", "text", "flag", "id", "sample.name"};
    private static final String[] SPECS = {"xarray_dataset", "s1", "s2"};
    private static final StructureFamily[] FAMILIES = {StructureFamily.ARRAY, StructureFamily.TABLE, StructureFamily.CONTAINER};

    private final SplittableRandom r;

    RandomQueries(SplittableRandom r) { this.r = r; }

    private <T> T pick(T[] a) { return a[r.nextInt(a.length)]; }

    String key(int i) {
        return switch (i % 7) {
            case 3 -> "ü" + i;
            case 5 -> "k " + i;
            default -> "c" + i;
        };
    }

    String metadataKey() { return pick(META_KEYS); }

    /** A value of the kinds metadata holds; numbers as ints, as equal doubles, as strings. */
    JsonNode value() {
        return switch (r.nextInt(12)) {
            case 0, 1 -> F.numberNode(r.nextInt(5));
            case 2 -> F.numberNode((double) r.nextInt(5));
            case 3 -> F.numberNode(r.nextInt(5) + 0.5);
            case 4 -> F.textNode(String.valueOf(r.nextInt(5)));
            case 5 -> F.booleanNode(r.nextBoolean());
            case 6 -> F.nullNode();
            case 7 -> {
                ArrayNode a = F.arrayNode();
                for (int i = r.nextInt(3); i > 0; i--) a.add(r.nextBoolean() ? F.textNode(pick(WORDS)) : F.numberNode(r.nextInt(3)));
                yield a;
            }
            default -> F.textNode(pick(WORDS));
        };
    }

    Node node(NodePath path) {
        ObjectNode md = Json.object();
        if (r.nextInt(5) > 0) md.set("color", r.nextInt(4) == 0 ? value() : F.textNode(pick(WORDS)));
        if (r.nextInt(5) > 0) md.set("n", value());
        if (r.nextInt(3) > 0) {
            ArrayNode tags = md.putArray("tags");
            for (int i = r.nextInt(4); i > 0; i--) tags.add(r.nextInt(3) == 0 ? value() : F.textNode(pick(WORDS)));
        }
        if (r.nextInt(4) > 0) {
            if (r.nextInt(6) == 0) md.set("sample", value());
            else {
                ObjectNode s = md.putObject("sample");
                if (r.nextInt(4) > 0) s.put("name", pick(NAMES));
                if (r.nextInt(4) > 0) s.set("t", r.nextBoolean() ? F.numberNode(r.nextInt(100) / 10.0) : value());
            }
        }
        if (r.nextInt(2) > 0) {
            StringBuilder b = new StringBuilder();
            for (int i = 1 + r.nextInt(4); i > 0; i--) b.append(pick(WORDS)).append(r.nextBoolean() ? " " : ", ");
            md.put("text", b.toString().strip());
        }
        if (r.nextInt(3) == 0) md.put("flag", r.nextBoolean());
        List<Spec> specs = new ArrayList<>();
        for (String s : SPECS) if (r.nextInt(3) == 0) specs.add(new Spec(s, r.nextInt(4) == 0 ? "1" : null));
        StructureFamily family = pick(FAMILIES);
        if (family == StructureFamily.CONTAINER) return Node.container(path, md, specs);
        ObjectNode structure = Json.object();
        structure.putArray("shape").add(1);
        return new Node(path, family, md, specs, structure, null, null, 0);
    }

    private List<JsonNode> values(int most) {
        List<JsonNode> out = new ArrayList<>();
        for (int i = r.nextInt(most + 1); i > 0; i--) out.add(value());
        return out;
    }

    Query query(List<String> keys) {
        String k = pick(META_KEYS);
        return switch (r.nextInt(14)) {
            case 0 -> new FullText(pick(WORDS) + (r.nextBoolean() ? "" : " " + pick(WORDS).toUpperCase(java.util.Locale.ROOT)));
            case 1 -> new KeyLookup(r.nextInt(5) == 0 ? "missing" : keys.get(r.nextInt(keys.size())));
            case 2 -> {
                List<String> named = new ArrayList<>();
                for (int i = r.nextInt(8); i > 0; i--) named.add(r.nextInt(6) == 0 ? "missing" : keys.get(r.nextInt(keys.size())));
                yield new KeysFilter(named);
            }
            case 3 -> new Regex(r.nextBoolean() ? "sample.name" : pick(new String[] {"color", "text"}),
                    pick(new String[] {"^Cu", "e$", "[aeiou]{2}", "u.", "東", "^$", "B", "\\d"}), r.nextBoolean());
            case 4 -> new Eq(k, value());
            case 5 -> new NotEq(k, value());
            case 6 -> new Comparison(pick(Comparison.Operator.values()), k, value());
            case 7 -> new Contains(k, value());
            case 8 -> new In(k, values(4));
            case 9 -> new NotIn(k, values(3));
            case 10 -> new KeyPresent(k, r.nextBoolean());
            case 11 -> new Like(r.nextBoolean() ? "sample.name" : pick(new String[] {"color", "text"}),
                    pick(new String[] {"Cu%", "%e%", "_", "%", "%u_", "A%B", "a_b", "%東%", "__"}));
            case 12 -> {
                List<String> include = new ArrayList<>();
                List<String> exclude = new ArrayList<>();
                for (String s : SPECS) {
                    int d = r.nextInt(4);
                    if (d == 0) include.add(s);
                    else if (d == 1) exclude.add(s);
                }
                yield new SpecsQuery(include, exclude);
            }
            default -> new StructureFamilyQuery(r.nextInt(4) == 0 ? StructureFamily.SPARSE : pick(FAMILIES));
        };
    }

    List<SortKey> sort() {
        List<SortKey> s = new ArrayList<>();
        int n = r.nextInt(3);
        List<String> used = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String k = pick(SORT_KEYS);
            if (used.contains(k)) continue;
            used.add(k);
            s.add(new SortKey(r.nextInt(4) == 0 && !k.equals("id") ? "metadata." + k : k, r.nextBoolean() ? 1 : -1));
        }
        if (r.nextInt(3) == 0) s.add(new SortKey("", r.nextBoolean() ? 1 : -1));
        return s;
    }
}
