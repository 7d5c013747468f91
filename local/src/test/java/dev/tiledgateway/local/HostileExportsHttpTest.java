package dev.tiledgateway.local;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exports far larger than the array they come from: the response limit counts the bytes of the requested format,
 * an export that would pass it is refused before anything is read, and large exports leave the server answering.
 */
class HostileExportsHttpTest {

    private static final String BIG = "/api/v1/array/full/nested/images/big_image";

    private final Http http = DemoServer.http();

    private static long results() throws Exception { return DemoServer.get().results().list("_results/").size(); }

    @Test
    void aJsonExportOverTheLimitIsRefusedBeforeAnyDataIsRead() throws Exception {
        long before = results();
        // 3750 x 10000 float64: 300,000,000 raw bytes (within the limit), about 750 MB as JSON.
        for (String format : List.of("application/json", "csv", "text/plain")) {
            HttpResponse<byte[]> r = http.get(BIG + "?slice=6250:10000&format=" + format);
            assertEquals(400, r.statusCode(), format);
            String detail = Http.detailOf(r).asText();
            assertTrue(detail.contains("300,000,000") && detail.contains("about 7"), detail);
            assertTrue(detail.contains("smaller slice"), detail);
        }
        assertEquals(before, results(), "nothing was stored");
        if (!DemoServer.aws()) {
            // big_image makes its chunks on first read: none of those rows was read.
            for (String chunk : List.of("1.0", "1.1", "1.2", "2.0", "2.1", "2.2"))
                assertFalse(DemoServer.get().results().size("demo/nested/images/big_image/" + chunk).isPresent(), "chunk " + chunk + " was read");
        }
    }

    @Test
    void theSameSelectionAsRawBytesIsStillServed() throws Exception {
        // What the Tiled client asks for: the raw bytes, limited on their own size as before.
        HttpResponse<byte[]> r = http.get(BIG + "?slice=0:1250&expected_shape=1250,10000", "Accept", "application/octet-stream");
        assertEquals(307, r.statusCode());
        HttpResponse<byte[]> tooMany = http.get(BIG + "?slice=0:3751", "Accept", "application/octet-stream");
        assertEquals(400, tooMany.statusCode());
    }

    @Test
    void otherRequestsAreAnsweredWhileLargeExportsRun() throws Exception {
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            // Two JSON exports of 2,000,000 elements each (about 40 MB of JSON each), at once.
            List<Future<HttpResponse<byte[]>>> exports = new ArrayList<>();
            for (String rows : List.of("100:300", "300:500"))
                exports.add(pool.submit(() -> http.follow(BIG + "?slice=" + rows + "&format=json")));
            int answered = 0;
            while (exports.stream().anyMatch(f -> !f.isDone())) {
                assertEquals(200, http.get("/api/v1/metadata/nested/images/big_image").statusCode());
                assertEquals(200, http.get("/api/v1/array/full/nested/images/small_image?slice=0:10", "Accept", "application/octet-stream").statusCode());
                answered++;
            }
            assertTrue(answered > 0);
            byte[] firstRow = http.data(BIG + "?slice=100,0:3&expected_shape=3");
            ByteBuffer raw = ByteBuffer.wrap(firstRow).order(ByteOrder.LITTLE_ENDIAN);
            for (Future<HttpResponse<byte[]>> f : exports) {
                HttpResponse<byte[]> r = f.get();
                assertEquals(200, r.statusCode(), new String(r.body(), 0, Math.min(200, r.body().length)));
                assertTrue(r.body().length > 30_000_000, "length " + r.body().length);
                try (JsonParser p = Json.mapper().createParser(r.body())) {
                    assertEquals(JsonToken.START_ARRAY, p.nextToken());
                    assertEquals(JsonToken.START_ARRAY, p.nextToken());
                    assertEquals(JsonToken.VALUE_NUMBER_FLOAT, p.nextToken());
                    if (f == exports.get(0)) assertEquals(raw.getDouble(0), p.getDoubleValue());
                }
                assertEquals(']', (char) r.body()[r.body().length - 1]);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
