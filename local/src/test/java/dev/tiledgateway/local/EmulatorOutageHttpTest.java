package dev.tiledgateway.local;

import dev.tiledgateway.testkit.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The storage behind the gateway fails mid-service: a hung or dead DynamoDB/S3 gives a prompt 503 with
 * Retry-After (the client retries those), never a hang and never a wrong answer; service resumes after.
 */
@Tag("emulator")
class EmulatorOutageHttpTest {

    private static MotoServer moto;
    private static Main.Running running;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        String endpoint = moto.endpoint().toString();
        running = Main.serveDemoOnAws("127.0.0.1", 0, endpoint, endpoint, "outage-demo", "outage-catalog", true, 4_500_000);
        http = new Http(running);
    }

    @AfterAll
    static void stop() {
        running.close(); // the server, and what writes to the bucket (the dynamic array, the queue feeder)
        moto.close();
    }

    @Test
    void aHungEmulatorGivesAPrompt503ThenServiceResumes() throws Exception {
        assertEquals(200, http.get("/api/v1/metadata/nested/images").statusCode());
        moto.freeze();
        try {
            long t0 = System.nanoTime();
            HttpResponse<byte[]> r = http.get("/api/v1/metadata/nested/cubes");
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(503, r.statusCode(), new String(r.body()));
            assertTrue(r.headers().firstValue("retry-after").isPresent());
            assertTrue(seconds < 30, "answered in " + seconds + " s");
            assertTrue(Http.detailOf(r).asText().contains("unavailable"));
        } finally {
            moto.thaw();
        }
        assertEquals(200, http.get("/api/v1/metadata/nested/cubes").statusCode());
    }
}
