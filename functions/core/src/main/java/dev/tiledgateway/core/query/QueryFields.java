package dev.tiledgateway.core.query;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fields of one query type in a request, split into rows: when a type is applied several times each field
 * repeats, and the i-th values of the fields make the i-th query. Every row has every required field, and an
 * optional field is either absent from all rows or present in all of them; anything else is a 400, since
 * pairing would otherwise guess. Each accessor names the query and field in its error, in the client's words.
 */
public final class QueryFields {

    /** The longest value a field may carry, in characters. */
    public static final int MAX_FIELD_CHARS = 10_000;
    /** The most elements a JSON list field may hold ({@code in}, {@code notin}, {@code keys_filter}, {@code specs}). */
    public static final int MAX_LIST = 1000;

    private final String query;
    private final Map<String, List<String>> fields;
    private final int row;

    private QueryFields(String query, Map<String, List<String>> fields, int row) {
        this.query = query;
        this.fields = fields;
        this.row = row;
    }

    /**
     * The rows of {@code fields}: one per application of the query type.
     *
     * @throws TiledException 400 for an unknown field, a missing required field, fields repeated a different
     *                        number of times, or a value over {@link #MAX_FIELD_CHARS}
     */
    public static List<QueryFields> rows(String query, Map<String, List<String>> fields, Set<String> required, Set<String> optional) {
        for (String f : fields.keySet()) {
            if (!required.contains(f) && !optional.contains(f)) {
                Set<String> known = new TreeSet<>(required);
                known.addAll(optional);
                throw TiledException.badRequest("Query '" + query + "' has no field '" + f + "'; its fields are " + String.join(", ", known));
            }
        }
        int n = -1;
        for (String f : required) {
            List<String> v = fields.get(f);
            if (v == null || v.isEmpty()) throw TiledException.badRequest("Query '" + query + "' needs the field '" + f + "' (filter[" + query + "][condition][" + f + "])");
            n = checkCount(query, fields, f, n);
        }
        for (String f : optional) if (fields.containsKey(f)) n = checkCount(query, fields, f, n);
        for (Map.Entry<String, List<String>> e : fields.entrySet())
            for (String v : e.getValue())
                if (v.length() > MAX_FIELD_CHARS)
                    throw TiledException.badRequest("Query '" + query + "': field '" + e.getKey() + "' is " + v.length() + " characters long; at most " + MAX_FIELD_CHARS + " are allowed");
        List<QueryFields> out = new ArrayList<>();
        for (int i = 0; i < Math.max(n, 0); i++) out.add(new QueryFields(query, fields, i));
        return out;
    }

    private static int checkCount(String query, Map<String, List<String>> fields, String f, int n) {
        int c = fields.get(f).size();
        if (n >= 0 && c != n)
            throw TiledException.badRequest("Query '" + query + "' was given its fields a different number of times (" + describe(fields)
                    + "); when a query is applied several times every field is repeated once per application");
        return c;
    }

    private static String describe(Map<String, List<String>> fields) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, List<String>> e : new java.util.TreeMap<>(fields).entrySet())
            b.append(b.isEmpty() ? "" : ", ").append(e.getKey()).append(" ").append(e.getValue().size()).append("x");
        return b.toString();
    }

    /** The query type's name, for messages. */
    public String query() { return query; }

    public boolean has(String field) { return fields.containsKey(field); }

    /** The field as sent. */
    public String plain(String field) {
        List<String> v = fields.get(field);
        if (v == null) throw TiledException.badRequest("Query '" + query + "' needs the field '" + field + "'");
        return v.get(row);
    }

    /** A non-empty plain field (a child's key). */
    public String nonEmpty(String field) {
        String v = plain(field);
        if (v.isEmpty()) throw TiledException.badRequest("Query '" + query + "': field '" + field + "' must not be empty");
        return v;
    }

    /** A dotted metadata key: non-empty segments ({@code sample.name}), 400 otherwise. */
    public String key(String field) {
        String k = plain(field);
        if (k.isEmpty()) throw TiledException.badRequest("Query '" + query + "': the key must not be empty");
        try {
            Values.path(k);
        } catch (IllegalArgumentException e) {
            throw TiledException.badRequest("Query '" + query + "': the key '" + k + "' has an empty segment (keys are dotted paths like sample.name)");
        }
        return k;
    }

    /** A JSON-encoded field ({@code json.dumps} on the client). */
    public JsonNode json(String field) {
        String v = plain(field);
        try (JsonParser p = Json.FACTORY.createParser(v)) {
            JsonNode n = Json.parseOnly(p); // one JSON value and nothing after it ({@code 1 2} is not JSON)
            if (n == null || n.isMissingNode()) throw new IllegalArgumentException("no JSON value");
            if (!finite(n))
                throw TiledException.badRequest("Query '" + query + "': field '" + field + "' holds a number too large for a double, got " + quote(v));
            return n;
        } catch (IOException | IllegalArgumentException e) {
            throw TiledException.badRequest("Query '" + query + "': field '" + field + "' must be JSON (the client sends json.dumps of the value), got "
                    + quote(v));
        }
    }

    private static boolean finite(JsonNode n) {
        if (n.isNumber()) return Values.isFinite(n);
        for (JsonNode c : n) if (!finite(c)) return false;
        return true;
    }

    /** A JSON-encoded string. */
    public String jsonString(String field) {
        JsonNode n = json(field);
        if (!n.isTextual()) throw TiledException.badRequest("Query '" + query + "': field '" + field + "' must be a JSON string, got " + quote(plain(field)));
        return n.textValue();
    }

    /** A JSON-encoded list of at most {@link #MAX_LIST} values. */
    public List<JsonNode> jsonList(String field) {
        JsonNode n = json(field);
        if (!n.isArray()) throw TiledException.badRequest("Query '" + query + "': field '" + field + "' must be a JSON list, got " + quote(plain(field)));
        if (n.size() > MAX_LIST)
            throw TiledException.badRequest("Query '" + query + "': field '" + field + "' lists " + n.size() + " values; at most " + MAX_LIST + " are allowed");
        List<JsonNode> out = new ArrayList<>();
        n.forEach(out::add);
        return out;
    }

    /** A JSON-encoded list of strings. */
    public List<String> jsonStrings(String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : jsonList(field)) {
            if (!e.isTextual()) throw TiledException.badRequest("Query '" + query + "': field '" + field + "' must be a JSON list of strings, got " + quote(plain(field)));
            out.add(e.textValue());
        }
        return out;
    }

    /**
     * A boolean, as the client sends it ({@code true}/{@code false}; also {@code 1/0}, {@code yes/no},
     * {@code on/off} as the upstream server accepts), or {@code absent} when the field was not sent; 422 otherwise.
     */
    public boolean bool(String field, boolean absent) {
        if (!has(field)) return absent;
        String v = plain(field);
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw TiledException.unprocessable("Query '" + query + "': field '" + field + "' must be true or false, got " + quote(v));
        };
    }

    /** One of {@code allowed} (lower case, as sent), 422 otherwise. */
    public String oneOf(String field, List<String> allowed) {
        String v = plain(field);
        if (!allowed.contains(v))
            throw TiledException.unprocessable("Query '" + query + "': field '" + field + "' must be one of " + String.join(", ", allowed) + ", got " + quote(v));
        return v;
    }

    /** A value for a message: quoted and cut short. */
    static String quote(String v) {
        return "'" + (v.length() > 80 ? v.substring(0, 80) + "..." : v) + "'";
    }
}
