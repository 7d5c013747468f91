package dev.tiledgateway.local;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tiled's cross-cutting conventions (spec §2.6, §2.7, §2.4): request ids, CSRF cookie, ETags, compression. */
class ConventionsHttpTest {

    private final Http http = DemoServer.http();

    @Test
    void everyResponseHasARequestId() throws Exception {
        for (String url : new String[] {"/api/v1/", "/api/v1/metadata/nope", "/api/v1/array/full/flat_array?slice=x"}) {
            String id = http.get(url).headers().firstValue("x-tiled-request-id").orElseThrow();
            assertTrue(id.matches("[0-9a-f]{16}"), id);
        }
    }

    @Test
    void csrfCookieIsSetOnlyWhenMissing() throws Exception {
        String cookie = http.get("/api/v1/").headers().firstValue("set-cookie").orElseThrow();
        assertTrue(cookie.startsWith("tiled_csrf="), cookie);
        assertTrue(cookie.contains("HttpOnly"));
        assertTrue(http.get("/api/v1/", "Cookie", "tiled_csrf=abc").headers().firstValue("set-cookie").isEmpty());
    }

    @Test
    void etagsAnswerIfNoneMatchWith304() throws Exception {
        for (String url : new String[] {"/api/v1/metadata/nested", "/api/v1/array/full/flat_array", "/api/v1/search/nested"}) {
            HttpResponse<byte[]> first = http.get(url);
            String etag = first.headers().firstValue("etag").orElseThrow();
            HttpResponse<byte[]> again = http.get(url, "If-None-Match", etag);
            assertEquals(304, again.statusCode(), url);
            assertEquals(0, again.body().length);
            assertEquals(200, http.get(url, "If-None-Match", "\"other\"").statusCode());
        }
    }

    @Test
    void largeBodiesAreGzippedWhenAccepted() throws Exception {
        String url = "/api/v1/array/full/low_entropy?expected_shape=100,100";
        HttpResponse<byte[]> plain = http.get(url);
        HttpResponse<byte[]> zipped = http.get(url, "Accept-Encoding", "gzip, deflate");
        assertEquals("gzip", zipped.headers().firstValue("content-encoding").orElseThrow());
        assertTrue(zipped.body().length < plain.body().length / 10);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            assertArrayEquals(plain.body(), in.readAllBytes());
        }
        HttpResponse<byte[]> zstd = http.get(url, "Accept-Encoding", "gzip, deflate, zstd");
        assertEquals("zstd", zstd.headers().firstValue("content-encoding").orElseThrow(), "zstd is preferred, as in Tiled");
        assertArrayEquals(plain.body(), com.github.luben.zstd.Zstd.decompress(zstd.body(), plain.body().length));
        HttpResponse<byte[]> random = http.get("/api/v1/array/full/nested/images/tiny_image", "Accept-Encoding", "gzip");
        assertTrue(random.headers().firstValue("content-encoding").isEmpty(), "random doubles do not compress by 10%");
    }

    @Test
    void metadataIsMsgpackWhenTheClientAsksForIt() throws Exception {
        HttpResponse<byte[]> r = http.get("/api/v1/metadata/nested", "Accept", "application/x-msgpack");
        assertEquals("application/x-msgpack", r.headers().firstValue("content-type").orElseThrow());
        assertEquals(0x84, r.body()[0] & 0xff, "a four-key map: data, error, links, meta");
        assertEquals("application/json", http.get("/api/v1/metadata/nested", "Accept", "*/*").headers().firstValue("content-type").orElseThrow());
        HttpResponse<byte[]> err = http.get("/api/v1/metadata/nope", "Accept", "application/x-msgpack");
        assertEquals("application/json", err.headers().firstValue("content-type").orElseThrow(), "errors stay JSON for the client's handler");
    }

    @Test
    void metadataEncodingFollowsAcceptWeights() throws Exception {
        String url = "/api/v1/metadata/nested";
        assertEquals("application/json", http.get(url, "Accept", "application/x-msgpack;q=0.1, application/json")
                .headers().firstValue("content-type").orElseThrow());
        assertEquals("application/x-msgpack", http.get(url, "Accept", "application/json;q=0.1, application/x-msgpack")
                .headers().firstValue("content-type").orElseThrow());
        assertEquals("application/json", http.get(url, "Accept", "application/*, application/x-msgpack;q=0.5")
                .headers().firstValue("content-type").orElseThrow());
    }

    @Test
    void aCodingWeighedZeroIsNotUsed() throws Exception {
        String url = "/api/v1/array/full/low_entropy?expected_shape=100,100";
        assertEquals("gzip", http.get(url, "Accept-Encoding", "zstd;q=0, gzip").headers().firstValue("content-encoding").orElseThrow());
        assertTrue(http.get(url, "Accept-Encoding", "gzip;q=0").headers().firstValue("content-encoding").isEmpty());
    }

    /** {@code *}{@code /*} (as curl and browsers send it) gets every data route's default, never a 406. */
    @Test
    void anyTypeGetsEachDataRoutesDefault() throws Exception {
        String[][] cases = {
                {"/api/v1/array/full/flat_array", "application/octet-stream"},
                {"/api/v1/array/block/nested/images/medium_image?block=0,0", "application/octet-stream"},
                {"/api/v1/array/full/nested/sparse_image", "application/vnd.apache.arrow.file"},
                {"/api/v1/table/partition/tables/short_table?partition=0", "application/vnd.apache.arrow.file"},
                {"/api/v1/table/full/tables/short_table", "application/vnd.apache.arrow.file"},
                {"/api/v1/awkward/full/nested/awkward_array", "application/zip"},
                {"/api/v1/ragged/full/nested/ragged_array", "application/json"},
                {"/api/v1/container/full/nested", "application/json"},
        };
        for (String[] c : cases) {
            HttpResponse<byte[]> r = http.follow(c[0], "Accept", "*/*");
            assertEquals(200, r.statusCode(), c[0] + ": " + new String(r.body()));
            if (r.headers().firstValue("content-type").isPresent() && !r.uri().getPath().startsWith("/_blob"))
                assertEquals(c[1], r.headers().firstValue("content-type").orElseThrow(), c[0]);
        }
    }

    @Test
    void headAnswersWithoutABody() throws Exception {
        HttpResponse<byte[]> r = http.send("HEAD", "/api/v1/metadata/nested", null);
        assertEquals(200, r.statusCode());
        assertEquals(0, r.body().length);
    }
}
