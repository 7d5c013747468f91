package dev.tiledgateway.aws.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.query.Values;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The index keys keep the order and equality of {@code Values}, so that index reads over-include and never miss. */
class SearchIndexTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Random RANDOM = new Random(13);

    /** The sort key an item of {@code v} gets as child {@code seq}. */
    private static String sk(JsonNode v, long seq) { return SearchIndex.valuePrefix(v) + SearchIndex.seq12(seq); }

    private static boolean inRange(String sk, String[] r) { return SearchIndex.compare(r[0], sk) <= 0 && SearchIndex.compare(sk, r[1]) <= 0; }

    private static List<JsonNode> numbers() {
        List<JsonNode> out = new ArrayList<>(List.of(F.numberNode(0), F.numberNode(-0.0), F.numberNode(1), F.numberNode(1.0),
                F.numberNode(-1), F.numberNode(Long.MAX_VALUE), F.numberNode(Long.MIN_VALUE), F.numberNode(1e300), F.numberNode(-1e-300),
                F.numberNode(new BigDecimal("0.1")), F.numberNode(0.1), F.numberNode(new BigInteger("123456789012345678901234567890")),
                F.numberNode(9007199254740993L), F.numberNode(9007199254740992.0), F.numberNode(Double.MIN_VALUE)));
        for (int i = 0; i < 200; i++) {
            out.add(switch (i % 3) {
                case 0 -> F.numberNode(RANDOM.nextInt(2001) - 1000);
                case 1 -> F.numberNode((RANDOM.nextDouble() - 0.5) * Math.pow(10, RANDOM.nextInt(40) - 20));
                default -> F.numberNode(RANDOM.nextLong());
            });
        }
        return out;
    }

    private static List<JsonNode> strings() {
        List<JsonNode> out = new ArrayList<>();
        for (String s : List.of("", "a", "ab", "a\u0000", "a\u0000b", "a\u0001", "a\u0001\u0001", "a\u0002", "\u0000", "\u0001", "b",
                "é", "\uffff", "\ud83d\ude00", "z\ud83d\ude00", "\ud800", "?", "x".repeat(300), "x".repeat(300) + "a", "x".repeat(99) + "é", "x".repeat(199) + "é", "é".repeat(101)))
            out.add(F.textNode(s));
        String alphabet = "a\u0000\u0001\u0002b~é\ud83d\ude00";
        for (int i = 0; i < 300; i++) {
            StringBuilder b = new StringBuilder();
            int n = RANDOM.nextInt(i % 10 == 0 ? 260 : 6);
            for (int j = 0; j < n; j++) {
                int at = RANDOM.nextInt(alphabet.length() - 1);
                if (Character.isHighSurrogate(alphabet.charAt(at))) b.append(alphabet, at, at + 2);
                else if (!Character.isLowSurrogate(alphabet.charAt(at))) b.append(alphabet.charAt(at));
            }
            out.add(F.textNode(b.toString()));
        }
        return out;
    }

    @Test
    void equalValuesShareTheirPrefixAndOtherScalarsDoNotMatchIt() {
        List<JsonNode> all = new ArrayList<>(numbers());
        all.addAll(strings());
        all.addAll(List.of(F.booleanNode(true), F.booleanNode(false), F.nullNode()));
        for (JsonNode a : all) {
            for (JsonNode b : all) {
                if (Values.equal(a, b)) assertEquals(SearchIndex.valuePrefix(a), SearchIndex.valuePrefix(b), a + " == " + b);
                // An item of b is read for "eq a" exactly when its key begins with a's prefix: a superset of the equal ones.
                boolean read = sk(b, 7).startsWith(SearchIndex.valuePrefix(a));
                if (Values.equal(a, b)) assertTrue(read, a + " == " + b);
                if (read && !Values.equal(a, b)) {
                    boolean sameDouble = a.isNumber() && b.isNumber() && a.doubleValue() == b.doubleValue();
                    boolean longStrings = a.isTextual() && b.isTextual() && a.textValue().codePointCount(0, a.textValue().length()) >= SearchIndex.MAX_STRING_CHARS;
                    boolean lone = a.isTextual() && (a.textValue().contains("\ud800") || a.textValue().equals("?"));
                    assertTrue(sameDouble || longStrings || lone, "only rounding, cutting or lone surrogates over-include: " + a + " / " + b);
                }
            }
        }
        assertEquals(SearchIndex.valuePrefix(F.numberNode(1)), SearchIndex.valuePrefix(F.numberNode(1.0)));
        assertTrue(!SearchIndex.valuePrefix(F.numberNode(1)).equals(SearchIndex.valuePrefix(F.textNode("1"))));
        assertTrue(!SearchIndex.valuePrefix(F.numberNode(1)).equals(SearchIndex.valuePrefix(F.booleanNode(true))));
        assertNull(SearchIndex.valuePrefix(F.arrayNode().add(1)));
        assertNull(SearchIndex.valuePrefix(F.objectNode()));
    }

    @Test
    void everyValueOrderedAgainstABoundIsInsideItsRange() {
        List<JsonNode> all = new ArrayList<>(numbers());
        all.addAll(strings());
        all.addAll(List.of(F.booleanNode(true), F.nullNode()));
        for (JsonNode bound : all) {
            String[] below = SearchIndex.range(bound, true);
            String[] above = SearchIndex.range(bound, false);
            if (below == null || above == null) {
                for (JsonNode v : all) assertNull(Values.compare(v, bound), "nothing is ordered against " + bound);
                continue;
            }
            for (JsonNode v : all) {
                Integer order = Values.compare(v, bound);
                String sk = sk(v, 123);
                if (order != null && order <= 0) assertTrue(inRange(sk, below), v + " <= " + bound);
                if (order != null && order >= 0) assertTrue(inRange(sk, above), v + " >= " + bound);
                if (order == null) assertTrue(!inRange(sk, below) && !inRange(sk, above), v + " is not ordered against " + bound);
            }
        }
        assertNull(SearchIndex.range(F.booleanNode(true), true));
        assertNull(SearchIndex.range(F.nullNode(), false));
    }

    @Test
    void keysOfDifferentValuesSortInValueOrder() {
        for (List<JsonNode> values : List.of(numbers(), strings())) {
            for (JsonNode a : values) {
                for (JsonNode b : values) {
                    int order = Values.compare(a, b);
                    int keys = Integer.signum(SearchIndex.compare(sk(a, 5), sk(b, 5)));
                    if (order < 0) assertTrue(keys <= 0, a + " < " + b);
                    if (order > 0) assertTrue(keys >= 0, a + " > " + b);
                }
            }
        }
    }

    @Test
    void cuttingKeepsWholeCharacters() {
        String s = "ab\ud83d\ude00";
        assertEquals("ab", SearchIndex.cut(s, 5));
        assertEquals(s, SearchIndex.cut(s, 6));
        assertEquals("a", SearchIndex.cut("aé", 2));
        assertEquals("?", SearchIndex.cut("\ud800", 10));
    }

    private static Node leaf(ObjectNode metadata, List<Spec> specs) {
        return new Node(NodePath.of("c/x"), StructureFamily.ARRAY, metadata, specs, null, null, null, 1);
    }

    @Test
    void aNodeGetsItsBaseValuesAndWordsWithinTheBudgetAndMarkersForTheKindsLeftOut() {
        ObjectNode m = Json.object().put("a", 1).put("b", "two words").put("with.dot", 5).put("", 6);
        m.putArray("list").add("listed");
        m.putObject("o").put("p", true).putNull("q");
        List<SearchIndex.Entry> e = SearchIndex.entries(leaf(m, List.of(new Spec("s", null), new Spec("s", "2"))), 3);
        List<String> terms = e.stream().map(SearchIndex.Entry::term).toList();
        assertEquals(List.of("f:array", "p:s", "v:a", "v:b", "v:o.p", "v:o.q", "w:two", "w:words", "w:listed"), terms);

        ObjectNode many = Json.object();
        for (int i = 0; i < 95; i++) many.put("k" + i, i);
        many.put("text", "one two three");
        e = SearchIndex.entries(leaf(many, List.of()), 3);
        assertTrue(e.contains(SearchIndex.marker(SearchIndex.Kind.VALUES, 3)));
        assertTrue(e.contains(new SearchIndex.Entry("w:three", SearchIndex.seq12(3))));
        assertTrue(e.stream().noneMatch(x -> x.term().startsWith("v:")));

        StringBuilder prose = new StringBuilder();
        for (int i = 0; i < 200; i++) prose.append("word").append(i).append(' ');
        e = SearchIndex.entries(leaf(Json.object().put("text", prose.toString()).put("n", 1), List.of()), 3);
        assertTrue(e.contains(SearchIndex.marker(SearchIndex.Kind.WORDS, 3)));
        assertTrue(e.stream().anyMatch(x -> x.term().equals("v:n")));
        assertTrue(e.stream().noneMatch(x -> x.term().startsWith("w:")));
        assertTrue(e.size() <= SearchIndex.MAX_ITEMS + 2);
    }

    @Test
    void containerPrefixesAreDistinct() {
        assertEquals("#ix//", SearchIndex.prefix(NodePath.ROOT));
        assertEquals("#ix/a/b//", SearchIndex.prefix(NodePath.of("a/b")));
        assertTrue(!SearchIndex.pk(NodePath.ROOT, "v:x").equals(SearchIndex.pk(NodePath.of("a"), "v:x")));
    }
}
