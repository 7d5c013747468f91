package dev.tiledgateway.core.query;

import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.http.QueryParams;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The query types a server answers, by name: Tiled's built-ins and any {@link QueryType} found with
 * {@link ServiceLoader}. It turns a request's {@code filter[<name>][condition][<field>]} parameters into
 * queries; a name it does not know is refused (400) rather than ignored, since ignoring a filter would answer
 * a narrower question with a wider result.
 */
public final class QueryRegistry {

    /** The most queries one request may apply. */
    public static final int MAX_FILTERS = 50;

    private static final Pattern FILTER = Pattern.compile("^filter\\[([^\\[\\]]*)\\]\\[condition\\]\\[([^\\[\\]]*)\\]$");

    private final Map<String, QueryType> byName = new LinkedHashMap<>();

    /** @throws IllegalStateException when two types share a name, or one has none: a server must not start ambiguous */
    public QueryRegistry(List<QueryType> types) {
        for (QueryType t : types) {
            String name = t.name();
            if (name == null || name.isEmpty() || !name.matches("[A-Za-z0-9_]+"))
                throw new IllegalStateException("query type " + t.getClass().getName() + " has no usable name: '" + name + "'");
            if (byName.putIfAbsent(name, t) != null)
                throw new IllegalStateException("two query types are named '" + name + "': " + byName.get(name).getClass().getName() + " and " + t.getClass().getName());
        }
    }

    /** Tiled's built-in query types only. */
    public static QueryRegistry defaults() {
        return new QueryRegistry(BuiltinQueryTypes.all());
    }

    /** The built-ins and every {@link QueryType} registered in {@code META-INF/services} on the class path. */
    public static QueryRegistry discover() {
        List<QueryType> all = new ArrayList<>(BuiltinQueryTypes.all());
        ServiceLoader.load(QueryType.class).forEach(all::add);
        return new QueryRegistry(all);
    }

    /** The names, as the about document lists them. */
    public List<String> names() { return List.copyOf(byName.keySet()); }

    /**
     * The queries of a request's {@code filter[...]} parameters (the others are not looked at), grouped by type in
     * the order the types first appear, repeats of one type paired by position.
     *
     * @throws TiledException 400 for a malformed filter parameter, an unknown query type, more than
     *                        {@link #MAX_FILTERS} queries, or a value a type refuses; 422 for an enumerated or
     *                        boolean field out of its range
     */
    public List<Query> parse(QueryParams params) {
        Map<String, Map<String, List<String>>> byType = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : params.asMap().entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("filter[")) continue;
            Matcher m = FILTER.matcher(name);
            if (!m.matches())
                throw TiledException.badRequest("Malformed filter parameter " + QueryFields.quote(name) + "; filters are written filter[<query>][condition][<field>]");
            String type = m.group(1);
            if (!byName.containsKey(type))
                throw TiledException.badRequest("Unknown query type " + QueryFields.quote(type) + ". This server supports: " + String.join(", ", byName.keySet()));
            byType.computeIfAbsent(type, k -> new LinkedHashMap<>()).put(m.group(2), e.getValue());
        }
        int asked = 0;
        for (Map<String, List<String>> fields : byType.values()) {
            int most = 0;
            for (List<String> v : fields.values()) most = Math.max(most, v.size());
            asked += most;
        }
        if (asked > MAX_FILTERS) throw tooMany(asked);
        List<Query> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<String>>> e : byType.entrySet()) {
            List<Query> parsed;
            try {
                parsed = byName.get(e.getKey()).parse(e.getValue());
            } catch (IllegalArgumentException ex) {
                // A plug-in that refuses a value the plain Java way.
                throw TiledException.badRequest("Query " + QueryFields.quote(e.getKey()) + ": " + ex.getMessage());
            }
            out.addAll(parsed);
        }
        if (out.size() > MAX_FILTERS) throw tooMany(out.size());
        return out;
    }

    private static TiledException tooMany(int n) {
        return TiledException.badRequest("This request applies " + n + " queries; at most " + MAX_FILTERS + " are allowed");
    }
}
