package dev.tiledgateway.local;

import com.fasterxml.jackson.core.JsonParser;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.embedded.store.FileBlobStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The bounds of a server under exports it cannot afford, on a server with a 5 MB response limit and one large result
 * produced at a time ({@link DemoServer#bounded()}): what would pass the limit stops there, and what finds no turn is
 * told to come back.
 */
class ExportBoundsHttpTest {

    private final Http http = DemoServer.boundedHttp();

    @BeforeAll
    static void embeddedOnly() {
        assumeFalse(DemoServer.aws(), "the bounds are the gateway's own, whatever its store: tested once, on the embedded server");
    }

    private static List<String> stored() throws Exception { return DemoServer.bounded().results().list("_results/"); }

    private static List<Path> temporaryFiles() throws Exception {
        Path folder = ((FileBlobStore) DemoServer.bounded().results()).root().resolve("_results");
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().startsWith(".tmp-")).toList();
        }
    }

    @Test
    void anExportOfUnknownSizeIsStoppedAtTheLimitAndNothingIsStored() throws Exception {
        List<String> before = stored();
        // About 5.7 MB of CSV: its size is only known once it is written.
        HttpResponse<byte[]> r = http.get("/api/v1/table/full/tables/long_table?format=csv");
        assertEquals(400, r.statusCode(), new String(r.body()));
        String detail = Http.detailOf(r).asText();
        assertTrue(detail.contains("would exceed " + DemoServer.BOUNDED_RESPONSE + " bytes"), detail);
        assertEquals(before, stored());
        assertEquals(List.of(), temporaryFiles(), "the abandoned result left a temporary file");
        assertEquals(307, http.get("/api/v1/table/full/tables/long_table?format=csv&column=A").statusCode(), "a smaller export still works");
    }

    @Test
    void anArrayExportOverTheLimitIsRefusedWithItsEstimate() throws Exception {
        // 300 x 1000 float64 is 2.4 MB of raw bytes but about 6 MB of JSON.
        HttpResponse<byte[]> r = http.get("/api/v1/array/full/nested/images/medium_image?slice=0:300&format=json");
        assertEquals(400, r.statusCode());
        assertTrue(Http.detailOf(r).asText().contains("about 6,"), Http.detailOf(r).asText());
        assertEquals(307, http.get("/api/v1/array/full/nested/images/medium_image?slice=0:300", "Accept", "application/octet-stream").statusCode());
    }

    @Test
    void largeResultsAreProducedOneAtATimeAndTheOthersAreToldToComeBack() throws Exception {
        // Four JSON exports of 240,000 float64 each (about 4.7 MB of JSON each), sent at the same moment.
        List<String> urls = new ArrayList<>();
        for (int r = 0; r < 960; r += 240) urls.add("/api/v1/array/full/nested/images/medium_image?slice=" + r + ":" + (r + 240) + "&format=json");
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
        int answeredMeanwhile = 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String url : urls) answers.add(pool.submit(() -> {
                go.await();
                return http.get(url);
            }));
            go.countDown();
            while (answers.stream().anyMatch(f -> !f.isDone())) {
                assertEquals(200, http.get("/api/v1/metadata/nested/images/medium_image").statusCode());
                answeredMeanwhile++;
            }
        }
        assertTrue(answeredMeanwhile > 0);
        int redirected = 0, busy = 0;
        for (int i = 0; i < urls.size(); i++) {
            HttpResponse<byte[]> r = answers.get(i).get();
            if (r.statusCode() == 307) redirected++;
            if (r.statusCode() == 503) {
                busy++;
                assertTrue(Integer.parseInt(r.headers().firstValue("retry-after").orElseThrow()) >= 1);
                assertTrue(Http.detailOf(r).asText().contains("try again"), Http.detailOf(r).asText());
                r = http.get(urls.get(i)); // the client's retry, once the others are done
            }
            assertEquals(307, r.statusCode(), new String(r.body()));
            byte[] json = http.get(r.headers().firstValue("location").orElseThrow()).body();
            assertTrue(json.length > 4_000_000, "length " + json.length);
            double first;
            try (JsonParser p = Json.mapper().createParser(json)) {
                p.nextToken();
                p.nextToken();
                p.nextToken();
                first = p.getDoubleValue();
            }
            byte[] raw = http.data("/api/v1/array/full/nested/images/medium_image?slice=" + (i * 240) + ",0&expected_shape=scalar");
            assertEquals(ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getDouble(0), first);
        }
        assertTrue(busy >= 1, "all four large results were produced at once");
        assertTrue(redirected >= 1);
    }
}
