package dev.tiledgateway.core.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Request headers by lower-cased name (HTTP/2 and API Gateway v2.0 both lower-case them). */
public record Headers(Map<String, String> byName) {

    public Headers {
        Map<String, String> m = new LinkedHashMap<>();
        byName.forEach((k, v) -> m.merge(k.toLowerCase(Locale.ROOT), v, (a, b) -> a + "," + b));
        byName = java.util.Collections.unmodifiableMap(m);
    }

    public Optional<String> get(String name) { return Optional.ofNullable(byName.get(name.toLowerCase(Locale.ROOT))); }

    /** The value of one cookie from the Cookie header(s). */
    public Optional<String> cookie(String name) {
        String all = byName.get("cookie");
        if (all == null) return Optional.empty();
        for (String part : all.split("[;,]")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).equals(name)) return Optional.of(p.substring(eq + 1));
        }
        return Optional.empty();
    }
}
