package dev.tiledgateway.aws;

import dev.tiledgateway.testkit.MotoServer;
import dev.tiledgateway.aws.catalog.CatalogTable;
import dev.tiledgateway.aws.catalog.DynamoDbCatalog;
import dev.tiledgateway.aws.store.S3BlobStore;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backing service that dies or hangs mid-request turns into an IOException within the call budget,
 * never a hang: what the router needs to answer 503 + Retry-After well inside API Gateway's 30 s.
 */
@Tag("emulator")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmulatorFaultTest {

    /** A short budget for the test: 0.5 s per attempt, 2 attempts, 1.5 s per call, 64 MiB/s at the least. */
    private static final Duration CALL = Duration.ofMillis(1500);
    private static final long MIN_BYTES_PER_SECOND = 64L * 1024 * 1024;
    /**
     * The longest call of the test, an S3 GET timed for the first part of an object of unknown size, plus an
     * allowance for a loaded 2-core machine; still far inside API Gateway's 30 s.
     */
    private static Duration prompt;

    private static MotoServer moto;
    private static S3BlobStore store;
    private static DynamoDbCatalog catalog;

    /** A server of this class's own, since the tests stop it: first frozen and thawed, then killed. */
    @BeforeAll
    static void startPrivateMoto() throws IOException {
        moto = MotoServer.start();
        // The objects the tests read are set up with an emulator's budget: only the reads under test are short.
        AwsClients setup = AwsClients.emulated(moto.endpoint(), moto.endpoint());
        AwsBackendFactory.createBucket(setup.s3(), "faults", setup.region());
        CatalogTable.createIfMissing(setup.dynamo(), "faults");
        S3BlobStore setupStore = new S3BlobStore(setup.s3(), null, "faults", "", setup.transfers());
        setupStore.put("k", new byte[] {1, 2, 3});
        new DynamoDbCatalog(setup.dynamo(), "faults", setupStore).put(Node.container(NodePath.of("c"), Json.object(), List.of()));

        AwsClients clients = setup.withTimeouts(Duration.ofMillis(500), Duration.ofMillis(500), CALL, 2).withMinBytesPerSecond(MIN_BYTES_PER_SECOND);
        prompt = clients.transfers().callTimeout(clients.transfers().partSize()).plusSeconds(2);
        store = new S3BlobStore(clients.s3(), null, "faults", "", clients.transfers());
        catalog = new DynamoDbCatalog(clients.dynamo(), "faults", store);
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) moto.close();
    }

    private static long millisSince(long t0) { return (System.nanoTime() - t0) / 1_000_000; }

    @Test
    @Order(1)
    void aHungServiceIsAnIOExceptionWithinTheCallBudget() throws IOException {
        moto.freeze();
        try {
            long t0 = System.nanoTime();
            assertThrows(IOException.class, () -> store.get("k"));
            assertTrue(millisSince(t0) < prompt.toMillis(), "S3 took " + millisSince(t0) + " ms");
            t0 = System.nanoTime();
            assertThrows(UncheckedIOException.class, () -> catalog.get(NodePath.of("c")));
            assertTrue(millisSince(t0) < prompt.toMillis(), "DynamoDB took " + millisSince(t0) + " ms");
        } finally {
            moto.thaw();
        }
        // and once it answers again, so do the adapters
        assertArrayEquals(new byte[] {1, 2, 3}, store.get("k").orElseThrow());
        assertTrue(catalog.get(NodePath.of("c")).isPresent());
    }

    @Test
    @Order(2)
    void aServiceKilledMidRequestFailsThatRequestAndEveryLaterOnePromptly() throws Exception {
        moto.freeze(); // the request below is accepted by the kernel, then waits for an answer
        long t0 = System.nanoTime();
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try {
                return store.get("k").orElseThrow();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Thread.sleep(200);
        moto.kill();
        ExecutionException e = assertThrows(ExecutionException.class, () -> read.get(prompt.toMillis(), TimeUnit.MILLISECONDS));
        assertInstanceOf(UncheckedIOException.class, e.getCause());
        assertTrue(millisSince(t0) < prompt.toMillis(), "took " + millisSince(t0) + " ms");

        t0 = System.nanoTime();
        assertThrows(IOException.class, () -> store.get("k"));
        assertThrows(IOException.class, () -> store.size("k"));
        assertThrows(UncheckedIOException.class, () -> catalog.get(NodePath.of("c")));
        assertThrows(UncheckedIOException.class, () -> catalog.countChildren(NodePath.of("c")));
        assertTrue(millisSince(t0) < prompt.toMillis(), "four calls took " + millisSince(t0) + " ms");
    }

}
