package dev.tiledgateway.local;

import dev.tiledgateway.testkit.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * S3 and DynamoDB fail separately (two emulators) while data is read through the public demo: a frozen or refused S3
 * during {@code /array/full} and {@code /table/partition}, a refused DynamoDB during a listing. Each is a 503 with
 * Retry-After within API Gateway's 30 s, with a JSON detail and never part of an answer; after a freeze, the same
 * reads give the same bytes as before it. (The kills come last: a killed emulator stays dead for this class.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StorageFaultsHttpTest {

    private static MotoServer s3;
    private static MotoServer dynamo;
    private static Main.Running running;
    private static Http http;

    private static final String ARRAY = "/api/v1/array/full/nested/images/medium_image?slice=0:40,0:50";
    private static final String TABLE = "/api/v1/table/partition/tables/long_table?partition=2&format=text/csv";

    @BeforeAll
    static void start() throws Exception {
        s3 = MotoServer.start();
        dynamo = MotoServer.start();
        running = Main.serveDemoOnAws("127.0.0.1", 0, s3.endpoint().toString(), dynamo.endpoint().toString(), "faults-demo", "faults-catalog", true,
                4_500_000);
        http = new Http(running).anonymous(); // public reads: no key to look up, so the faults hit the reads themselves
    }

    @AfterAll
    static void stop() {
        running.close();
        s3.close();
        dynamo.close();
    }

    /** A 503 with Retry-After, answered within API Gateway's 30 s, whose body is Tiled's error document. */
    private static void unavailable(String url, String what) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = http.get(url, "Accept", url.contains("format=") ? "*/*" : "application/octet-stream");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(503, r.statusCode(), what + ": " + new String(r.body()));
        assertTrue(r.headers().firstValue("Retry-After").isPresent(), what);
        assertTrue(seconds < 30, what + " answered in " + seconds + " s");
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""), what + ": an error document, not data");
        assertTrue(Http.detailOf(r).asText().contains("unavailable"), what);
    }

    @Test
    @Order(1)
    void aFrozenS3IsA503AndTheSameBytesAfterwards() throws Exception {
        assertEquals(200, http.get("/api/v1/metadata/nested/images/medium_image").statusCode()); // the node is known
        assertEquals(200, http.get("/api/v1/metadata/tables/long_table").statusCode());
        s3.freeze();
        try {
            unavailable(ARRAY, "array read, S3 frozen");
            unavailable(TABLE, "table partition, S3 frozen");
        } finally {
            s3.thaw();
        }
        byte[] array = http.data(ARRAY);
        assertEquals(40 * 50 * 8, array.length);
        assertArrayEquals(array, http.data(ARRAY), "the same bytes every time");
        HttpResponse<byte[]> table = http.get(TABLE);
        assertEquals(200, table.statusCode());
        assertTrue(new String(table.body()).lines().count() > 1);
    }

    @Test
    @Order(2)
    void aRefusedDynamoDbDuringAListingIsA503() throws Exception {
        assertEquals(200, http.get("/api/v1/search/nested?page[limit]=2").statusCode());
        dynamo.kill();
        unavailable("/api/v1/search/tables?page[limit]=2", "listing, DynamoDB refused");
    }

    @Test
    @Order(3)
    void aRefusedS3IsA503() throws Exception {
        s3.kill();
        unavailable("/api/v1/array/full/nested/images/tiny_image", "array read, S3 refused");
    }
}
