package dev.tiledgateway.aws.store;

import dev.tiledgateway.testkit.MotoServer;
import dev.tiledgateway.aws.AwsBackendFactory;
import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.aws.FaultyProxy;
import dev.tiledgateway.aws.Http;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.BlobWriter;
import dev.tiledgateway.testkit.BlobStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import dev.tiledgateway.aws.CallCounter;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The BlobStore contract and S3-specific behaviour against moto's S3. */
@Tag("emulator")
class S3BlobStoreMotoTest extends BlobStoreContract {

    private static final String BUCKET = "moto-store";
    private static final String XML = "application/xml";

    private static AwsClients clients;
    private static S3Client s3;
    private static S3BlobStore store;
    private static FaultyProxy proxy;

    @BeforeAll
    static void startMoto() throws IOException {
        clients = AwsClients.emulated(MotoServer.shared().endpoint(), MotoServer.shared().endpoint());
        s3 = clients.s3();
        AwsBackendFactory.createBucket(s3, BUCKET, clients.region());
        store = new S3BlobStore(s3, clients.presigner(), BUCKET, "gateway/");
        proxy = new FaultyProxy(MotoServer.shared().endpoint());
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) proxy.close();
    }

    @Override
    protected BlobStore store() { return store; }

    @Override
    protected boolean presigns() { return true; }

    @Override
    protected byte[] download(URI uri) throws IOException { return Http.download(uri); }

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    /** A store that reaches moto through the fault-injecting proxy. */
    private static S3BlobStore proxied() {
        AwsClients c = AwsClients.emulated(proxy.endpoint(), proxy.endpoint());
        return new S3BlobStore(c.s3(), c.presigner(), BUCKET, "gateway/");
    }

    @Test
    void keysLiveUnderThePrefixAndNothingOutsideItIsSeen() throws IOException {
        store.put(p + "inside", bytes("in"));
        s3.putObject(b -> b.bucket(BUCKET).key(p + "outside"), RequestBody.fromString("out"));
        s3.putObject(b -> b.bucket(BUCKET).key("gatewayx/" + p + "sibling"), RequestBody.fromString("out"));
        assertTrue(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("gateway/" + p)).contents().stream()
                .map(S3Object::key).toList().contains("gateway/" + p + "inside"));
        assertEquals(List.of(p + "inside"), store.list(p));
        assertEquals(Optional.empty(), store.get(p + "outside"));
        List<String> all = store.list("");
        assertTrue(all.contains(p + "inside"));
        assertTrue(all.stream().noneMatch(k -> k.contains(p + "outside") || k.contains(p + "sibling")), all.toString());
    }

    @Test
    void keysThatCouldEscapeThePrefixAreRefused() {
        for (String bad : new String[] {"../x", "a/../../x", "/etc/passwd", "a//b", "a/./b", "", "a\\b"}) {
            assertThrows(IllegalArgumentException.class, () -> store.put(bad, new byte[1]), bad);
            assertThrows(IllegalArgumentException.class, () -> store.get(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> store.presignGet(bad, Duration.ofMinutes(1)), bad);
        }
    }

    @Test
    void largeObjectsAreUploadedInPartsAndReadBackWhole() throws IOException {
        S3BlobStore small = new S3BlobStore(s3, null, BUCKET, "gateway/", clients.transfers().withParts(6 * 1024 * 1024, 5 * 1024 * 1024, 10 * 1024 * 1024));
        byte[] big = new byte[12 * 1024 * 1024 + 17];
        new Random(7).nextBytes(big);
        small.put(p + "big.bin", big);
        assertArrayEquals(big, small.get(p + "big.bin").orElseThrow());
        assertEquals((long) big.length, small.size(p + "big.bin").orElseThrow());
        // A multipart ETag ends in "-<number of parts>".
        String etag = s3.headObject(b -> b.bucket(BUCKET).key("gateway/" + p + "big.bin")).eTag();
        assertTrue(etag.replace("\"", "").endsWith("-3"), etag);
        byte[] tail = small.getRange(p + "big.bin", -10, 0).orElseThrow();
        assertArrayEquals(java.util.Arrays.copyOfRange(big, big.length - 10, big.length), tail);
    }

    @Test
    void severalRangesTakeOneGetEachAndLongOnesComeInParts() throws IOException {
        CallCounter calls = new CallCounter();
        S3BlobStore small = new S3BlobStore(clients.s3(calls), null, BUCKET, "gateway/",
                clients.transfers().withParts(6 * 1024 * 1024, 5 * 1024 * 1024, 10 * 1024 * 1024));
        byte[] big = new byte[12 * 1024 * 1024 + 17];
        new Random(11).nextBytes(big);
        small.put(p + "ranges.bin", big);
        calls.reset();
        List<dev.tiledgateway.core.store.ByteRange> ranges = List.of(
                new dev.tiledgateway.core.store.ByteRange(100, 11 * 1024 * 1024), // three parts
                new dev.tiledgateway.core.store.ByteRange(12 * 1024 * 1024, 100), // 17 bytes before the end
                new dev.tiledgateway.core.store.ByteRange(5, 10));
        List<byte[]> got = small.getRanges(p + "ranges.bin", ranges).orElseThrow();
        assertArrayEquals(Arrays.copyOfRange(big, 100, 100 + 11 * 1024 * 1024), got.get(0));
        assertArrayEquals(Arrays.copyOfRange(big, 12 * 1024 * 1024, big.length), got.get(1));
        assertArrayEquals(Arrays.copyOfRange(big, 5, 15), got.get(2));
        assertEquals(5, calls.calls("GetObject"), "one GET per part of each range");
        assertEquals(0, calls.calls("HeadObject"));
    }

    @Test
    void aTwoHundredMegabyteObjectGoesUpInPartsAndComesBackByteForByte() throws IOException {
        CallCounter calls = new CallCounter();
        S3BlobStore counted = new S3BlobStore(clients.s3(calls), null, BUCKET, "gateway/", clients.transfers());
        byte[] big = new byte[200_000_000];
        new SplittableRandom(200).nextBytes(big);
        counted.put(p + "200mb.bin", big);
        int parts = 24; // 200,000,000 bytes in parts of 8 MiB
        assertEquals(parts, calls.calls("UploadPart"));
        // The emulator's own count of the parts the object was assembled from.
        Integer stored = s3.headObject(b -> b.bucket(BUCKET).key("gateway/" + p + "200mb.bin").partNumber(1)).partsCount();
        assertEquals(parts, stored);
        assertEquals(0, calls.calls("PutObject"));

        calls.reset();
        byte[] back = counted.get(p + "200mb.bin").orElseThrow();
        assertEquals(parts, calls.calls("GetObject"), "read back in ranged parts");
        assertTrue(Arrays.equals(big, back), "the bytes read back differ from those written");
        byte[] middle = counted.getRange(p + "200mb.bin", 99_999_000, 20_000_000).orElseThrow();
        assertTrue(Arrays.equals(big, 99_999_000, 119_999_000, middle, 0, middle.length), "a large range differs");
        s3.deleteObject(b -> b.bucket(BUCKET).key("gateway/" + p + "200mb.bin"));
    }

    @Test
    void aPartThatKeepsFailingAbortsTheUploadAndLeavesNoObject() {
        ExecutionInterceptor failPartThree = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof UploadPartRequest u && u.partNumber() == 3) throw SdkClientException.create("part 3 refused by the test");
            }
        };
        S3BlobStore failing = new S3BlobStore(clients.s3(failPartThree), null, BUCKET, "gateway/",
                clients.transfers().withParts(6 * 1024 * 1024, 5 * 1024 * 1024, 10 * 1024 * 1024));
        byte[] big = new byte[30 * 1024 * 1024];
        IOException e = assertThrows(IOException.class, () -> failing.put(p + "never.bin", big));
        assertTrue(e.getMessage().contains("part 3 refused"), e.getMessage());
        assertEquals(Optional.empty(), assertDoesNotThrow(() -> store.get(p + "never.bin")));
        List<String> open = s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix("gateway/" + p)).uploads().stream()
                .map(MultipartUpload::key).toList();
        assertEquals(List.of(), open, "the abandoned upload was aborted");
    }

    @Test
    void aStreamedWriteSendsEachPartAsSoonAsItIsFull() throws IOException {
        CallCounter calls = new CallCounter();
        // Parts of 5 MiB, two on the wire at once: the writer cannot run further ahead than that.
        S3BlobStore small = new S3BlobStore(clients.s3(calls), null, BUCKET, "gateway/",
                clients.transfers().withParts(6 * 1024 * 1024, 5 * 1024 * 1024, 10 * 1024 * 1024));
        byte[] big = new byte[25 * 1024 * 1024 + 11];
        new SplittableRandom(25).nextBytes(big);
        try (BlobWriter w = small.openWrite(p + "streamed.bin")) {
            for (int at = 0; at < 25 * 1024 * 1024; at += 1024 * 1024) w.write(big, at, 1024 * 1024);
            assertEquals(1, calls.calls("CreateMultipartUpload"));
            String uploadId = s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix("gateway/" + p)).uploads().get(0).uploadId();
            int uploaded = s3.listParts(b -> b.bucket(BUCKET).key("gateway/" + p + "streamed.bin").uploadId(uploadId)).parts().size();
            assertTrue(uploaded >= 3, "parts stored before the commit: " + uploaded);
            assertEquals(Optional.empty(), small.get(p + "streamed.bin"), "visible before the commit");
            w.write(big, 25 * 1024 * 1024, 11);
            w.commit();
        }
        assertEquals(6, calls.calls("UploadPart"));
        assertEquals(0, calls.calls("PutObject"));
        assertTrue(Arrays.equals(big, store.get(p + "streamed.bin").orElseThrow()));
        Integer stored = s3.headObject(b -> b.bucket(BUCKET).key("gateway/" + p + "streamed.bin").partNumber(1)).partsCount();
        assertEquals(6, stored);
    }

    @Test
    void aSmallStreamedWriteIsOnePut() throws IOException {
        CallCounter calls = new CallCounter();
        S3BlobStore counted = new S3BlobStore(clients.s3(calls), null, BUCKET, "gateway/", clients.transfers());
        counted.write(p + "small.bin", out -> out.write(bytes("a few bytes")));
        assertEquals(1, calls.calls("PutObject"));
        assertEquals(0, calls.calls("CreateMultipartUpload"));
        assertArrayEquals(bytes("a few bytes"), store.get(p + "small.bin").orElseThrow());
    }

    @Test
    void aStreamedWriteWhoseProducerFailsAbortsItsUpload() {
        S3BlobStore small = new S3BlobStore(s3, null, BUCKET, "gateway/",
                clients.transfers().withParts(6 * 1024 * 1024, 5 * 1024 * 1024, 10 * 1024 * 1024));
        IOException e = assertThrows(IOException.class, () -> small.write(p + "half.bin", out -> {
            out.write(new byte[22 * 1024 * 1024]);
            throw new IOException("the producer gave up");
        }));
        assertEquals("the producer gave up", e.getMessage());
        assertEquals(Optional.empty(), assertDoesNotThrow(() -> store.get(p + "half.bin")));
        assertEquals(List.of(), s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix("gateway/" + p)).uploads(), "the upload was aborted");
    }

    @Test
    void aPartThatKeepsFailingStopsTheStreamedWriteAndAbortsIt() {
        ExecutionInterceptor failPartTwo = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof UploadPartRequest u && u.partNumber() == 2) throw SdkClientException.create("part 2 refused by the test");
            }
        };
        S3BlobStore failing = new S3BlobStore(clients.s3(failPartTwo), null, BUCKET, "gateway/",
                clients.transfers().withParts(6 * 1024 * 1024, 5 * 1024 * 1024, 10 * 1024 * 1024));
        long[] offered = {0};
        IOException e = assertThrows(IOException.class, () -> failing.write(p + "never.bin", out -> {
            byte[] mb = new byte[1024 * 1024];
            for (int i = 0; i < 200; i++) {
                out.write(mb);
                offered[0] += mb.length;
            }
        }));
        assertTrue(e.getMessage().contains("part 2 refused"), e.getMessage());
        assertTrue(offered[0] < 200L * 1024 * 1024, "the producer was stopped before it had written everything");
        assertEquals(Optional.empty(), assertDoesNotThrow(() -> store.get(p + "never.bin")));
        assertEquals(List.of(), s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix("gateway/" + p)).uploads(), "the upload was aborted");
    }

    @Test
    void aSlowLinkStretchesTheTimeoutsByTheBytesMoved() throws IOException {
        // Requests of no size get 1 s per attempt here; parts and ranged reads of 8 MiB through a shared
        // 16 MiB/s link queue behind each other for up to 2.5 s, which only a time scaled by bytes allows.
        AwsClients slow = AwsClients.emulated(proxy.endpoint(), proxy.endpoint())
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2), 2);
        S3BlobStore viaSlowLink = new S3BlobStore(slow.s3(), null, BUCKET, "gateway/", slow.transfers());
        byte[] big = new byte[40 * 1024 * 1024];
        new SplittableRandom(40).nextBytes(big);
        proxy.limitBandwidth(16L * 1024 * 1024);
        try {
            long t0 = System.nanoTime();
            viaSlowLink.put(p + "slow.bin", big);
            assertTrue(System.nanoTime() - t0 > Duration.ofMillis(2500).toNanos(), "the link was not slow");
            assertTrue(Arrays.equals(big, viaSlowLink.get(p + "slow.bin").orElseThrow()));
        } finally {
            proxy.limitBandwidth(0);
        }
    }

    @Test
    void anObjectReplacedDuringAReadInPartsIsReadAgainWhole() throws IOException {
        byte[] before = new byte[20 * 1024 * 1024], after = new byte[20 * 1024 * 1024];
        Arrays.fill(before, (byte) 1);
        Arrays.fill(after, (byte) 2);
        store.put(p + "changing.bin", before);
        java.util.concurrent.atomic.AtomicInteger gets = new java.util.concurrent.atomic.AtomicInteger();
        ExecutionInterceptor replaceAfterFirstPart = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof GetObjectRequest && gets.incrementAndGet() == 2) {
                    s3.putObject(b -> b.bucket(BUCKET).key("gateway/" + p + "changing.bin"), RequestBody.fromBytes(after));
                }
            }
        };
        S3BlobStore reader = new S3BlobStore(clients.s3(replaceAfterFirstPart), null, BUCKET, "gateway/", clients.transfers());
        assertTrue(Arrays.equals(after, reader.get(p + "changing.bin").orElseThrow()), "a read mixed two versions of the object");
    }

    @Test
    void rangesPastTheEndAndOnEmptyObjectsAreEmptyNotErrors() throws IOException {
        store.put(p + "ten", bytes("0123456789"));
        assertArrayEquals(new byte[0], store.getRange(p + "ten", 10, 5).orElseThrow());
        assertArrayEquals(new byte[0], store.getRange(p + "ten", 3, 0).orElseThrow());
        assertArrayEquals(bytes("0123456789"), store.getRange(p + "ten", -100, 0).orElseThrow());
        store.put(p + "empty", new byte[0]);
        assertArrayEquals(new byte[0], store.getRange(p + "empty", 0, 5).orElseThrow());
        assertEquals(Optional.empty(), store.getRange(p + "missing", 3, 0));
    }

    @Test
    void listingFollowsContinuationTokens() throws IOException {
        S3BlobStore paged = new S3BlobStore(s3, null, BUCKET, "gateway/");
        paged.listPageSize(7);
        for (int i = 0; i < 30; i++) {
            String k = "gateway/" + p + "many/" + String.format("%04d", i);
            s3.putObject(b -> b.bucket(BUCKET).key(k), RequestBody.empty());
        }
        List<String> keys = paged.list(p + "many/");
        assertEquals(30, keys.size());
        assertEquals(p + "many/0029", keys.get(29));
    }

    @Test
    void presignedUrlsPointAtTheConfiguredEndpointPathStyle() {
        URI uri = store.presignGet(p + "x.bin", Duration.ofMinutes(1)).orElseThrow();
        assertEquals(MotoServer.shared().endpoint().getAuthority(), uri.getAuthority());
        assertTrue(uri.getRawPath().startsWith("/" + BUCKET + "/gateway/"), uri.toString());
        assertTrue(uri.getRawQuery().contains("X-Amz-Expires=60"), uri.toString());
    }

    @Test
    void aThrottledReadIsRetried() throws IOException {
        store.put(p + "hot", bytes("payload"));
        S3BlobStore viaProxy = proxied();
        proxy.resetCount();
        proxy.failNext(1, 503, XML, FaultyProxy.s3Error("SlowDown"));
        assertArrayEquals(bytes("payload"), viaProxy.get(p + "hot").orElseThrow());
        assertEquals(2, proxy.requests());

        proxy.resetCount();
        proxy.failNext(2, 429, XML, FaultyProxy.s3Error("TooManyRequests"));
        assertEquals(7L, viaProxy.size(p + "hot").orElseThrow());
        assertEquals(3, proxy.requests());
    }

    @Test
    void aThrottledWriteIsRetriedAndLandsOnce() throws IOException {
        S3BlobStore viaProxy = proxied();
        proxy.resetCount();
        proxy.failNext(1, 503, XML, FaultyProxy.s3Error("SlowDown"));
        viaProxy.put(p + "w", bytes("written"));
        assertEquals(2, proxy.requests());
        assertArrayEquals(bytes("written"), store.get(p + "w").orElseThrow());
    }

    @Test
    void persistentThrottlingBecomesAnIOExceptionAfterTheLastAttempt() {
        S3BlobStore viaProxy = proxied();
        proxy.resetCount();
        proxy.failNext(100, 503, XML, FaultyProxy.s3Error("SlowDown"));
        try {
            long t0 = System.nanoTime();
            assertThrows(IOException.class, () -> viaProxy.get(p + "any"));
            assertEquals(AwsClients.MAX_ATTEMPTS, proxy.requests());
            assertTrue(System.nanoTime() - t0 < AwsClients.CALL_TIMEOUT.toNanos());
        } finally {
            proxy.failNext(0, 200, XML, "");
        }
    }

    @Test
    void otherServiceFailuresAreIOExceptionsWithoutRetry() {
        S3BlobStore viaProxy = proxied();
        proxy.resetCount();
        proxy.failNext(1, 403, XML, FaultyProxy.s3Error("AccessDenied"));
        IOException e = assertThrows(IOException.class, () -> viaProxy.get(p + "secret"));
        assertTrue(e.getMessage().contains("403"), e.getMessage());
        assertEquals(1, proxy.requests());
    }

    @Test
    void aMissingBucketIsAFailureNotAnAbsentObject() {
        S3BlobStore nowhere = new S3BlobStore(s3, null, "no-such-bucket-here", "");
        assertThrows(IOException.class, () -> nowhere.get("k"));
        assertThrows(IOException.class, () -> nowhere.list(""));
    }
}
