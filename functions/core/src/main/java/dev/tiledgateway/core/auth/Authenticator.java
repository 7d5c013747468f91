package dev.tiledgateway.core.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves a {@link Credential} to a {@link Verdict}: the authorizer's whole logic, the same in the Lambda
 * authorizer and in the local server.
 *
 * <p>Every presented key costs one SHA-256 and one lookup by hash in the {@link ApiKeyStore} (no cache: a
 * revocation holds for the next request), whatever it turns out to be, so an unknown key and a known but
 * wrong one take the same path; the server's own single-user key is compared by hash in constant time.
 */
public final class Authenticator {

    /** The principal the server's own key stands for, and the owner of the keys it creates. */
    public static final String SINGLE_USER = "single-user";

    /**
     * @param anonymousScopes what a request without any credential holds (empty: the server is private)
     * @param singleUserKeyHash the hash of the server's own key; null when keys come from the store only
     */
    public record Settings(Set<String> anonymousScopes, String singleUserKeyHash) {
        public Settings {
            anonymousScopes = Set.copyOf(anonymousScopes);
        }

        public boolean isPublic() { return !anonymousScopes.isEmpty(); }
    }

    private final Settings settings;
    private final ApiKeyStore keys;
    private final Clock clock;

    public Authenticator(Settings settings, ApiKeyStore keys, Clock clock) {
        this.settings = settings;
        this.keys = keys;
        this.clock = clock;
    }

    public Settings settings() { return settings; }

    public Verdict resolve(Credential c) {
        return switch (c) {
            case Credential.None n -> new Verdict.Allowed(Principal.anonymous(settings.anonymousScopes()));
            case Credential.Malformed m -> new Verdict.Refused(400, m.reason());
            case Credential.Bearer b -> new Verdict.Refused(401,
                    "This server has no authentication providers, so it accepts no access tokens; use an API key");
            case Credential.ApiKey k -> apiKey(k.secret());
        };
    }

    private Verdict apiKey(String secret) {
        if (!ApiKeySecrets.WELL_FORMED.matcher(secret).matches()) return new Verdict.Refused(401, "Invalid API key");
        String hash = ApiKeySecrets.hash(secret);
        Optional<ApiKeyStore.ApiKey> stored = keys.byHash(hash);
        if (settings.singleUserKeyHash() != null && ApiKeySecrets.sameHash(hash, settings.singleUserKeyHash()))
            return new Verdict.Allowed(new Principal(SINGLE_USER, Scopes.SINGLE_USER, ApiKeySecrets.firstEight(secret)));
        if (stored.isEmpty() || !ApiKeySecrets.sameHash(stored.get().hash(), hash)) return new Verdict.Refused(401, "Invalid API key");
        ApiKeyStore.ApiKey key = stored.get();
        Instant now = clock.instant();
        if (key.expiredAt(now)) return new Verdict.Refused(401, "API key has expired");
        Set<String> owner = ownerScopesOf(key.owner());
        return new Verdict.Allowed(new Principal(key.owner(), Scopes.effective(key.scopes(), owner), key.firstEight()));
    }

    /** What the owner of a key holds now: the single user holds {@link Scopes#SINGLE_USER}; there are no other owners yet. */
    public static Set<String> ownerScopesOf(String owner) {
        return owner.equals(SINGLE_USER) ? Scopes.SINGLE_USER : Set.of();
    }
}
