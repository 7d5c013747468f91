package dev.tiledgateway.core.auth;

import java.util.Set;

/**
 * How a gateway controls access: the authentication settings it shares with its authorizer (who is anonymous
 * with which scopes), and the API keys it manages.
 */
public record Access(Authenticator.Settings settings, ApiKeyStore keys) {

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
