package dev.tiledgateway.testkit;

import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.ByteRange;
import dev.tiledgateway.core.store.ObjectVersion;
import dev.tiledgateway.core.store.BlobWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link BlobStore} adapter must do, embedded or AWS: extend this class and supply a store.
 * Each test works under a fresh random prefix, so stores may be shared between tests.
 */
public abstract class BlobStoreContract {

    /** The store under test. */
    protected abstract BlobStore store() throws IOException;

    /** Whether this adapter hands out presigned URLs. */
    protected abstract boolean presigns();

    /** Follows a presigned URL with a plain unauthenticated GET (only called when {@link #presigns()}). */
    protected abstract byte[] download(java.net.URI uri) throws IOException;

    protected String p;

    @BeforeEach
    void freshPrefix() { p = "contract-" + UUID.randomUUID() + "/"; }

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Test
    void missingObjectsAreEmpty() throws IOException {
        assertEquals(Optional.empty(), store().get(p + "nothing"));
        assertEquals(Optional.empty(), store().getRange(p + "nothing", 0, 10));
        assertEquals(Optional.empty(), store().size(p + "nothing"));
    }

    @Test
    void putThenGetReturnsTheSameBytes() throws IOException {
        byte[] b = new byte[100_000];
        new java.util.Random(1).nextBytes(b);
        store().put(p + "a/b/c.bin", b);
        assertArrayEquals(b, store().get(p + "a/b/c.bin").orElseThrow());
        assertEquals(100_000L, store().size(p + "a/b/c.bin").orElseThrow());
    }

    @Test
    void putReplacesWholeObjects() throws IOException {
        store().put(p + "k", bytes("first version, longer"));
        store().put(p + "k", bytes("second"));
        assertArrayEquals(bytes("second"), store().get(p + "k").orElseThrow());
    }

    @Test
    void anObjectsVersionChangesWithEveryWriteOfOtherBytesEvenOfTheSameSize() throws IOException {
        assertEquals(Optional.empty(), store().version(p + "v"));
        store().put(p + "v", bytes("x,y\n1,2\n"));
        ObjectVersion first = store().version(p + "v").orElseThrow();
        assertEquals(8, first.size());
        assertEquals(first, store().version(p + "v").orElseThrow(), "no write, the same version");
        store().put(p + "v", bytes("x,y\n3,4\n"));
        ObjectVersion second = store().version(p + "v").orElseThrow();
        assertEquals(8, second.size());
        assertNotEquals(first.tag(), second.tag(), "same size, other bytes, written right after");
        store().put(p + "v", bytes("x,y\n5,6\n"));
        assertNotEquals(second.tag(), store().version(p + "v").orElseThrow().tag());
        store().delete(p + "v");
        assertEquals(Optional.empty(), store().version(p + "v"));
    }

    @Test
    void versionsListEveryObjectUnderAPrefixWithItsSize() throws IOException {
        store().put(p + "arr/.zarray", bytes("{}"));
        store().put(p + "arr/0.0", bytes("abc"));
        store().put(p + "arr/1/0", bytes("defg"));
        store().put(p + "other", bytes("no"));
        List<ObjectVersion> vs = store().versions(p + "arr/");
        assertEquals(List.of(p + "arr/.zarray", p + "arr/0.0", p + "arr/1/0"), vs.stream().map(ObjectVersion::key).toList());
        assertEquals(List.of(2L, 3L, 4L), vs.stream().map(ObjectVersion::size).toList());
        String before = ObjectVersion.fingerprint(vs);
        assertEquals(before, ObjectVersion.fingerprint(store().versions(p + "arr/")));
        store().put(p + "arr/0.0", bytes("xyz"));
        assertNotEquals(before, ObjectVersion.fingerprint(store().versions(p + "arr/")), "one chunk rewritten, same size");
    }

    @Test
    void emptyObjectsExist() throws IOException {
        store().put(p + "empty", new byte[0]);
        assertArrayEquals(new byte[0], store().get(p + "empty").orElseThrow());
        assertEquals(0L, store().size(p + "empty").orElseThrow());
    }

    @Test
    void rangesReadPartsAndSuffixes() throws IOException {
        store().put(p + "r", bytes("0123456789"));
        assertArrayEquals(bytes("234"), store().getRange(p + "r", 2, 3).orElseThrow());
        assertArrayEquals(bytes("89"), store().getRange(p + "r", 8, 100).orElseThrow());
        assertArrayEquals(bytes("789"), store().getRange(p + "r", -3, 0).orElseThrow());
    }

