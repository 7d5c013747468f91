package dev.tiledgateway.core.query;

import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Tiled's own query types (spec §8), parsing their fields as the Python client encodes them: {@code value},
 * {@code keys}, {@code include}/{@code exclude} and {@code like}'s {@code pattern} are {@code json.dumps} output;
 * {@code key}, {@code text} and {@code regex}'s {@code pattern} are plain; booleans are {@code true}/{@code false}.
 * {@code access_blob_filter} is not among them: this server's access rules have no tags to filter by.
 */
final class BuiltinQueryTypes {

    /** The most words one full-text query may ask for. */
    static final int MAX_WORDS = 100;
    /** The longest LIKE pattern, in characters (matching costs text length × pattern length). */
    static final int MAX_LIKE_CHARS = 1000;

    private static final List<String> OPERATORS = List.of("lt", "gt", "le", "ge");
    private static final List<String> FAMILIES;

    static {
        List<String> f = new ArrayList<>();
        for (StructureFamily s : StructureFamily.values()) f.add(s.wire());
        FAMILIES = List.copyOf(f);
    }

    private BuiltinQueryTypes() {}

    /** Every built-in type, in the order the about document lists them. */
    static List<QueryType> all() {
        Set<String> keyValue = Set.of("key", "value");
        return List.of(
                type("fulltext", Set.of("text"), Set.of(), BuiltinQueryTypes::fullText),
                type("lookup", Set.of("key"), Set.of(), f -> new KeyLookup(f.nonEmpty("key"))),
                type("keys_filter", Set.of("keys"), Set.of(), f -> new KeysFilter(f.jsonStrings("keys"))),
                type("regex", Set.of("key", "pattern"), Set.of("case_sensitive"),
                        f -> new Regex(f.key("key"), f.plain("pattern"), f.bool("case_sensitive", true))),
                type("eq", keyValue, Set.of(), f -> new Eq(f.key("key"), f.json("value"))),
                type("noteq", keyValue, Set.of(), f -> new NotEq(f.key("key"), f.json("value"))),
                type("comparison", Set.of("operator", "key", "value"), Set.of(), f -> new Comparison(
                        Comparison.Operator.valueOf(f.oneOf("operator", OPERATORS).toUpperCase(java.util.Locale.ROOT)), f.key("key"), f.json("value"))),
                type("contains", keyValue, Set.of(), f -> new Contains(f.key("key"), f.json("value"))),
                type("in", keyValue, Set.of(), f -> new In(f.key("key"), f.jsonList("value"))),
                type("notin", keyValue, Set.of(), f -> new NotIn(f.key("key"), f.jsonList("value"))),
                type("keypresent", Set.of("key"), Set.of("exists"), f -> new KeyPresent(f.key("key"), f.bool("exists", true))),
                type("like", Set.of("key", "pattern"), Set.of(), BuiltinQueryTypes::like),
                type("specs", Set.of("include"), Set.of("exclude"),
                        f -> new SpecsQuery(f.jsonStrings("include"), f.has("exclude") ? f.jsonStrings("exclude") : List.of())),
                type("structure_family", Set.of("value"), Set.of(),
                        f -> new StructureFamilyQuery(StructureFamily.fromWire(f.oneOf("value", FAMILIES)))));
    }

    private static Query fullText(QueryFields f) {
        String text = f.plain("text");
        int words = Words.of(text).size();
        if (words == 0) throw TiledException.badRequest("Query 'fulltext' needs at least one word (letters or digits), got " + QueryFields.quote(text));
        if (words > MAX_WORDS) throw TiledException.badRequest("Query 'fulltext' has " + words + " words; at most " + MAX_WORDS + " are allowed");
        return new FullText(text);
    }

    private static Query like(QueryFields f) {
        String key = f.key("key");
        String pattern = f.jsonString("pattern");
        if (pattern.length() > MAX_LIKE_CHARS)
            throw TiledException.badRequest("Query 'like': the pattern is " + pattern.length() + " characters long; at most " + MAX_LIKE_CHARS + " are allowed");
        return new Like(key, pattern);
    }

    private static QueryType type(String name, Set<String> required, Set<String> optional, Function<QueryFields, Query> make) {
        return new Builtin(name, required, optional, make);
    }

    /** One built-in type: its fields and how one row of them makes a query. */
    private record Builtin(String name, Set<String> required, Set<String> optional, Function<QueryFields, Query> make) implements QueryType {
        @Override
        public List<Query> parse(Map<String, List<String>> fields) {
            List<Query> out = new ArrayList<>();
            for (QueryFields row : QueryFields.rows(name, fields, required, optional)) {
                try {
                    out.add(make.apply(row));
                } catch (IllegalArgumentException e) {
                    // The records check their own values (a regex that does not compile, ...).
                    throw TiledException.badRequest("Query '" + name + "': " + e.getMessage());
                }
            }
            return out;
        }
    }
}
