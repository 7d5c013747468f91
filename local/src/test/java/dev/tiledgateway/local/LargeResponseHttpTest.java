package dev.tiledgateway.local;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The payload ceiling: a body above the inline limit is materialised once in the object store and the client is
 * redirected to a presigned URL of it (the demo server in tests uses a 200 kB ceiling, so small arrays exercise it).
 */
class LargeResponseHttpTest {

    private final Http http = DemoServer.http();

    private static long results() throws Exception {
        return DemoServer.get().results().list("_results/").size();
    }

    @Test
    void oversizedReadsRedirectToTheSameBytes() throws Exception {
        String url = "/api/v1/array/full/nested/cubes/tiny_cube?expected_shape=50,50,50";
        HttpResponse<byte[]> r = http.get(url, "Accept", "application/octet-stream");
        assertEquals(307, r.statusCode());
        String location = r.headers().firstValue("location").orElseThrow();
        if (!DemoServer.aws()) assertTrue(location.startsWith(http.origin() + "/_blob/_results/"), location);
        else assertTrue(location.contains("/_results/") && location.contains("X-Amz-Signature="), location);
        byte[] redirected = http.get(location).body();
        assertEquals(1_000_000, redirected.length);

        ByteArrayOutputStream pieces = new ByteArrayOutputStream();
        for (int i = 0; i < 50; i += 10) {
            HttpResponse<byte[]> inline = http.get("/api/v1/array/full/nested/cubes/tiny_cube?slice=" + i + ":" + (i + 10) + "&expected_shape=10,50,50");
            assertEquals(200, inline.statusCode(), "exactly at the ceiling stays inline");
            pieces.write(inline.body());
        }
        assertArrayEquals(pieces.toByteArray(), redirected);
    }

    @Test
    void aResultIsMaterialisedOnceAndReused() throws Exception {
        String url = "/api/v1/array/full/nested/images/small_image?slice=0:200&expected_shape=200,300";
        http.data(url);
        long after = results();
        HttpResponse<byte[]> again = http.get(url);
        assertEquals(307, again.statusCode());
        assertEquals(after, results());
        String path = again.headers().firstValue("location").orElseThrow();
        assertEquals(480_000, http.get(path).body().length);
    }

    @Test
    void exportsOfUnknownSizeAreAlsoMaterialisedOnce() throws Exception {
        String url = "/api/v1/table/full/tables/long_table?format=csv&column=A";
        HttpResponse<byte[]> first = http.get(url);
        assertEquals(307, first.statusCode());
        String location = first.headers().firstValue("location").orElseThrow();
        String key = location.substring(location.indexOf("_results/"), location.indexOf('?'));
        byte[] stored = DemoServer.get().results().get(key).orElseThrow();
        DemoServer.get().results().put(key, "marker".getBytes());
        HttpResponse<byte[]> again = http.get(url);
        assertEquals(307, again.statusCode());
        assertEquals("marker", new String(DemoServer.get().results().get(key).orElseThrow()), "the second request did not recompute it");
        DemoServer.get().results().put(key, stored);
        byte[] csv = http.get(again.headers().firstValue("location").orElseThrow()).body();
        assertTrue(new String(csv, 0, 2, java.nio.charset.StandardCharsets.UTF_8).equals("A\n"));
    }

    @Test
    void forgedOrExpiredSignaturesAreRefused() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(DemoServer.aws(), "moto does not check S3 signatures; s3proxy's refusal is tested in the aws module");
        String location = http.get("/api/v1/array/full/nested/cubes/tiny_cube").headers().firstValue("location").orElseThrow();
        String forged = location.replaceAll("signature=[0-9a-f]{4}", "signature=0000");
        assertEquals(403, http.get(forged).statusCode());
        String expired = location.replaceAll("expires=\\d+", "expires=1000");
        assertEquals(403, http.get(expired).statusCode());
        assertEquals(403, http.get("/_blob/demo/flat_array/.zarray").statusCode());
    }

    @Test
    void theBigImageReadsInTheClientsHundredMegabytePieces() throws Exception {
        // The first of the ten row bands the Tiled client requests for big_image (spec §13).
        byte[] band = http.data("/api/v1/array/full/nested/images/big_image?slice=:1250:1,:10000:1&expected_shape=1250,10000");
        assertEquals(100_000_000, band.length);
        byte[] corner = http.data("/api/v1/array/full/nested/images/big_image?slice=1240:1250,9990:10000&expected_shape=10,10");
        java.nio.ByteBuffer a = java.nio.ByteBuffer.wrap(band), b = java.nio.ByteBuffer.wrap(corner);
        for (int i = 0; i < 10; i++) for (int j = 0; j < 10; j++)
            assertEquals(a.getLong(((1240 + i) * 10000 + 9990 + j) * 8), b.getLong((i * 10 + j) * 8));
    }

    @Test
    void aDownloadOfSeveralBuffersIsTheStoredObjectByteForByte() throws Exception {
        // 5,000,000 bytes across two chunks: many of the server's download buffers, and a part of the last.
        String url = "/api/v1/array/full/nested/images/big_image?slice=0:100,0:6250&expected_shape=100,6250";
        HttpResponse<byte[]> r = http.get(url, "Accept", "application/octet-stream");
        assertEquals(307, r.statusCode());
        String location = r.headers().firstValue("location").orElseThrow();
        String key = location.substring(location.indexOf("_results/"), location.indexOf('?'));
        byte[] stored = DemoServer.get().results().get(key).orElseThrow();
        assertEquals(5_000_000, stored.length);
        HttpResponse<byte[]> download = http.get(location);
        assertEquals(200, download.statusCode());
        assertArrayEquals(stored, download.body());
        byte[] corner = http.data("/api/v1/array/full/nested/images/big_image?slice=99:100,6240:6250&expected_shape=1,10");
        assertArrayEquals(corner, java.util.Arrays.copyOfRange(download.body(), 5_000_000 - 80, 5_000_000));
    }

    @Test
    void downloadsUseTheSameDirectBuffersAgain() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(DemoServer.aws(), "on moto the download is S3's, not this server's");
        // 800,000 bytes: more than two download buffers, so both of a download's buffers go to the socket.
        HttpResponse<byte[]> r = http.get("/api/v1/array/full/nested/images/big_image?slice=0:100,0:1000&expected_shape=100,1000",
                "Accept", "application/octet-stream");
        assertEquals(307, r.statusCode());
        String location = r.headers().firstValue("location").orElseThrow();
        byte[] first = http.get(location).body();
        assertEquals(800_000, first.length);
        assertTrue(first.length > 2 * LocalServer.DOWNLOAD_BUFFER);
        int downloads = 4 * LocalServer.DIRECT_DOWNLOADS;
        for (int i = 0; i < downloads; i++) assertArrayEquals(first, http.get(location).body());
        // Buffers taken afresh for every download would be two per download; kept ones, two per slot at most, ever
        // (other tests' downloads at the same time included).
        assertTrue(LocalServer.directBuffersMade() <= 2 * LocalServer.DIRECT_DOWNLOADS,
                LocalServer.directBuffersMade() + " direct buffers made for " + downloads + " downloads and those of other tests");
    }
}
