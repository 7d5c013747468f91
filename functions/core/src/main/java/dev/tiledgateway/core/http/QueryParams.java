package dev.tiledgateway.core.http;

import dev.tiledgateway.core.error.TiledException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Query parameters parsed from the raw query string, keeping repeats and empty values
 * (API Gateway's own map joins repeats with commas, which Tiled's values also contain).
 */
public final class QueryParams {

    private final Map<String, List<String>> values;

    private QueryParams(Map<String, List<String>> values) { this.values = values; }

    public static final QueryParams EMPTY = new QueryParams(Map.of());

    public static QueryParams parse(String raw) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                m.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        return new QueryParams(m);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw TiledException.badRequest("Malformed percent-encoding in query string: " + s);
        }
    }

    public boolean has(String name) { return values.containsKey(name); }

    public List<String> all(String name) { return values.getOrDefault(name, List.of()); }

    /** The single value of {@code name}; 400 if it is repeated. */
    public Optional<String> first(String name) {
        List<String> v = values.get(name);
        if (v == null || v.isEmpty()) return Optional.empty();
        if (v.size() > 1) throw TiledException.badRequest("Query parameter '" + name + "' given more than once");
        return Optional.of(v.get(0));
    }

    public long getLong(String name, long dflt, long min, long max) {
        Optional<String> v = first(name);
        if (v.isEmpty() || v.get().isEmpty()) return dflt;
        try {
            long n = Long.parseLong(v.get().trim());
            if (n < min || n > max) throw TiledException.badRequest("Query parameter '" + name + "' must be between " + min + " and " + max);
            return n;
        } catch (NumberFormatException e) {
            throw TiledException.badRequest("Query parameter '" + name + "' must be an integer, got '" + v.get() + "'");
        }
    }

    public boolean getBool(String name, boolean dflt) {
        Optional<String> v = first(name);
        if (v.isEmpty()) return dflt;
        return switch (v.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw TiledException.badRequest("Query parameter '" + name + "' must be true or false");
        };
    }

    public Map<String, List<String>> asMap() { return Collections.unmodifiableMap(values); }
}