    @Test
    void severalRangesReadInTheOrderGiven() throws IOException {
        store().put(p + "m", bytes("0123456789"));
        List<ByteRange> ranges = List.of(new ByteRange(7, 2), new ByteRange(0, 3), new ByteRange(3, 0), new ByteRange(8, 100),
                new ByteRange(20, 4), new ByteRange(2, 3));
        List<byte[]> got = store().getRanges(p + "m", ranges).orElseThrow();
        assertEquals(6, got.size());
        assertArrayEquals(bytes("78"), got.get(0));
        assertArrayEquals(bytes("012"), got.get(1));
        assertArrayEquals(new byte[0], got.get(2));
        assertArrayEquals(bytes("89"), got.get(3), "shorter where the object ends");
        assertArrayEquals(new byte[0], got.get(4), "past the end");
        assertArrayEquals(bytes("234"), got.get(5));
        assertEquals(Optional.empty(), store().getRanges(p + "nothing", ranges));
        assertEquals(0, store().getRanges(p + "m", List.of()).orElseThrow().size());
        assertEquals(Optional.empty(), store().getRanges(p + "nothing", List.of()));
    }

    @Test
    void rangesOfMegabytesAtUnalignedOffsetsComeBackByteForByte() throws IOException {
        // Larger than the pieces a store may read in, starting and ending between them.
        byte[] big = new byte[3 * 1024 * 1024 + 7];
        new java.util.SplittableRandom(11).nextBytes(big);
        store().put(p + "big", big);
        assertArrayEquals(java.util.Arrays.copyOfRange(big, 100_003, 100_003 + 2_500_001), store().getRange(p + "big", 100_003, 2_500_001).orElseThrow());
        assertArrayEquals(java.util.Arrays.copyOfRange(big, big.length - 1_048_579, big.length), store().getRange(p + "big", -1_048_579, 0).orElseThrow());
        List<byte[]> got = store().getRanges(p + "big", List.of(new ByteRange(262_143, 1_048_577), new ByteRange(big.length - 5, 1_000_000))).orElseThrow();
        assertArrayEquals(java.util.Arrays.copyOfRange(big, 262_143, 262_143 + 1_048_577), got.get(0));
        assertArrayEquals(java.util.Arrays.copyOfRange(big, big.length - 5, big.length), got.get(1), "shorter where the object ends");
    }

    @Test
    void rangesStartingPastTheEndExistButAreEmpty() throws IOException {
        store().put(p + "s", bytes("0123"));
        List<byte[]> got = store().getRanges(p + "s", List.of(new ByteRange(10, 2), new ByteRange(1, 2))).orElseThrow();
        assertArrayEquals(new byte[0], got.get(0));
        assertArrayEquals(bytes("12"), got.get(1));
    }

    @Test
    void listingIsByPrefixAndSorted() throws IOException {
        for (String k : List.of("b/2", "a/1", "a/3", "ab", "c")) store().put(p + k, bytes(k));
        assertEquals(List.of(p + "a/1", p + "a/3"), store().list(p + "a/"));
        assertEquals(List.of(p + "a/1", p + "a/3", p + "ab"), store().list(p + "a"));
        assertEquals(5, store().list(p).size());
        assertEquals(List.of(), store().list(p + "zzz/"));
    }

    @Test
    void deleteRemovesAndIsIdempotent() throws IOException {
        store().put(p + "d", bytes("x"));
        store().delete(p + "d");
        store().delete(p + "d");
        assertEquals(Optional.empty(), store().get(p + "d"));
    }

    @Test
    void aCopyIsAnObjectOfItsOwnAndAMissingSourceCopiesNothing() throws IOException {
        BlobStore s = store();
        s.put(p + "a", bytes("first"));
        assertTrue(s.copy(p + "a", p + "b"));
        assertArrayEquals(bytes("first"), s.get(p + "b").orElseThrow());
        s.put(p + "a", bytes("second"));
        assertArrayEquals(bytes("first"), s.get(p + "b").orElseThrow(), "rewriting the source leaves the copy");
        s.put(p + "b", bytes("third"));
        assertArrayEquals(bytes("second"), s.get(p + "a").orElseThrow(), "rewriting the copy leaves the source");
        s.delete(p + "a");
        assertArrayEquals(bytes("third"), s.get(p + "b").orElseThrow());
        assertFalse(s.copy(p + "missing", p + "c"));
        assertTrue(s.get(p + "c").isEmpty());
        assertTrue(s.copy(p + "b", p + "b2"));
        assertTrue(s.copy(p + "b", p + "b2"), "a copy replaces what was at its key");
        assertEquals(List.of(p + "b", p + "b2"), s.list(p));
    }

