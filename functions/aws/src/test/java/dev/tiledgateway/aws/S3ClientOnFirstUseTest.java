package dev.tiledgateway.aws;

import dev.tiledgateway.aws.store.S3BlobStore;
import dev.tiledgateway.core.backend.Backend;
import dev.tiledgateway.testkit.ClassLoadLog;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backend builds its S3 client and presigner when the store first needs them (building an S3 client is a large
 * part of a Lambda cold start, and answering metadata or a search needs none), once, whichever request comes first.
 */
class S3ClientOnFirstUseTest {

    /** Nothing listens there: a request fails at once, after the client has been built. */
    private static final URI NOWHERE = URI.create("http://127.0.0.1:1");

    private static AwsClients unreachable() {
        return AwsClients.emulated(NOWHERE, NOWHERE).withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(3), 1);
    }

    @Test
    void theClientAndThePresignerAreBuiltOnFirstUseAndOnlyOnce() throws Exception {
        AwsClients clients = unreachable();
        AtomicInteger built = new AtomicInteger(), signers = new AtomicInteger();
        S3BlobStore store = S3BlobStore.opening(() -> {
            built.incrementAndGet();
            return clients.s3();
        }, () -> {
            signers.incrementAndGet();
            return clients.presigner();
        }, "bucket", "", clients.transfers());
        assertEquals(0, built.get(), "built when opened");
        assertEquals(0, signers.get(), "presigner built when opened");

        assertTrue(store.presignGet("a/b", Duration.ofMinutes(5)).isPresent());
        store.presignGet("a/c", Duration.ofMinutes(5));
        assertEquals(1, signers.get());
        assertEquals(0, built.get(), "signing a URL needs no client");

        // Eight requests at once, each failing to connect: one client for them all.
        int n = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        AtomicInteger failed = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    store.size("k");
                } catch (IOException e) {
                    failed.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) t.join();
        assertEquals(n, failed.get(), "each request reached the (absent) endpoint and failed as an IOException");
        assertEquals(1, built.get());
    }

    @Test
    void aStoreOpenedWithoutAPresignerHandsOutNoUrlsAndBuildsNothing() {
        AtomicInteger built = new AtomicInteger();
        S3BlobStore store = S3BlobStore.opening(() -> {
            built.incrementAndGet();
            return unreachable().s3();
        }, null, "bucket", "", unreachable().transfers());
        assertTrue(store.presignGet("a", Duration.ofMinutes(1)).isEmpty());
        assertEquals(0, built.get());
    }

    @Test
    void aClientThatCannotBeBuiltFailsTheRequestThatNeedsItAndIsTriedAgainOnTheNext() {
        AtomicInteger tries = new AtomicInteger();
        S3BlobStore store = S3BlobStore.opening(() -> {
            if (tries.incrementAndGet() == 1) throw new IllegalStateException("no client this time");
            return unreachable().s3();
        }, null, "bucket", "", unreachable().transfers());
        assertThrows(IllegalStateException.class, () -> store.size("k"));
        assertThrows(IOException.class, () -> store.size("k"));
        assertEquals(2, tries.get());
    }

    @Test
    void theBackendLoadsNoS3ClientClassUntilItsStoreIsUsed() throws Exception {
        // A JVM of its own: this one has built S3 clients already.
        // Not with the backend (DynamoDB's client is), but by the store's first request.
        ClassLoadLog.assertLoadedBetween(ClassLoadLog.of(OpenThenUse.class), "software.amazon.awssdk.services.dynamodb.DefaultDynamoDbClient",
                "backend opened", "software.amazon.awssdk.services.s3.DefaultS3Client", "store used");
    }

    /** Opens the AWS backend on an endpoint where nothing listens, then makes one store request. */
    public static final class OpenThenUse {
        public static void main(String[] args) {
            Backend b = AwsBackendFactory.open(unreachable(), "bucket", "", "table", false);
            System.out.println("backend opened");
            try {
                b.store().size("k");
            } catch (IOException expected) {
                // nothing listens
            }
            System.out.println("store used");
        }
    }
}
