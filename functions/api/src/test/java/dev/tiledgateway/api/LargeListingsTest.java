package dev.tiledgateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.backend.Backend;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.route.Gateway;
import dev.tiledgateway.core.route.GatewayConfig;
import dev.tiledgateway.embedded.EmbeddedBackendFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nodes with large metadata (each within the bound) make search pages shorter, never make them fail: the
 * Lambda response stays under its envelope limit and links.next picks up where a page stopped.
 */
class LargeListingsTest {

    @TempDir
    Path dir;

    private static byte[] event(String rawPath, String rawQuery) { return GetEvents.get(rawPath, rawQuery, "application/json"); }

    @Test
    void pagesOfNodesWithLargeMetadataShrinkAndNextCarriesOn() throws IOException {
        Backend b = EmbeddedBackendFactory.open(dir, null);
        NodePath big = NodePath.of("big");
        b.catalog().put(Node.container(big, Json.object(), List.of()));
        String text = "y".repeat(300 * 1024);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String key = String.format("n%02d", i);
            keys.add(key);
            b.catalog().put(Node.container(big.child(key), Json.object().put("notes", text).put("i", i), List.of()));
        }
        ApiHandler handler = new ApiHandler(Gateway.router(b.catalog(), b.store(), GatewayConfig.defaults(),
                new dev.tiledgateway.core.auth.Access(new dev.tiledgateway.core.auth.Authenticator.Settings(dev.tiledgateway.core.auth.Scopes.PUBLIC, null), b.apiKeys())));

        List<String> seen = new ArrayList<>();
        String path = "/api/v1/search/big", query = "";
        int pages = 0;
        while (path != null) {
            byte[] out = handler.handle(event(path, query));
            assertTrue(out.length <= HttpApiEvents.MAX_RESPONSE_ENVELOPE, "envelope of " + out.length + " bytes");
            JsonNode r = Json.parse(out);
            assertEquals(200, r.get("statusCode").asInt(), r.get("body").asText());
            JsonNode doc = Json.parse(r.get("body").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(20, doc.at("/meta/count").asInt());
            for (JsonNode d : doc.get("data")) seen.add(d.get("id").asText());
            JsonNode next = doc.at("/links/next");
            if (next.isNull()) path = null;
            else {
                URI u = URI.create(next.asText());
                path = u.getRawPath();
                query = u.getRawQuery();
            }
            pages++;
        }
        assertEquals(keys, seen);
        assertTrue(pages > 1, "the 6 MB of metadata did not fit one page: " + pages);
    }
}
