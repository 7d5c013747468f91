package dev.tiledgateway.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.query.Comparison;
import dev.tiledgateway.core.query.Comparison.Operator;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link Catalog#search} and {@link Catalog#distinct} must answer, on every catalog: each built-in query
 * with matching and non-matching children, the value rules of {@link dev.tiledgateway.core.query.Values} (dotted
 * keys, numbers against strings and booleans, JSON null against a missing key), the words of full-text search
 * (accents, case, CJK), filters ANDed, sorting and paging of filtered results with exact counts, and distinct.
 * Every search is also compared with {@link QueryReference} (each filter's {@code matches} on every child, then
 * {@link dev.tiledgateway.core.catalog.SortOrder}), so an index that disagrees with the reference semantics fails
 * even where a case names no expected keys. Each test works in a fresh container under the root.
 */
public abstract class QueryContract {

    protected abstract Catalog catalog();

    protected NodePath base;

    @BeforeEach
    void freshContainer() {
        base = NodePath.of("query-" + UUID.randomUUID());
        catalog().put(Node.container(base, Json.object(), List.of()));
    }

    // ---- fixtures

    /** JSON written with single quotes, for legibility. */
    protected static JsonNode json(String singleQuoted) {
        try {
            return Json.parse(singleQuoted.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected Node put(String key, String metadata) {
        return put(key, StructureFamily.ARRAY, metadata, List.of());
    }

    protected Node put(String key, StructureFamily family, String metadata, List<Spec> specs) {
        ObjectNode md = (ObjectNode) json(metadata);
        NodePath p = base.child(key);
        if (family == StructureFamily.CONTAINER) return catalog().put(Node.container(p, md, specs));
        ObjectNode structure = Json.object();
        structure.putArray("shape").add(1);
        return catalog().put(new Node(p, family, md, specs, structure, null, null, 0));
    }

    protected static Eq eq(String key, String value) { return new Eq(key, json(value)); }

    protected static NotEq noteq(String key, String value) { return new NotEq(key, json(value)); }

    protected static Comparison cmp(Operator op, String key, String value) { return new Comparison(op, key, json(value)); }

    protected static Contains contains(String key, String value) { return new Contains(key, json(value)); }

    protected static In in(String key, String list) { return new In(key, elements(list)); }

    protected static NotIn notin(String key, String list) { return new NotIn(key, elements(list)); }

    private static List<JsonNode> elements(String list) {
        List<JsonNode> out = new ArrayList<>();
        json(list).forEach(out::add);
        return out;
    }

    // ---- searching, checked against the reference every time

    /** The keys of every match in default order (checked against the reference, and the count too). */
    protected List<String> search(Query... filters) {
        return page(List.of(), 0, 300, filters);
    }

    /** One page of a sorted search, checked against the reference (keys, order, count, whole nodes). */
    protected List<String> page(List<SortKey> sort, long offset, int limit, Query... filters) {
        return page(QueryReference.children(catalog(), base), sort, offset, limit, filters);
    }

    /** As {@link #page(List, long, int, Query...)}, with the children already read. */
    private List<String> page(List<Node> children, List<SortKey> sort, long offset, int limit, Query... filters) {
        List<Query> fs = List.of(filters);
        SearchPage got = catalog().search(base, fs, sort, offset, limit);
        List<Node> all = QueryReference.search(children, fs, sort);
        List<Node> expected = all.subList((int) Math.min(offset, all.size()), (int) Math.min(all.size(), offset + limit));
        String what = "search " + fs + " sort " + sort + " offset " + offset + " limit " + limit;
        assertEquals(keys(expected), keys(got.nodes()), what + " (against Query.matches on every child)");
        assertEquals(all.size(), got.count(), what + ": count");
        for (int i = 0; i < expected.size(); i++)
            assertTrue(expected.get(i).sameContent(got.nodes().get(i)), what + ": the page's nodes are whole: " + got.nodes().get(i));
        return keys(got.nodes());
    }

    protected static List<String> keys(List<Node> nodes) {
        List<String> k = new ArrayList<>();
        for (Node n : nodes) k.add(n.path().key());
        return k;
    }

    protected Distinct distinct(Distinct.Request request, Query... filters) {
        List<Query> fs = List.of(filters);
        Distinct got = catalog().distinct(base, fs, request);
        QueryReference.assertSameDistinct(QueryReference.distinct(QueryReference.children(catalog(), base), fs, request), got,
                "distinct " + request + " " + fs);
        return got;
    }

    private static SortKey asc(String key) { return new SortKey(key, 1); }

    private static SortKey desc(String key) { return new SortKey(key, -1); }

    // ---- each query type

    @Test
    void fullTextFindsAnyOfTheWordsInAnyStringValue() {
        put("a", "{'title': 'The quick brown Fox'}");
        put("b", "{'notes': {'deep': ['lazy dog', {'x': 'sleeping'}]}}");
        put("c", "{'fox': 'keys are not words', 'n': 42}");
        put("d", "{}");
        assertEquals(List.of("a"), search(new FullText("fox")));
        assertEquals(List.of("a", "b"), search(new FullText("FOX dog")), "any of the words");
        assertEquals(List.of("b"), search(new FullText("sleeping")), "strings at any depth, inside lists");
        assertEquals(List.of(), search(new FullText("42")), "numbers are not text");
        assertEquals(List.of(), search(new FullText("qui")), "whole words only");
        assertEquals(List.of("a"), search(new FullText("brown-fox!")), "punctuation separates words in the query too");
    }

    @Test
    void fullTextFoldsCaseAndKeepsAccentsAndScripts() {
        put("fr", "{'t': 'Été à Paris'}");
        put("fr2", "{'t': 'ete a paris'}");
        put("nfd", "{'t': 'cafe\u0301'}");
        put("el", "{'t': 'ΟΔΟΣ'}");
        put("ja", "{'t': '東京大学 と 京都'}");
        put("de", "{'t': 'Straße'}");
        assertEquals(List.of("fr"), search(new FullText("été")), "an accent is part of the word");
        assertEquals(List.of("fr", "fr2"), search(new FullText("PARIS")));
        assertEquals(List.of("nfd"), search(new FullText("caf\u00e9")), "composed and decomposed accents agree");
        assertEquals(List.of("el"), search(new FullText("οδοσ")), "final sigma folds");
        assertEquals(List.of("ja"), search(new FullText("京都")));
        assertEquals(List.of("ja"), search(new FullText("東京大学")));
        assertEquals(List.of(), search(new FullText("東京")), "CJK runs are not segmented");
        assertEquals(List.of("de"), search(new FullText("STRAßE")));
    }

    @Test
    void lookupFindsOneChildByKey() {
        put("a", "{'n': 1}");
        put("b", "{'n': 2}");
        put("ünï 東", "{'n': 3}");
        assertEquals(List.of("b"), search(new KeyLookup("b")));
        assertEquals(List.of("ünï 東"), search(new KeyLookup("ünï 東")));
        assertEquals(List.of(), search(new KeyLookup("nope")));
        assertEquals(List.of(), search(new KeyLookup("a"), new KeyLookup("b")), "two different keys: nothing");
        assertEquals(List.of("a"), search(new KeyLookup("a"), new KeyLookup("a")));
        assertEquals(List.of(), search(new KeyLookup("a"), eq("n", "2")), "a lookup is ANDed like any filter");
        assertEquals(List.of(), search(new KeyLookup("a/b")));
    }

    @Test
    void keysFilterKeepsTheNamedChildrenInCreationOrder() {
        for (String k : List.of("d", "b", "a", "c")) put(k, "{'k': '" + k + "'}");
        assertEquals(List.of("d", "a"), search(new KeysFilter(List.of("a", "d", "zz"))));
        assertEquals(List.of(), search(new KeysFilter(List.of())));
        assertEquals(List.of("b"), search(new KeysFilter(List.of("a", "b")), new KeysFilter(List.of("b", "c"))));
        assertEquals(List.of("a", "d"), page(List.of(asc("id")), 0, 10, new KeysFilter(List.of("d", "a"))));
        assertEquals(List.of("a"), page(List.of(new SortKey("", -1)), 0, 1, new KeysFilter(List.of("d", "a"))));
    }

    @Test
    void regexSearchesStringValues() {
        put("a", "{'sample': {'name': 'Cu-Fe alloy'}}");
        put("b", "{'sample': {'name': 'cupric oxide'}}");
        put("c", "{'sample': {'name': 42}}");
        put("d", "{'sample': 'Cu'}");
        assertEquals(List.of("a"), search(new Regex("sample.name", "Cu", true)));
        assertEquals(List.of("a", "b"), search(new Regex("sample.name", "^cu", false)));
        assertEquals(List.of("b"), search(new Regex("sample.name", "ox.de$", true)));
        assertEquals(List.of(), search(new Regex("sample.name", "4", true)), "numbers are not strings");
        assertEquals(List.of("d"), search(new Regex("sample", "u", true)));
    }

    @Test
    void aBacktrackingRegexIsA400NotAHang() {
        put("a", "{'s': '" + "a".repeat(3000) + "b'}");
        TiledException e = assertThrows(TiledException.class, () -> catalog().search(base, List.of(new Regex("s", "((a+)+)\\2$", true)), List.of(), 0, 10));
        assertEquals(400, e.status());
    }

    @Test
    void eqComparesNumbersByValueAndNeverAcrossTypes() {
        put("int", "{'v': 1}");
        put("float", "{'v': 1.0}");
        put("str", "{'v': '1'}");
        put("bool", "{'v': true}");
        put("null", "{'v': null}");
        put("list", "{'v': [1, 'a']}");
        put("obj", "{'v': {'x': 1, 'y': [2]}}");
        put("none", "{}");
        assertEquals(List.of("int", "float"), search(eq("v", "1")));
        assertEquals(List.of("int", "float"), search(eq("v", "1.0")));
        assertEquals(List.of("str"), search(eq("v", "'1'")));
        assertEquals(List.of("bool"), search(eq("v", "true")));
        assertEquals(List.of(), search(eq("v", "false")));
        assertEquals(List.of("null"), search(eq("v", "null")), "JSON null is a value; a missing key is not");
        assertEquals(List.of("list"), search(eq("v", "[1.0, 'a']")));
        assertEquals(List.of(), search(eq("v", "['a', 1]")), "lists compare in order");
        assertEquals(List.of("obj"), search(eq("v", "{'y': [2], 'x': 1}")), "objects compare by members");
        assertEquals(List.of(), search(eq("v", "1.5")));
    }

    @Test
    void largeAndPreciseNumbers() {
        put("big", "{'v': 12345678901234567890}");
        put("neg", "{'v': -0.5}");
        put("exp", "{'v': 1e3}");
        put("zero", "{'v': 0}");
        assertEquals(List.of("big"), search(eq("v", "12345678901234567890")));
        assertEquals(List.of("exp"), search(eq("v", "1000")));
        assertEquals(List.of("zero"), search(eq("v", "-0.0")));
        assertEquals(List.of("neg", "zero"), search(cmp(Operator.LT, "v", "1")));
    }

    @Test
    void noteqNeedsTheKey() {
        put("red", "{'color': 'red'}");
        put("blue", "{'color': 'blue'}");
        put("num", "{'color': 1}");
        put("null", "{'color': null}");
        put("none", "{}");
        assertEquals(List.of("blue", "num", "null"), search(noteq("color", "'red'")));
        assertEquals(List.of("red", "blue", "num"), search(noteq("color", "null")));
        assertEquals(List.of("red", "blue", "null"), search(noteq("color", "1.0")));
    }

    @Test
    void comparisonOrdersNumbersAndStringsOnly() {
        put("n1", "{'v': 1}");
        put("n2", "{'v': 2.5}");
        put("n3", "{'v': 10}");
        put("s1", "{'v': 'a'}");
        put("s2", "{'v': 'b'}");
        put("s3", "{'v': 'é'}");
        put("t", "{'v': true}");
        put("z", "{'v': null}");
        put("l", "{'v': [1]}");
        put("none", "{}");
        assertEquals(List.of("n1", "n2"), search(cmp(Operator.LT, "v", "10")));
        assertEquals(List.of("n1", "n2", "n3"), search(cmp(Operator.LE, "v", "10")));
        assertEquals(List.of("n2", "n3"), search(cmp(Operator.GT, "v", "1")));
        assertEquals(List.of("n1", "n2", "n3"), search(cmp(Operator.GE, "v", "1.0")));
        assertEquals(List.of("s2", "s3"), search(cmp(Operator.GT, "v", "'a'")));
        assertEquals(List.of("s3"), search(cmp(Operator.GT, "v", "'z'")), "code point order: é after z");
        assertEquals(List.of("s1", "s2", "s3"), search(cmp(Operator.GT, "v", "'10'")), "a string orders against strings only");
        assertEquals(List.of(), search(cmp(Operator.GE, "v", "true")), "booleans are not ordered");
        assertEquals(List.of(), search(cmp(Operator.LE, "v", "null")));
        assertEquals(List.of("n2"), search(cmp(Operator.GT, "v", "1"), cmp(Operator.LT, "v", "10")), "a range: two comparisons ANDed");
    }

    @Test
    void containsLooksInsideListsOnly() {
        put("a", "{'tags': ['x', 'y', 1]}");
        put("b", "{'tags': ['y']}");
        put("c", "{'tags': 'x y'}");
        put("d", "{'tags': [['x']]}");
        put("e", "{'tags': [1.0, null]}");
        assertEquals(List.of("a"), search(contains("tags", "'x'")));
        assertEquals(List.of("a", "b"), search(contains("tags", "'y'")));
        assertEquals(List.of("a", "e"), search(contains("tags", "1")));
        assertEquals(List.of("d"), search(contains("tags", "['x']")));
        assertEquals(List.of("e"), search(contains("tags", "null")));
        assertEquals(List.of("a"), search(contains("tags", "'x'"), contains("tags", "'y'")));
    }

    @Test
    void inAndNotIn() {
        put("r", "{'c': 'red'}");
        put("g", "{'c': 'green'}");
        put("one", "{'c': 1}");
        put("null", "{'c': null}");
        put("none", "{}");
        assertEquals(List.of("r", "one"), search(in("c", "['red', 1.0, 'blue']")));
        assertEquals(List.of("null"), search(in("c", "[null]")));
        assertEquals(List.of(), search(in("c", "[]")), "nothing is in an empty list");
        assertEquals(List.of("g", "null"), search(notin("c", "['red', 1]")), "the key must be there");
        assertEquals(List.of("r", "g", "one", "null", "none"), search(notin("c", "[]")), "an empty NOT IN keeps everything");
        assertEquals(List.of("g"), search(notin("c", "['red', 1]"), notin("c", "[null]")));
    }

    @Test
    void keyPresentCountsJsonNullAsPresent() {
        put("v", "{'a': {'b': 0}}");
        put("null", "{'a': {'b': null}}");
        put("shallow", "{'a': 5}");
        put("other", "{'a': {'c': 1}}");
        put("none", "{}");
        assertEquals(List.of("v", "null"), search(new KeyPresent("a.b", true)));
        assertEquals(List.of("shallow", "other", "none"), search(new KeyPresent("a.b", false)));
        assertEquals(List.of("v", "null", "shallow", "other"), search(new KeyPresent("a", true)));
    }

    @Test
    void likeMatchesTheWholeStringCaseSensitively() {
        put("a", "{'name': 'Cu-Fe'}");
        put("b", "{'name': 'cu'}");
        put("c", "{'name': 'Cu'}");
        put("d", "{'name': 'Ω-7'}");
        put("e", "{'name': 7}");
        assertEquals(List.of("a", "c"), search(new Like("name", "Cu%")));
        assertEquals(List.of("c"), search(new Like("name", "Cu")));
        assertEquals(List.of("b", "c"), search(new Like("name", "_u")));
        assertEquals(List.of("d"), search(new Like("name", "_-_")), "_ is one character, also beyond ASCII");
        assertEquals(List.of("a", "b", "c", "d"), search(new Like("name", "%")), "strings only");
        assertEquals(List.of("a"), search(new Like("name", "%-%e")));
    }

    @Test
    void specsIncludeAllAndExcludeAny() {
        put("x", StructureFamily.CONTAINER, "{}", List.of(new Spec("xarray_dataset", null)));
        put("xy", StructureFamily.ARRAY, "{}", List.of(new Spec("xarray_dataset", "1"), new Spec("y", null)));
        put("y", StructureFamily.TABLE, "{}", List.of(new Spec("y", null)));
        put("none", "{}");
        assertEquals(List.of("x", "xy"), search(new SpecsQuery(List.of("xarray_dataset"), List.of())));
        assertEquals(List.of("xy"), search(new SpecsQuery(List.of("xarray_dataset", "y"), List.of())));
        assertEquals(List.of("x"), search(new SpecsQuery(List.of("xarray_dataset"), List.of("y"))));
        assertEquals(List.of("x", "none"), search(new SpecsQuery(List.of(), List.of("y"))));
        assertEquals(List.of("x", "xy", "y", "none"), search(new SpecsQuery(List.of(), List.of())));
    }

    @Test
    void structureFamily() {
        put("c", StructureFamily.CONTAINER, "{}", List.of());
        put("a", StructureFamily.ARRAY, "{}", List.of());
        put("t", StructureFamily.TABLE, "{}", List.of());
        assertEquals(List.of("t"), search(new StructureFamilyQuery(StructureFamily.TABLE)));
        assertEquals(List.of("c"), search(new StructureFamilyQuery(StructureFamily.CONTAINER)));
        assertEquals(List.of(), search(new StructureFamilyQuery(StructureFamily.SPARSE)));
        assertEquals(List.of(), search(new StructureFamilyQuery(StructureFamily.TABLE), new StructureFamilyQuery(StructureFamily.ARRAY)));
    }

    // ---- value rules across queries

    @Test
    void dottedKeysWalkNestedObjectsNeverListsNorDottedNames() {
        put("deep", "{'a': {'b': {'c': 'x'}}}");
        put("dotted", "{'a.b.c': 'x'}");
        put("list", "{'a': [{'b': {'c': 'x'}}]}");
        put("index", "{'a': {'0': {'c': 'x'}}}");
        assertEquals(List.of("deep"), search(eq("a.b.c", "'x'")));
        assertEquals(List.of("deep"), search(new KeyPresent("a.b.c", true)));
        assertEquals(List.of("index"), search(eq("a.0.c", "'x'")), "a segment is an object member, also when it looks like an index");
    }

    @Test
    void unicodeKeysAndValues() {
        put("fr", "{'température': {'unité': '°C', 'valeur': 21.5}}");
        put("ja", "{'名前': '東京', 'emoji': '🙂'}");
        assertEquals(List.of("fr"), search(eq("température.unité", "'°C'")));
        assertEquals(List.of("fr"), search(cmp(Operator.GT, "température.valeur", "21")));
        assertEquals(List.of("ja"), search(eq("名前", "'東京'")));
        assertEquals(List.of("ja"), search(new Like("emoji", "_")), "an astral character is one character");
        assertEquals(List.of("ja"), search(new Regex("名前", "^東", true)));
        assertEquals(List.of("ja"), search(cmp(Operator.GT, "emoji", "'\uffff'")), "code point order beyond the BMP (UTF-16 order would say less)");
    }

    @Test
    void filtersAreAnded() {
        put("a", "{'color': 'red', 'n': 1, 'tags': ['x']}");
        put("b", "{'color': 'red', 'n': 2, 'tags': ['y']}");
        put("c", "{'color': 'blue', 'n': 2, 'tags': ['x']}");
        assertEquals(List.of("b"), search(eq("color", "'red'"), eq("n", "2")));
        assertEquals(List.of("a"), search(eq("color", "'red'"), contains("tags", "'x'"), new FullText("red")));
        assertEquals(List.of(), search(eq("color", "'red'"), eq("color", "'blue'")), "two eq of one key");
        assertEquals(List.of("c"), search(new KeysFilter(List.of("a", "c")), noteq("color", "'red'")));
    }

    @Test
    void aQueryTheCatalogDoesNotKnowIsAnsweredByItsMatches() {
        put("apple", "{}");
        put("banana", "{}");
        put("avocado", "{}");
        Query startsWithA = new Query() {
            @Override public String name() { return "starts_with_a"; }
            @Override public boolean matches(Node child) { return child.path().key().startsWith("a"); }
            @Override public String toString() { return name(); }
        };
        assertEquals(List.of("apple", "avocado"), search(startsWithA));
        assertEquals(List.of("avocado"), search(startsWithA, new KeysFilter(List.of("avocado", "banana"))));
    }

    // ---- sorting and paging of filtered results

    @Test
    void sortedAndPagedFilteredResultsWithExactCounts() {
        String[] colors = {"red", "blue", "red", "red", "green", "red", "red", "blue"};
        for (int i = 0; i < colors.length; i++)
            put("k" + (char) ('h' - i), "{'color': '" + colors[i] + "', 'n': " + (i % 3) + (i == 4 ? "" : ", 's': 'v" + (7 - i) + "'") + "}");
        Eq red = eq("color", "'red'");
        assertEquals(List.of("kh", "kf", "ke", "kc", "kb"), search(red));
        assertEquals(List.of("kb", "kc", "ke", "kf", "kh"), page(List.of(asc("id")), 0, 10, red));
        assertEquals(List.of("kh", "kf", "ke", "kc", "kb"), page(List.of(desc("id")), 0, 10, red));
        assertEquals(List.of("kb", "kc", "ke", "kf", "kh"), page(List.of(new SortKey("", -1)), 0, 10, red));
        assertEquals(List.of("kh", "ke", "kb", "kf", "kc"), page(List.of(asc("n")), 0, 10, red), "ties in creation order");
        assertEquals(List.of("kf", "kc", "kh", "ke", "kb"), page(List.of(desc("metadata.n")), 0, 10, red));
        assertEquals(List.of("kc", "kf", "kb", "ke", "kh"), page(List.of(desc("metadata.n"), new SortKey("", -1)), 0, 10, red), "ties reversed by -default");
        assertEquals(List.of("kb", "kc", "ke", "kf", "kh"), page(List.of(asc("s")), 0, 10, red));
        assertEquals(List.of("kg", "ka", "kd"), page(List.of(desc("s")), 0, 10, new NotEq("color", json("'red'"))), "missing values last either way");
        // Paging through the filtered results covers each match once.
        for (List<SortKey> sort : List.of(List.<SortKey>of(), List.of(asc("n")), List.of(desc("id")), List.of(desc("s"), new SortKey("", -1)))) {
            List<String> all = page(sort, 0, 300, red);
            List<String> paged = new ArrayList<>();
            for (int offset = 0; offset < 7; offset += 2) paged.addAll(page(sort, offset, 2, red));
            assertEquals(all, paged, "pages of " + sort);
        }
        SearchPage countOnly = catalog().search(base, List.of(red), List.of(), 0, 0);
        assertEquals(5, countOnly.count());
        assertEquals(List.of(), countOnly.nodes());
        SearchPage past = catalog().search(base, List.of(red), List.of(), 50, 10);
        assertEquals(5, past.count());
        assertEquals(List.of(), past.nodes());
    }

    // ---- distinct

    @Test
    void distinctCountsValuesFamiliesAndSpecs() {
        put("a", StructureFamily.ARRAY, "{'color': 'red', 'n': 1, 's': {'t': 'x'}}", List.of(new Spec("s1", null)));
        put("b", StructureFamily.ARRAY, "{'color': 'red', 'n': 1.0}", List.of(new Spec("s1", null)));
        put("c", StructureFamily.TABLE, "{'color': 'blue', 'n': '1'}", List.of(new Spec("s1", "2"), new Spec("s2", null)));
        put("d", StructureFamily.CONTAINER, "{'color': null, 'n': true, 's': {'t': 'x'}}", List.of());
        put("e", StructureFamily.ARRAY, "{'n': [1, 2]}", List.of(new Spec("s1", null)));
        Distinct d = distinct(new Distinct.Request(List.of("color", "n", "s.t", "absent"), true, true, true));
        assertEquals(2, d.metadata().get("color").size(), "nulls and missing values are skipped");
        assertEquals("red", d.metadata().get("color").get(0).value().asText());
        assertEquals(2L, d.metadata().get("color").get(0).count());
        assertEquals(4, d.metadata().get("n").size(), "1 and 1.0 are one value; '1', true and [1, 2] are others");
        assertEquals(2L, d.metadata().get("n").get(0).count());
        assertEquals(List.of(new Distinct.Value(json("'x'"), 2L)), d.metadata().get("s.t"));
        assertEquals(List.of(), d.metadata().get("absent"));
        assertEquals(3, d.structureFamilies().size());
        assertEquals(new Distinct.Value(json("'array'"), 3L), d.structureFamilies().get(0));
        assertEquals(3, d.specs().size(), "spec lists as wholes, versions included, no specs among them");
        assertEquals(3L, d.specs().get(0).count());
        assertEquals(json("[{'name': 's1', 'version': null}]"), d.specs().get(0).value());
    }

    @Test
    void distinctWithFiltersAndWithoutCounts() {
        put("a", "{'color': 'red', 'size': 1}");
        put("b", "{'color': 'red', 'size': 2}");
        put("c", "{'color': 'blue', 'size': 2}");
        Distinct d = distinct(new Distinct.Request(List.of("color"), false, false, true), eq("size", "2"));
        assertEquals(2, d.metadata().get("color").size());
        assertNull(d.structureFamilies(), "not requested");
        assertNull(d.specs());
        Distinct uncounted = distinct(new Distinct.Request(List.of("color"), true, false, false), new FullText("red"));
        assertEquals(List.of(new Distinct.Value(json("'red'"), null)), uncounted.metadata().get("color"));
        assertNull(uncounted.structureFamilies().get(0).count());
        Distinct none = distinct(new Distinct.Request(List.of("color"), true, true, true), new KeyLookup("zz"));
        assertEquals(List.of(), none.metadata().get("color"));
        assertEquals(List.of(), none.structureFamilies());
        distinct(new Distinct.Request(List.of("size"), false, false, true), new KeysFilter(List.of("a", "c")), noteq("color", "'green'"));
    }

    // ---- against the reference, at random

    @Test
    void randomQueriesAgreeWithTheReference() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(20_240_917L);
        RandomQueries gen = new RandomQueries(r);
        int n = children();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = gen.key(i);
            keys.add(key);
            catalog().put(gen.node(base.child(key)));
        }
        List<Node> all = QueryReference.children(catalog(), base);
        assertEquals(n, all.size());
        int nonEmpty = 0;
        for (int round = 0; round < rounds(); round++) {
            List<Query> filters = new ArrayList<>();
            int howMany = 1 + r.nextInt(3);
            for (int i = 0; i < howMany; i++) filters.add(gen.query(keys));
            List<SortKey> sort = gen.sort();
            int limit = 1 + r.nextInt(40);
            long offset = r.nextInt(5) == 0 ? r.nextInt(n) : 0;
            List<Node> expected = QueryReference.search(all, filters, sort);
            List<String> got = page(all, sort, offset, limit, filters.toArray(Query[]::new));
            if (!expected.isEmpty()) nonEmpty++;
            assertTrue(got.size() <= limit);
            if (round % 5 == 0) {
                Distinct.Request req = new Distinct.Request(List.of(gen.metadataKey()), r.nextBoolean(), r.nextBoolean(), r.nextBoolean());
                QueryReference.assertSameDistinct(QueryReference.distinct(all, filters, req), catalog().distinct(base, filters, req),
                        "distinct " + req + " " + filters);
            }
        }
        assertTrue(nonEmpty > rounds() / 4, "the generator asks questions with answers: " + nonEmpty + " of " + rounds());
    }

    /** How many children the randomized test makes: a few hundred (an emulated, slow catalog may make fewer). */
    protected int children() { return 300; }

    /** How many random searches it makes. */
    protected int rounds() { return 400; }
}
