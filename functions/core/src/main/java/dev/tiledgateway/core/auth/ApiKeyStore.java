package dev.tiledgateway.core.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The API-key port: keys by the hash of their secret (the only form ever stored), and by owner. Implementations
 * keep them in the catalog's own storage (SQLite rows, DynamoDB items) and must be safe for concurrent use; a
 * revocation is visible to the next {@link #byHash} anywhere (no cache may outlive it).
 */
public interface ApiKeyStore {

    /**
     * One key. {@code scopes} as the key lists them (possibly {@code inherit}); {@code expires} null for never.
     */
    record ApiKey(String hash, String firstEight, String owner, List<String> scopes, Instant expires, String note,
                  Instant created, List<String> accessTags) {
        public ApiKey {
            scopes = List.copyOf(scopes);
            accessTags = accessTags == null ? List.of() : List.copyOf(accessTags);
        }

        public boolean expiredAt(Instant now) { return expires != null && !now.isBefore(expires); }
    }

    /** The most keys one owner may hold (as Tiled). */
    int MAX_KEYS_PER_OWNER = 100;

    /**
     * Stores a new key; false (nothing stored) when its owner already holds {@link #MAX_KEYS_PER_OWNER} keys. The check
     * and the write need not be one atomic step: a few concurrent creations may pass the limit together.
     */
    boolean create(ApiKey key);

    /** The key whose secret hashes to {@code hash}; empty when there is none (never was, or revoked). */
    Optional<ApiKey> byHash(String hash);

    /** The owner's keys, by creation time. */
    List<ApiKey> byOwner(String owner);

    /** Removes the owner's keys whose secret starts with {@code firstEight}; false when there was none. */
    boolean revoke(String owner, String firstEight);
}