    @Test
    void concurrentWritersLeaveOneWholeVersion() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                byte[] b = new byte[50_000];
                java.util.Arrays.fill(b, (byte) i);
                fs.add(pool.submit(() -> { store().put(p + "race", b); return null; }));
                fs.add(pool.submit(() -> {
                    Optional<byte[]> got = store().get(p + "race");
                    got.ifPresent(g -> {
                        for (byte x : g) if (x != g[0]) throw new AssertionError("read a torn object");
                    });
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdownNow();
        }
        byte[] last = store().get(p + "race").orElseThrow();
        assertEquals(50_000, last.length);
        for (byte x : last) assertEquals(last[0], x);
    }

    @Test
    void aStreamedWriteAppearsWholeOnlyWhenCommitted() throws IOException {
        store().put(p + "s", bytes("old"));
        try (BlobWriter w = store().openWrite(p + "s")) {
            w.write(bytes("first half, "));
            assertArrayEquals(bytes("old"), store().get(p + "s").orElseThrow(), "visible before the commit");
            w.write(bytes("second half"));
            assertEquals(List.of(p + "s"), store().list(p), "a write in progress is no object of its own");
            w.commit();
        }
        assertArrayEquals(bytes("first half, second half"), store().get(p + "s").orElseThrow());
        assertEquals(23L, store().size(p + "s").orElseThrow());
    }

    @Test
    void aLargeStreamedWriteInIrregularPiecesComesBackByteForByte() throws IOException {
        // Past the multipart threshold of the S3 adapter (16 MiB), in parts of 8 MiB and a short last one.
        byte[] big = new byte[20 * 1024 * 1024 + 3];
        new java.util.SplittableRandom(20).nextBytes(big);
        java.util.SplittableRandom sizes = new java.util.SplittableRandom(3);
        try (BlobWriter w = store().openWrite(p + "streamed.bin")) {
            for (int at = 0; at < big.length; ) {
                int n = Math.min(big.length - at, sizes.nextInt(1, 300_000));
                if (n == 1) w.write(big[at]);
                else w.write(big, at, n);
                at += n;
            }
            w.commit();
        }
        assertEquals((long) big.length, store().size(p + "streamed.bin").orElseThrow());
        assertArrayEquals(big, store().get(p + "streamed.bin").orElseThrow());
    }

    @Test
    void anAbandonedStreamedWriteStoresNothingAndKeepsTheEarlierObject() throws IOException {
        store().put(p + "kept", bytes("earlier"));
        byte[] big = new byte[18 * 1024 * 1024];
        try (BlobWriter w = store().openWrite(p + "kept")) {
            w.write(big);
        }
        try (BlobWriter w = store().openWrite(p + "never")) {
            w.write(big);
        }
        assertArrayEquals(bytes("earlier"), store().get(p + "kept").orElseThrow());
        assertEquals(Optional.empty(), store().get(p + "never"));
        assertEquals(List.of(p + "kept"), store().list(p));
    }

    @Test
    void aFailingProducerStoresNothingAndItsErrorIsRethrown() throws IOException {
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> store().write(p + "failed", out -> {
            out.write(new byte[17 * 1024 * 1024]);
            throw new IOException("the producer failed");
        }));
        assertEquals("the producer failed", e.getMessage());
        RuntimeException r = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> store().write(p + "refused", out -> {
            out.write(bytes("some"));
            throw new IllegalStateException("refused mid-way");
        }));
        assertEquals("refused mid-way", r.getMessage());
        assertEquals(List.of(), store().list(p));
        store().write(p + "written", out -> out.write(bytes("whole")));
        assertArrayEquals(bytes("whole"), store().get(p + "written").orElseThrow());
    }

    @Test
    void anEmptyStreamedWriteIsAnEmptyObject() throws IOException {
        try (BlobWriter w = store().openWrite(p + "empty")) {
            w.commit();
        }
        assertArrayEquals(new byte[0], store().get(p + "empty").orElseThrow());
    }

    @Test
    void aFinishedStreamedWriteTakesNoMoreBytes() throws IOException {
        BlobWriter committed = store().openWrite(p + "done");
        committed.write(bytes("x"));
        committed.commit();
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> committed.write(bytes("y")));
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, committed::commit);
        committed.close();
        BlobWriter abandoned = store().openWrite(p + "dropped");
        abandoned.close();
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> abandoned.write(bytes("y")));
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, abandoned::commit);
        assertArrayEquals(bytes("x"), store().get(p + "done").orElseThrow());
        assertEquals(Optional.empty(), store().get(p + "dropped"));
    }

    @Test
    void presignedUrlsServeTheObjectWithoutCredentials() throws IOException {
        store().put(p + "signed.bin", bytes("payload"));
        Optional<java.net.URI> uri = store().presignGet(p + "signed.bin", java.time.Duration.ofMinutes(5));
        assertEquals(presigns(), uri.isPresent());
        if (presigns()) assertArrayEquals(bytes("payload"), download(uri.get()));
    }
}
