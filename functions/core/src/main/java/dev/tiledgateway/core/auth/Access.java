package dev.tiledgateway.core.auth;

import java.util.Set;

/**
 * How a gateway controls access: the authentication settings it shares with its authorizer (who is anonymous
 * with which scopes), and the API keys it manages.
 */
public record Access(Authenticator.Settings settings, ApiKeyStore keys, Set<String> allowedOrigins) {

    public Access {
        allowedOrigins = Set.copyOf(allowedOrigins);
    }

    public Access(Authenticator.Settings settings, ApiKeyStore keys) { this(settings, keys, Set.of()); }

    /** Whether a web page from {@code origin} may call this API from a browser (CORS); {@code *} allows any. */
    public boolean allowsOrigin(String origin) { return allowedOrigins.contains("*") || allowedOrigins.contains(origin); }

    /** The comma-separated origins of {@code TILED_GATEWAY_ALLOW_ORIGINS}: scheme://host[:port] each, or {@code *}. */
    public static Set<String> origins(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) return Set.of();
        Set<String> out = new java.util.LinkedHashSet<>();
        for (String o : commaSeparated.split(",")) {
            String t = o.strip();
            if (t.isEmpty()) continue;
            if (!t.equals("*") && !t.matches("https?://[A-Za-z0-9.\\-\\[\\]:]+"))
                throw new IllegalArgumentException("an allowed origin is scheme://host[:port] with no path, or *: " + t);
            out.add(t.endsWith("/") ? t.substring(0, t.length() - 1) : t);
        }
        return out;
    }

    public static final String ALLOW_ORIGINS = "TILED_GATEWAY_ALLOW_ORIGINS";

    /** What a request holds that no authorizer looked at: the anonymous scopes. */
    public Verdict unresolved() { return new Verdict.Allowed(Principal.anonymous(settings.anonymousScopes())); }

    /** Environment variables both functions read. */
    public static final String PUBLIC = "TILED_GATEWAY_PUBLIC";
    public static final String API_KEY = "TILED_GATEWAY_API_KEY";
    public static final String API_KEY_SHA256 = "TILED_GATEWAY_API_KEY_SHA256";

    /**
     * The settings from the environment: {@code TILED_GATEWAY_PUBLIC=true} for anonymous reads, and the server's own
     * key as {@code TILED_GATEWAY_API_KEY_SHA256} (its SHA-256, hex) or {@code TILED_GATEWAY_API_KEY}.
     */
    public static Authenticator.Settings settings(java.util.Map<String, String> env) {
        boolean open = "true".equalsIgnoreCase(env.getOrDefault(PUBLIC, "").trim());
        String hash = env.get(API_KEY_SHA256);
        if (hash == null || hash.isBlank()) {
            String key = env.get(API_KEY);
            hash = key == null || key.isBlank() ? null : ApiKeySecrets.hash(key.trim());
        } else {
            hash = hash.trim().toLowerCase(java.util.Locale.ROOT);
            if (!hash.matches("[0-9a-f]{64}")) throw new IllegalStateException(API_KEY_SHA256 + " must be 64 hex digits (a SHA-256)");
        }
        return new Authenticator.Settings(open ? Scopes.PUBLIC : Set.of(), hash);
    }
}
