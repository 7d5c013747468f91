package dev.tiledgateway.embedded.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.query.Comparison;
import dev.tiledgateway.core.query.Contains;
import dev.tiledgateway.core.query.Distinct;
import dev.tiledgateway.core.query.Eq;
import dev.tiledgateway.core.query.FullText;
import dev.tiledgateway.core.query.In;
import dev.tiledgateway.core.query.KeyPresent;
import dev.tiledgateway.core.query.Like;
import dev.tiledgateway.core.query.NotEq;
import dev.tiledgateway.core.query.NotIn;
import dev.tiledgateway.core.query.Query;
import dev.tiledgateway.core.query.SearchPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The value rules of {@code Values} that the index must reproduce, one case each: the expected children are
 * written out, and every answer is also compared with the reference.
 */
class SqliteSearchTest {

    private static final NodePath BASE = NodePath.of("base");

    @TempDir
    static Path dir;
    private static SqliteCatalog catalog;

    @BeforeAll
    static void fill() {
        catalog = new SqliteCatalog(dir.resolve("catalog.db"));
        catalog.put(Node.container(BASE, Json.object(), List.of()));
        // A sibling with the same values: none of its rows may leak into searches of BASE.
        catalog.put(Node.container(NodePath.of("sibling"), Json.object(), List.of()));
        String[][] children = {
                {"int1", "{\"v\": 1}"},
                {"float1", "{\"v\": 1.0}"},
                {"str1", "{\"v\": \"1\"}"},
                {"true", "{\"v\": true}"},
                {"null", "{\"v\": null}"},
                {"negzero", "{\"v\": -0.0}"},
                {"zero", "{\"v\": 0}"},
                {"big", "{\"v\": 9007199254740993}"},
                {"bigf", "{\"v\": 9007199254740992.0}"},
                {"huge", "{\"v\": 1180591620717411303424}"},
                {"bmp", "{\"v\": \"\\uffff\"}"},
                {"astral", "{\"v\": \"\\ud83d\\ude00\"}"},
                {"arr", "{\"v\": [1, 2.0, \"x\", [3], {\"k\": 1}]}"},
                {"arr2", "{\"v\": [1.0, 2, \"x\", [3.0], {\"k\": 1.0}]}"},
                {"obj", "{\"v\": {\"a\": 1, \"b\": [2]}, \"text\": \"Grüße aus Köln, RED-green\"}"},
                {"dotted", "{\"x.y\": 1, \"x\": {\"z\": 2}}"},
                {"nested", "{\"x\": {\"y\": 1}}"},
                {"glob", "{\"v\": \"a*b?[c]\", \"text\": \"red\"}"},
                {"nul", "{\"v\": \"ab\\u0000cd\"}"},
                {"lone", "{\"v\": \"a\\ud800b\"}"},
                {"empty", "{}"},
                {"members", "{\"w\": {\"x\": 1, \"y\": 2}}"},
                {"posing", "{\"w\": {\"x=n1, y\": 2}}"},
        };
        for (String[] c : children) {
            try {
                Node n = new Node(BASE.child(c[0]), StructureFamily.ARRAY, (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(c[1]), List.of(), Json.object(), null, null, 0);
                catalog.put(n);
                catalog.put(new Node(NodePath.of("sibling").child(c[0]), n.family(), n.metadata(), n.specs(), n.structure(), null, null, 0));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @AfterAll
    static void close() throws Exception {
        catalog.close();
    }

    private static JsonNode json(String s) {
        try {
            return Json.parse(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The keys found, checked against the reference first. */
    private static List<String> found(Query... filters) {
        SearchPage got = catalog.search(BASE, List.of(filters), List.of(), 0, 100);
        assertEquals(RandomSearches.reference(catalog, BASE, List.of(filters), List.of(), 0, 100), got, List.of(filters).toString());
        List<String> keys = new ArrayList<>();
        for (Node n : got.nodes()) keys.add(n.path().key());
        return keys;
    }

    @Test
    void numbersEqualByValueAndNeverAStringOrABoolean() {
        assertEquals(List.of("int1", "float1"), found(new Eq("v", json("1"))));
        assertEquals(List.of("int1", "float1"), found(new Eq("v", json("1.0"))));
        assertEquals(List.of("str1"), found(new Eq("v", json("\"1\""))));
        assertEquals(List.of("true"), found(new Eq("v", json("true"))));
        assertEquals(List.of("null"), found(new Eq("v", json("null"))));
        assertEquals(List.of("int1", "float1", "true"), found(new In("v", List.of(json("1"), json("true")))));
    }

    @Test
    void negativeZeroIsZero() {
        assertEquals(List.of("negzero", "zero"), found(new Eq("v", json("0"))));
        assertEquals(List.of("negzero", "zero"), found(new Eq("v", json("-0.0"))));
        assertEquals(List.of(), found(new Comparison(Comparison.Operator.LT, "v", json("0"))));
        assertEquals(List.of("negzero", "zero"), found(new Comparison(Comparison.Operator.LE, "v", json("0.0"))));
    }

    @Test
    void integersBeyondDoublePrecisionCompareAsWrittenThoughTheirDoublesTie() {
        assertEquals(List.of("big"), found(new Eq("v", json("9007199254740993"))));
        assertEquals(List.of("bigf"), found(new Eq("v", json("9007199254740992.0"))));
        assertEquals(List.of("bigf"), found(new Eq("v", json("9007199254740992"))));
        assertEquals(List.of("big", "huge"), found(new Comparison(Comparison.Operator.GT, "v", json("9007199254740992"))));
        assertEquals(List.of("huge"), found(new Comparison(Comparison.Operator.GT, "v", json("9007199254740993"))));
        assertEquals(List.of("bigf"), found(new Comparison(Comparison.Operator.LT, "v", json("9007199254740993")),
                new Comparison(Comparison.Operator.GT, "v", json("2"))));
        assertEquals(List.of("huge"), found(new Eq("v", json("1180591620717411303424"))));
        assertEquals(List.of("big"), found(new In("v", List.of(json("9007199254740993"), json("5")))));
        assertEquals(List.of(), found(new Contains("v", json("9007199254740993"))));
    }

    @Test
    void stringsOrderByUtf8BytesNotByUtf16() {
        assertEquals(List.of("astral"), found(new Comparison(Comparison.Operator.GT, "v", json("\"\\uffff\""))));
        assertEquals(List.of("str1", "glob", "nul", "lone"), found(new Comparison(Comparison.Operator.LT, "v", json("\"\\uffff\""))));
    }

    @Test
    void arraysAndObjectsEqualMemberByMemberWithNumbersByValue() {
        assertEquals(List.of("arr", "arr2"), found(new Eq("v", json("[1.0, 2, \"x\", [3], {\"k\": 1}]"))));
        assertEquals(List.of("obj"), found(new Eq("v", json("{\"b\": [2.0], \"a\": 1.0}"))));
        assertEquals(List.of(), found(new Eq("v", json("[1, 2]"))));
    }

    @Test
    void objectKeysCannotPoseAsSeparatorsOfTheCanonicalText() {
        assertEquals(List.of("members"), found(new Eq("w", json("{\"y\": 2, \"x\": 1.0}"))));
        assertEquals(List.of("posing"), found(new Eq("w", json("{\"x=n1, y\": 2}"))));
        Distinct d = catalog.distinct(BASE, List.of(), new Distinct.Request(List.of("w"), false, false, true));
        assertEquals(2, d.metadata().get("w").size(), "two different objects");
    }

    @Test
    void containsLooksInArraysOnly() {
        assertEquals(List.of("arr", "arr2"), found(new Contains("v", json("2"))));
        assertEquals(List.of("arr", "arr2"), found(new Contains("v", json("[3.0]"))));
        assertEquals(List.of("arr", "arr2"), found(new Contains("v", json("{\"k\": 1}"))));
        assertEquals(List.of(), found(new Contains("v", json("\"a\""))), "a string is not searched");
        assertEquals(List.of(), found(new Contains("v", json("3"))), "nor a nested array");
    }

    @Test
    void dottedKeysGoThroughObjectsAndAKeyHoldingADotIsUnreachable() {
        assertEquals(List.of("nested"), found(new Eq("x.y", json("1"))));
        assertEquals(List.of("dotted", "nested"), found(new KeyPresent("x", true)));
        assertEquals(List.of("nested"), found(new KeyPresent("x.y", true)));
        assertEquals(List.of("obj"), found(new Eq("v.a", json("1"))));
    }

    @Test
    void aNullIsPresentAndTheNegationsNeedTheKey() {
        assertEquals(List.of("dotted", "nested", "empty", "members", "posing"), found(new KeyPresent("v", false)));
        assertEquals(16, found(new NotEq("v", json("1"))).size(), "present (18), and not 1 or 1.0");
        assertEquals(23, found(new NotIn("v", List.of())).size(), "nothing is in an empty list");
        assertEquals(List.of(), found(new In("v", List.of())));
    }

    @Test
    void likeIsAWholeStringCaseSensitiveMatchWithoutEscapes() {
        assertEquals(List.of("glob"), found(new Like("v", "a*b?[c]")));
        assertEquals(List.of("glob"), found(new Like("v", "a*_?[%")));
        assertEquals(List.of("astral", "bmp", "str1"), sorted(found(new Like("v", "_"))), "one code point");
        assertEquals(List.of("nul"), found(new Like("v", "ab%")));
        assertEquals(List.of(), found(new Like("v", "A%")));
    }

    @Test
    void fullTextMatchesAnyWholeWordIgnoringCase() {
        assertEquals(List.of("obj", "glob"), found(new FullText("RED")));
        assertEquals(List.of("obj"), found(new FullText("GRÜẞE")));
        assertEquals(List.of("obj"), found(new FullText("nothing KÖLN")));
        assertEquals(List.of(), found(new FullText("gree")));
    }

    @Test
    void aLoneSurrogateIsStoredAsAQuestionMarkAndTheIndexAgrees() {
        assertEquals(List.of("lone"), found(new Eq("v", json("\"a?b\""))));
        assertEquals(List.of(), found(new Eq("v", json("\"a\\ud800b\""))));
    }

    @Test
    void aQueryTypeTheCatalogDoesNotKnowIsEvaluatedOnTheCandidates() {
        record KeyHoldsOne() implements Query {
            @Override public String name() { return "key_holds_one"; }
            @Override public boolean matches(Node child) { return child.path().key().contains("1"); }
        }
        assertEquals(List.of("int1", "float1", "str1"), found(new KeyHoldsOne()));
        assertEquals(List.of("int1", "float1"), found(new Eq("v", json("1")), new KeyHoldsOne()));
    }

    @Test
    void sortKeysAreCheckedEvenWhenNothingMatches() {
        assertEquals(400, assertThrows(TiledException.class,
                () -> catalog.search(BASE, List.of(new In("v", List.of())), List.of(new SortKey("a'); --", 1)), 0, 10)).status());
    }

    @Test
    void distinctGroupsEqualValuesAndRanksByCountThenFirstAppearance() {
        Distinct d = catalog.distinct(BASE, List.of(), new Distinct.Request(List.of("v"), true, true, true));
        assertEquals(RandomSearches.referenceDistinct(catalog, BASE, List.of(), new Distinct.Request(List.of("v"), true, true, true)), d);
        Distinct.Value first = d.metadata().get("v").get(0);
        assertEquals(json("1"), first.value(), "1 and 1.0 are one value, shown as it first appeared");
        assertEquals(2L, first.count());
    }

    private static List<String> sorted(List<String> s) {
        List<String> out = new ArrayList<>(s);
        out.sort(null);
        return out;
    }
}
