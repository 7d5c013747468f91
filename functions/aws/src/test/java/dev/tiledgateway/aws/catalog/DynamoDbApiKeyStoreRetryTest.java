package dev.tiledgateway.aws.catalog;

import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.aws.DynamoFaults;
import dev.tiledgateway.core.auth.ApiKeySecrets;
import dev.tiledgateway.core.auth.ApiKeyStore.ApiKey;
import dev.tiledgateway.testkit.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static dev.tiledgateway.aws.DynamoFaults.any;
import static dev.tiledgateway.aws.DynamoFaults.cancelled;
import static dev.tiledgateway.aws.DynamoFaults.internalError;
import static dev.tiledgateway.aws.DynamoFaults.throttled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The retry branches of {@link DynamoDbApiKeyStore} on moto, with faults injected into its SDK client: a creation or
 * revocation cancelled for a conflict is tried again, a creation whose reply was lost is still a creation (not a
 * "secret exists already"), and throttled reads are retried by the SDK until its attempts run out.
 */
@Tag("emulator")
class DynamoDbApiKeyStoreRetryTest {

    private final DynamoFaults faults = new DynamoFaults();
    private DynamoDbClient faulty;
    private DynamoDbApiKeyStore store;
    /** The same table through a client without faults, to see what is stored. */
    private DynamoDbApiKeyStore truth;
    private final String owner = "owner-" + UUID.randomUUID();

    @BeforeEach
    void table() {
        String table = MotoCatalogs.newTable("keys-retry");
        faulty = AwsClients.emulated(MotoServer.shared().endpoint(), MotoServer.shared().endpoint()).dynamo(faults);
        store = new DynamoDbApiKeyStore(faulty, table);
        truth = new DynamoDbApiKeyStore(MotoCatalogs.dynamo(), table);
    }

    @AfterEach
    void close() { faulty.close(); }

    private ApiKey key(String secret, String owner) {
        return new ApiKey(ApiKeySecrets.hash(secret), ApiKeySecrets.firstEight(secret), owner, List.of("read:metadata"), null, null,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), List.of());
    }

    @Test
    void aCreationWhoseReplyWasLostIsStillACreationStoredOnce() {
        String secret = ApiKeySecrets.generate();
        ApiKey k = key(secret, owner);
        faults.loseReply("TransactWriteItems", any(), 1, internalError());
        assertTrue(store.create(k));
        assertEquals(1, faults.fired());
        assertEquals(k, truth.byHash(k.hash()).orElseThrow());
        assertEquals(List.of(k), truth.byOwner(owner));
    }

    @Test
    void aCreationCancelledForAConflictIsTriedAgain() {
        ApiKey k = key(ApiKeySecrets.generate(), owner);
        faults.refuse("TransactWriteItems", any(), 2, cancelled("TransactionConflict", "None"));
        assertTrue(store.create(k));
        assertEquals(2, faults.fired());
        assertEquals(List.of(k), truth.byOwner(owner));
    }

    @Test
    void aSecretAnotherKeyHoldsIsStillRefused() {
        String secret = ApiKeySecrets.generate();
        assertTrue(truth.create(key(secret, "someone-else")));
        assertThrows(IllegalStateException.class, () -> store.create(key(secret, owner)));
        assertEquals(List.of(), truth.byOwner(owner));
        assertEquals("someone-else", truth.byHash(ApiKeySecrets.hash(secret)).orElseThrow().owner());
    }

    @Test
    void aRevocationCancelledForAConflictIsTriedAgainAndRemovesBothItems() {
        ApiKey k = key(ApiKeySecrets.generate(), owner);
        assertTrue(truth.create(k));
        faults.refuse("TransactWriteItems", any(), 2, cancelled("None", "TransactionConflict"))
                .loseReply("TransactWriteItems", any(), 1, internalError());
        assertTrue(store.revoke(owner, k.firstEight()));
        assertEquals(3, faults.fired());
        assertTrue(truth.byHash(k.hash()).isEmpty());
        assertEquals(List.of(), truth.byOwner(owner));
    }

    @Test
    void throttledReadsAreRetriedByTheSdkUntilItsAttemptsRunOut() {
        ApiKey k = key(ApiKeySecrets.generate(), owner);
        faults.refuse("Query", any(), AwsClients.MAX_ATTEMPTS - 1, throttled());
        assertTrue(store.create(k)); // it counts the owner's keys first
        faults.refuse("GetItem", any(), AwsClients.MAX_ATTEMPTS - 1, throttled());
        assertEquals(k, store.byHash(k.hash()).orElseThrow());
        assertEquals(2 * (AwsClients.MAX_ATTEMPTS - 1), faults.fired());
        faults.refuse("GetItem", any(), AwsClients.MAX_ATTEMPTS, throttled());
        assertThrows(UncheckedIOException.class, () -> store.byHash(k.hash()), "the authorizer's 503, not a missing key");
    }
}
