package dev.tiledgateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.embedded.EmbeddedBackendFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

/**
 * The SnapStart hooks of Lambda's handler, on the embedded backend built from the environment as Lambda builds
 * the AWS one: priming answers real requests through the request path and leaves nothing behind that a later
 * answer shows; a restore builds the router again from the environment.
 */
class SnapStartPrimingTest {

    @TempDir
    Path dir;

    private ApiHandler handler() {
        return ApiHandler.fromEnvironment(Map.of(EmbeddedBackendFactory.DATA_DIR, dir.toString(), "TILED_GATEWAY_PUBLIC", "true"));
    }

    @Test
    void primingAnswersRealRequestsAndCountsNone() {
        ApiHandler h = handler();
        String before = h.router().metrics().prometheus();
        // about, the root's metadata, a search page, an absent node (the catalog's 404), a bad page[limit], a malformed event
        assertEquals(List.of(200, 200, 200, 404, 400, 400), h.prime());
        assertEquals(before, h.router().metrics().prometheus(), "priming requests must not show in the metrics");
    }

    @Test
    void primingReadsTheCatalogOfAPrivateDeploymentToo() throws IOException {
        ApiHandler h = ApiHandler.fromEnvironment(Map.of(EmbeddedBackendFactory.DATA_DIR, dir.toString()));
        // as a reader: anonymous requests would be 401s that never reach the catalog
        assertEquals(List.of(200, 200, 200, 404, 400, 400), h.prime());
        assertEquals(401, Json.parse(h.handle(GetEvents.get("/api/v1/metadata/", "", "application/json"))).path("statusCode").asInt(),
                "an anonymous request after priming is refused as before");
    }

    @Test
    void answersAfterPrimingAreAFreshHandlersAnswers() throws IOException {
        ApiHandler primed = handler();
        primed.prime();
        ApiHandler fresh = handler();
        for (String[] p : ApiHandler.PRIMING) {
            byte[] event = GetEvents.get(p[0], p[1], "application/json");
            assertEquals(comparable(fresh.handle(event)), comparable(primed.handle(event)), p[0] + "?" + p[1]);
        }
        assertEquals(counts(fresh), counts(primed), "both counted the same requests");
    }

    @Test
    void restoreBuildsTheRouterAgainFromTheEnvironment() throws IOException {
        ApiHandler h = handler();
        h.prime();
        byte[] event = GetEvents.get("/api/v1/metadata/", "", "application/json");
        JsonNode before = comparable(h.handle(event));
        var router = h.router();
        h.afterRestore(null);
        assertNotSame(router, h.router());
        assertEquals(before, comparable(h.handle(event)));
    }

    /** The metrics' request and error counters (their durations differ between any two runs). */
    private static List<String> counts(ApiHandler h) {
        return h.router().metrics().prometheus().lines()
                .filter(l -> l.startsWith("tiled_gateway_requests_total") || l.startsWith("tiled_gateway_errors_total")).toList();
    }

    /**
     * A response event without what differs between any two answers: timings, request ids, the Expires date
     * and a new CSRF cookie's random value.
     */
    private static JsonNode comparable(byte[] responseEvent) throws IOException {
        ObjectNode e = (ObjectNode) Json.parse(responseEvent);
        ObjectNode headers = (ObjectNode) e.get("headers");
        List<String> names = new java.util.ArrayList<>();
        headers.fieldNames().forEachRemaining(names::add);
        for (String n : names)
            if (List.of("server-timing", "x-tiled-request-id", "expires").contains(n.toLowerCase(java.util.Locale.ROOT))) headers.remove(n);
        e.remove("cookies");
        return e;
    }
}
