package dev.tiledgateway.local;

import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.embedded.store.FileBlobStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Materialised results on a laptop: removed a day after they were written (as the bucket's lifecycle rule does on
 * AWS) and capped in space, oldest first ({@link DemoServer#bounded()}: 12 MB), never taken from a client that was
 * sent to one or is reading one.
 */
class ResultRetentionHttpTest {

    private static final String MEDIUM = "/api/v1/array/full/nested/images/medium_image";

    private final Http http = DemoServer.boundedHttp();

    @BeforeAll
    static void embeddedOnly() {
        assumeFalse(DemoServer.aws(), "on a bucket, its lifecycle rule expires results: the local server sweeps only its own folder");
    }

    private static FileBlobStore results() { return (FileBlobStore) DemoServer.bounded().results(); }

    @BeforeEach
    void noResultsYet() throws Exception {
        for (String k : results().list("_results/")) results().delete(k);
    }

    private static long storedBytes() throws Exception {
        long n = 0;
        for (String k : results().list("_results/")) n += results().size(k).orElse(0L);
        return n;
    }

    /** A 1,000,000-byte result (125 rows of medium_image from {@code row}): its redirect, not followed. */
    private HttpResponse<byte[]> redirectTo(int row) throws Exception {
        HttpResponse<byte[]> r = http.get(MEDIUM + "?slice=" + row + ":" + (row + 125) + "&expected_shape=125,1000", "Accept", "application/octet-stream");
        assertEquals(307, r.statusCode(), new String(r.body()));
        return r;
    }

    private static String keyOf(HttpResponse<byte[]> redirect) {
        String location = redirect.headers().firstValue("location").orElseThrow();
        return location.substring(location.indexOf("_results/"), location.indexOf('?'));
    }

    /** The same rows inline, in pieces at the ceiling. */
    private byte[] inline(int row) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int r = row; r < row + 125; r += 25) {
            HttpResponse<byte[]> piece = http.get(MEDIUM + "?slice=" + r + ":" + (r + 25), "Accept", "application/octet-stream");
            assertEquals(200, piece.statusCode());
            out.write(piece.body());
        }
        return out.toByteArray();
    }

    private byte[] download(HttpResponse<byte[]> redirect) throws Exception {
        HttpResponse<byte[]> r = http.get(redirect.headers().firstValue("location").orElseThrow());
        assertEquals(200, r.statusCode(), "the redirect led to " + r.statusCode() + " " + new String(r.body()));
        return r.body();
    }

    @Test
    void aResultIsRemovedADayAfterItWasWrittenAndMadeAgainWhenAskedFor() throws Exception {
        HttpResponse<byte[]> old = redirectTo(0);
        byte[] bytes = download(old);
        String key = keyOf(old);
        Files.setLastModifiedTime(results().fileOf(key), FileTime.from(Instant.now().minus(Duration.ofHours(25))));
        HttpResponse<byte[]> recent = redirectTo(10);
        download(recent);
        assertFalse(results().size(key).isPresent(), "a result written 25 hours ago is still stored");
        assertTrue(results().size(keyOf(recent)).isPresent());
        HttpResponse<byte[]> again = redirectTo(0);
        assertArrayEquals(bytes, download(again));
        assertArrayEquals(inline(0), bytes);
    }

    @Test
    void resultsTakeNoMoreThanTheCapOldestRemovedFirst() throws Exception {
        String first = null, last = null;
        for (int i = 0; i < 20; i++) {
            HttpResponse<byte[]> r = redirectTo(i * 10);
            assertEquals(1_000_000, download(r).length);
            if (first == null) first = keyOf(r);
            last = keyOf(r);
            assertTrue(storedBytes() <= DemoServer.BOUNDED_RESULTS, "results take " + storedBytes() + " bytes after " + (i + 1));
        }
        assertFalse(results().size(first).isPresent(), "the oldest result was kept");
        assertTrue(results().size(last).isPresent(), "the newest result was removed");
        assertTrue(storedBytes() > DemoServer.BOUNDED_RESULTS - 2_000_000, "more was removed than the cap needs: " + storedBytes());
    }

    @Test
    void aResultAClientWasSentToIsKeptUntilItIsFetched() throws Exception {
        HttpResponse<byte[]> pending = redirectTo(500);
        for (int i = 0; i < 15; i++) download(redirectTo(i * 10)); // 15 MB more: past the cap
        assertArrayEquals(inline(500), download(pending), "the client was sent to a result that is gone");
        download(redirectTo(200));
        assertFalse(results().size(keyOf(pending)).isPresent(), "once fetched, the oldest result goes like the others");
        assertTrue(storedBytes() <= DemoServer.BOUNDED_RESULTS);
    }

    @Test
    void aResultBeingDownloadedIsReadToItsEnd() throws Exception {
        HttpResponse<byte[]> r = redirectTo(600);
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<InputStream> reading = client.send(HttpRequest.newBuilder(URI.create(r.headers().firstValue("location").orElseThrow())).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, reading.statusCode());
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (InputStream in = reading.body()) {
            got.write(in.readNBytes(1000));
            for (int i = 0; i < 15; i++) download(redirectTo(i * 10)); // past the cap while the download is open
            in.transferTo(got);
        }
        assertArrayEquals(inline(600), got.toByteArray());
    }
}
