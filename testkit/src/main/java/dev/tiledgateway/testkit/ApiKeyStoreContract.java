package dev.tiledgateway.testkit;

import dev.tiledgateway.core.auth.ApiKeySecrets;
import dev.tiledgateway.core.auth.ApiKeyStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link ApiKeyStore} adapter must do; run against the embedded store and DynamoDB on moto. */
public abstract class ApiKeyStoreContract {

    protected abstract ApiKeyStore store();

    private String owner;

    @BeforeEach
    void freshOwner() { owner = "owner-" + UUID.randomUUID(); }

    private ApiKeyStore.ApiKey key(String secret, List<String> scopes, Instant expires, String note) {
        return new ApiKeyStore.ApiKey(ApiKeySecrets.hash(secret), ApiKeySecrets.firstEight(secret), owner, scopes, expires, note,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), List.of());
    }

    @Test
    void aKeyIsFoundByTheHashOfItsSecretOnly() {
        String secret = ApiKeySecrets.generate();
        Instant expires = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        ApiKeyStore.ApiKey k = key(secret, List.of("read:metadata", "read:data"), expires, "for the beamline");
        assertTrue(store().create(k));
        ApiKeyStore.ApiKey got = store().byHash(ApiKeySecrets.hash(secret)).orElseThrow();
        assertEquals(k, got);
        assertEquals(Optional.empty(), store().byHash(secret), "the secret itself is not a key of the store");
        assertEquals(Optional.empty(), store().byHash(ApiKeySecrets.hash(ApiKeySecrets.generate())));
    }

    @Test
    void keysListByOwnerAndNeverExpireWithoutAnExpiry() {
        String a = ApiKeySecrets.generate();
        String b = ApiKeySecrets.generate();
        assertTrue(store().create(key(a, List.of("inherit"), null, null)));
        assertTrue(store().create(key(b, List.of("read:data"), null, "second")));
        List<ApiKeyStore.ApiKey> mine = store().byOwner(owner);
        assertEquals(2, mine.size());
        assertTrue(mine.stream().anyMatch(k -> k.firstEight().equals(ApiKeySecrets.firstEight(a)) && k.expires() == null && k.note() == null));
        assertEquals(List.of(), store().byOwner("someone-else-" + UUID.randomUUID()));
        assertFalse(mine.getFirst().expiredAt(Instant.now().plus(3650, ChronoUnit.DAYS)));
    }

    @Test
    void aRevokedKeyIsGoneAtOnce() {
        String a = ApiKeySecrets.generate();
        String b = ApiKeySecrets.generate();
        store().create(key(a, List.of("inherit"), null, null));
        store().create(key(b, List.of("inherit"), null, null));
        assertTrue(store().revoke(owner, ApiKeySecrets.firstEight(a)));
        assertEquals(Optional.empty(), store().byHash(ApiKeySecrets.hash(a)));
        assertTrue(store().byHash(ApiKeySecrets.hash(b)).isPresent(), "the other key stays");
        assertFalse(store().revoke(owner, ApiKeySecrets.firstEight(a)), "nothing left to revoke");
        assertFalse(store().revoke("someone-else", ApiKeySecrets.firstEight(b)), "only the owner's keys");
        assertTrue(store().byHash(ApiKeySecrets.hash(b)).isPresent());
    }

    @Test
    void anOwnerHoldsAtMostTheLimit() {
        for (int i = 0; i < ApiKeyStore.MAX_KEYS_PER_OWNER; i++) assertTrue(store().create(key(ApiKeySecrets.generate(), List.of("inherit"), null, null)));
        String extra = ApiKeySecrets.generate();
        assertFalse(store().create(key(extra, List.of("inherit"), null, null)));
        assertEquals(Optional.empty(), store().byHash(ApiKeySecrets.hash(extra)));
        assertEquals(ApiKeyStore.MAX_KEYS_PER_OWNER, store().byOwner(owner).size());
    }

    @Test
    void expiryIsAnInstant() {
        Instant past = Instant.now().minus(1, ChronoUnit.SECONDS).truncatedTo(ChronoUnit.MILLIS);
        String s = ApiKeySecrets.generate();
        store().create(key(s, List.of("inherit"), past, null));
        assertTrue(store().byHash(ApiKeySecrets.hash(s)).orElseThrow().expiredAt(Instant.now()));
    }
}
