package dev.tiledgateway.core.query;

import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.http.QueryParams;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in query types parsed from the parameters the Python client sends (spec §8). */
class QueryRegistryTest {

    private final QueryRegistry registry = QueryRegistry.defaults();

    /** A query string from name/value pairs, percent-encoded as httpx does. */
    private static QueryParams params(String... nameValue) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < nameValue.length; i += 2) {
            if (!b.isEmpty()) b.append('&');
            b.append(URLEncoder.encode(nameValue[i], StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(nameValue[i + 1], StandardCharsets.UTF_8));
        }
        return QueryParams.parse(b.toString());
    }

    private static String f(String query, String field) { return "filter[" + query + "][condition][" + field + "]"; }

    private List<Query> parse(String... nameValue) { return registry.parse(params(nameValue)); }

    private int status(String... nameValue) {
        return assertThrows(TiledException.class, () -> parse(nameValue)).status();
    }

    private String detail(String... nameValue) {
        return assertThrows(TiledException.class, () -> parse(nameValue)).detail();
    }

    @Test
    void theBuiltInsAreTiledsQueriesWithoutAccessBlobFilter() {
        assertEquals(List.of("fulltext", "lookup", "keys_filter", "regex", "eq", "noteq", "comparison", "contains", "in", "notin",
                "keypresent", "like", "specs", "structure_family"), registry.names());
    }

    @Test
    void eachTypeParsesTheClientsEncoding() {
        assertEquals(List.of(new FullText("dog cat")), parse(f("fulltext", "text"), "dog cat"));
        assertEquals(List.of(new KeyLookup("a b")), parse(f("lookup", "key"), "a b"));
        assertEquals(List.of(new KeysFilter(List.of("a", "b"))), parse(f("keys_filter", "keys"), "[\"a\", \"b\"]"));
        assertEquals(List.of(new Regex("sample.name", "Cu.*", false)),
                parse(f("regex", "key"), "sample.name", f("regex", "pattern"), "Cu.*", f("regex", "case_sensitive"), "false"));
        assertEquals(List.of(new Eq("color", Json.mapper().getNodeFactory().textNode("red"))), parse(f("eq", "key"), "color", f("eq", "value"), "\"red\""));
        assertEquals(List.of(new NotEq("n", Json.mapper().getNodeFactory().numberNode(1))), parse(f("noteq", "key"), "n", f("noteq", "value"), "1"));
        assertEquals(List.of(new Comparison(Comparison.Operator.GE, "n", Json.mapper().getNodeFactory().numberNode(1.5))),
                parse(f("comparison", "operator"), "ge", f("comparison", "key"), "n", f("comparison", "value"), "1.5"));
        assertEquals(List.of(new Contains("tags", Json.mapper().getNodeFactory().textNode("x"))), parse(f("contains", "key"), "tags", f("contains", "value"), "\"x\""));
        assertEquals(3, ((In) parse(f("in", "key"), "n", f("in", "value"), "[1, \"1\", null]").get(0)).values().size());
        assertEquals(List.of(new NotIn("n", List.of())), parse(f("notin", "key"), "n", f("notin", "value"), "[]"));
        assertEquals(List.of(new KeyPresent("a.b", false)), parse(f("keypresent", "key"), "a.b", f("keypresent", "exists"), "false"));
        assertEquals(List.of(new Like("name", "C%_")), parse(f("like", "key"), "name", f("like", "pattern"), "\"C%_\""));
        assertEquals(List.of(new SpecsQuery(List.of("xarray_dataset"), List.of("old"))),
                parse(f("specs", "include"), "[\"xarray_dataset\"]", f("specs", "exclude"), "[\"old\"]"));
        assertEquals(List.of(new StructureFamilyQuery(StructureFamily.TABLE)), parse(f("structure_family", "value"), "table"));
    }

    @Test
    void optionalFieldsTakeTheClientsDefaults() {
        assertTrue(((Regex) parse(f("regex", "key"), "k", f("regex", "pattern"), "x").get(0)).caseSensitive());
        assertTrue(((KeyPresent) parse(f("keypresent", "key"), "k").get(0)).exists());
        assertEquals(List.of(), ((SpecsQuery) parse(f("specs", "include"), "[\"a\"]").get(0)).exclude());
    }

    @Test
    void repeatedFieldsPairByPosition() {
        QueryParams q = QueryParams.parse("filter%5Beq%5D%5Bcondition%5D%5Bkey%5D=a&filter%5Beq%5D%5Bcondition%5D%5Bvalue%5D=1"
                + "&filter%5Beq%5D%5Bcondition%5D%5Bkey%5D=b&filter%5Beq%5D%5Bcondition%5D%5Bvalue%5D=%222%22");
        assertEquals(List.of(new Eq("a", Json.mapper().getNodeFactory().numberNode(1)), new Eq("b", Json.mapper().getNodeFactory().textNode("2"))),
                registry.parse(q));
    }

    @Test
    void aFieldCountMismatchIs400() {
        QueryParams q = QueryParams.parse("filter%5Beq%5D%5Bcondition%5D%5Bkey%5D=a&filter%5Beq%5D%5Bcondition%5D%5Bkey%5D=b"
                + "&filter%5Beq%5D%5Bcondition%5D%5Bvalue%5D=1");
        TiledException e = assertThrows(TiledException.class, () -> registry.parse(q));
        assertEquals(400, e.status());
        assertTrue(e.detail().contains("different number of times"), e.detail());
    }

    @Test
    void otherParametersAreNotLookedAt() {
        assertEquals(List.of(), registry.parse(params("fields", "", "sort", "-a", "page[limit]", "3")));
    }

    @Test
    void unknownQueryTypesAreRefusedAccessBlobFilterAmongThem() {
        String d = detail(f("nope", "x"), "1");
        assertTrue(d.startsWith("Unknown query type 'nope'"), d);
        assertTrue(d.contains("fulltext"), "the detail lists what is supported: " + d);
        assertEquals(400, status(f("access_blob_filter", "user_id"), "alice", f("access_blob_filter", "tags"), "x"));
    }

    @Test
    void malformedFilterParametersAre400() {
        assertEquals(400, status("filter[eq]", "x"));
        assertEquals(400, status("filter[eq][cond][key]", "x"));
        assertEquals(400, status("filter[eq][condition][key]extra", "x"));
    }

    @Test
    void missingAndUnknownFieldsAre400() {
        assertTrue(detail(f("eq", "key"), "a").contains("needs the field 'value'"));
        assertTrue(detail(f("eq", "value"), "1").contains("needs the field 'key'"));
        assertTrue(detail(f("eq", "key"), "a", f("eq", "value"), "1", f("eq", "bogus"), "1").contains("no field 'bogus'"));
    }

    @Test
    void malformedJsonIs400() {
        assertEquals(400, status(f("eq", "key"), "a", f("eq", "value"), "red"));
        assertEquals(400, status(f("eq", "key"), "a", f("eq", "value"), ""));
        assertEquals(400, status(f("eq", "key"), "a", f("eq", "value"), "1 2"));
        assertEquals(400, status(f("eq", "key"), "a", f("eq", "value"), "{\"a\":"));
        assertEquals(400, status(f("in", "key"), "a", f("in", "value"), "1"), "in needs a list");
        assertEquals(400, status(f("keys_filter", "keys"), "[1]"), "keys are strings");
        assertEquals(400, status(f("like", "key"), "a", f("like", "pattern"), "C%"), "like's pattern is JSON-encoded");
        assertEquals(400, status(f("specs", "include"), "\"a\""));
        assertEquals(400, status(f("eq", "key"), "a", f("eq", "value"), "[".repeat(5000) + "]".repeat(5000)), "nesting beyond Jackson's bound");
        assertEquals(400, status(f("eq", "key"), "a", f("eq", "value"), "1e400"), "beyond a double");
        assertEquals(400, status(f("in", "key"), "a", f("in", "value"), "[1, [2e999]]"));
        assertEquals(400, status(f("eq", "key"), "a", f("eq", "value"), "Infinity"), "Python's json.dumps(float('inf')) is not JSON");
        assertEquals(400, status(f("eq", "key"), "a", f("eq", "value"), "1" + "0".repeat(2000)), "longer than Jackson's number bound");
    }

    @Test
    void emptyKeysAndEmptySegmentsAre400() {
        for (String key : List.of("", ".", "a.", ".a", "a..b")) {
            String d = detail(f("eq", "key"), key, f("eq", "value"), "1");
            assertTrue(d.contains("key"), d);
        }
        assertEquals(400, status(f("lookup", "key"), ""));
        assertEquals(400, status(f("keypresent", "key"), "a..b"));
    }

    @Test
    void badEnumsAndBooleansAre422() {
        assertEquals(422, status(f("comparison", "operator"), "eq", f("comparison", "key"), "a", f("comparison", "value"), "1"));
        assertEquals(422, status(f("comparison", "operator"), "LT", f("comparison", "key"), "a", f("comparison", "value"), "1"));
        assertEquals(422, status(f("structure_family", "value"), "dataframe"));
        assertEquals(422, status(f("regex", "key"), "a", f("regex", "pattern"), "x", f("regex", "case_sensitive"), "maybe"));
        assertEquals(422, status(f("keypresent", "key"), "a", f("keypresent", "exists"), "2"));
        assertFalse(((KeyPresent) parse(f("keypresent", "key"), "a", f("keypresent", "exists"), "False").get(0)).exists());
    }

    @Test
    void aRegexThatDoesNotCompileIs400() {
        String d = detail(f("regex", "key"), "a", f("regex", "pattern"), "(unclosed");
        assertTrue(d.contains("does not compile"), d);
    }

    @Test
    void fullTextNeedsAWord() {
        assertEquals(400, status(f("fulltext", "text"), "  ?! "));
        assertEquals(400, status(f("fulltext", "text"), wordsList(BuiltinQueryTypes.MAX_WORDS + 1)));
        assertEquals(1, parse(f("fulltext", "text"), wordsList(BuiltinQueryTypes.MAX_WORDS)).size());
    }

    private static String wordsList(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append("w").append(i).append(' ');
        return b.toString();
    }

    @Test
    void everythingTheClientSendsIsBounded() {
        String long10k = "x".repeat(QueryFields.MAX_FIELD_CHARS + 1);
        assertEquals(400, status(f("fulltext", "text"), long10k));
        assertEquals(400, status(f("regex", "key"), "a", f("regex", "pattern"), "a".repeat(Regex.MAX_PATTERN_CHARS + 1)));
        assertEquals(400, status(f("like", "key"), "a", f("like", "pattern"), "\"" + "%".repeat(BuiltinQueryTypes.MAX_LIKE_CHARS + 1) + "\""));
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i <= QueryFields.MAX_LIST; i++) list.append(i == 0 ? "" : ",").append(i);
        assertEquals(400, status(f("in", "key"), "a", f("in", "value"), list + "]"));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= QueryRegistry.MAX_FILTERS; i++) many.append("&filter%5Bfulltext%5D%5Bcondition%5D%5Btext%5D=w").append(i);
        TiledException e = assertThrows(TiledException.class, () -> registry.parse(QueryParams.parse(many.substring(1))));
        assertEquals(400, e.status());
        assertTrue(e.detail().contains("at most " + QueryRegistry.MAX_FILTERS), e.detail());
    }

    @Test
    void twoTypesOfOneNameCannotStart() {
        QueryType twin = new QueryType() {
            @Override public String name() { return "eq"; }
            @Override public List<Query> parse(Map<String, List<String>> fields) { return List.of(); }
        };
        List<QueryType> types = new java.util.ArrayList<>(BuiltinQueryTypes.all());
        types.add(twin);
        assertThrows(IllegalStateException.class, () -> new QueryRegistry(types));
    }

    @Test
    void aPluginsPlainRefusalIs400() {
        QueryType picky = new QueryType() {
            @Override public String name() { return "picky"; }
            @Override public List<Query> parse(Map<String, List<String>> fields) { throw new IllegalArgumentException("no thanks"); }
        };
        TiledException e = assertThrows(TiledException.class, () -> new QueryRegistry(List.of(picky)).parse(params(f("picky", "x"), "1")));
        assertEquals(400, e.status());
        assertTrue(e.detail().contains("no thanks"));
    }
}
