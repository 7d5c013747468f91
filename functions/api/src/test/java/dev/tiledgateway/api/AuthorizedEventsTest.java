package dev.tiledgateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.auth.Access;
import dev.tiledgateway.core.auth.AuthContext;
import dev.tiledgateway.core.auth.Authenticator;
import dev.tiledgateway.core.auth.Principal;
import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.auth.Verdict;
import dev.tiledgateway.core.backend.Backend;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.route.Gateway;
import dev.tiledgateway.core.route.GatewayConfig;
import dev.tiledgateway.embedded.EmbeddedBackendFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The API function on v2.0 events that carry what the authorizer concluded in {@code requestContext.authorizer.lambda}:
 * it answers refusals and missing scopes in Tiled's shape, and where no authorizer ran it grants only what an
 * anonymous request may do on this server.
 */
class AuthorizedEventsTest {

    @TempDir
    static Path dir;
    private static ApiHandler privateApi;
    private static ApiHandler publicApi;

    @BeforeAll
    static void start() {
        Backend b = EmbeddedBackendFactory.open(dir, null);
        privateApi = new ApiHandler(Gateway.router(b.catalog(), b.store(), GatewayConfig.defaults(), new Access(new Authenticator.Settings(Set.of(), null), b.apiKeys())));
        publicApi = new ApiHandler(Gateway.router(b.catalog(), b.store(), GatewayConfig.defaults(), new Access(new Authenticator.Settings(Scopes.PUBLIC, null), b.apiKeys())));
    }

    private static ObjectNode event(String name, Verdict verdict) throws IOException {
        try (InputStream s = AuthorizedEventsTest.class.getResourceAsStream("/events/http-api-v2/" + name + ".json")) {
            ObjectNode e = (ObjectNode) Json.parse(s.readAllBytes());
            if (verdict != null) ((ObjectNode) e.get("requestContext")).putObject("authorizer").set("lambda", AuthContext.encode(verdict));
            ObjectNode headers = (ObjectNode) e.get("headers");
            headers.remove("accept-encoding"); // plain bodies to read
            headers.put("accept", "application/json");
            return e;
        }
    }

    private static JsonNode invoke(ApiHandler h, ObjectNode event) throws IOException { return Json.parse(h.handle(Json.bytes(event))); }

    private static String detail(JsonNode response) throws IOException { return Json.parse(response.get("body").asText().getBytes()).path("detail").asText(); }

    @Test
    void anonymousOnAPrivateServerIsToldWhichScopeItLacks() throws IOException {
        JsonNode r = invoke(privateApi, event("metadata-root", new Verdict.Allowed(Principal.anonymous(Set.of()))));
        assertEquals(401, r.get("statusCode").asInt());
        assertEquals("Not enough permissions. Requires scopes ['read:metadata']. Request had scopes []", detail(r));
        assertEquals("Bearer scope=\"read:metadata\"", r.path("headers").path("WWW-Authenticate").asText());
        assertEquals("application/json", r.path("headers").path("Content-Type").asText(), "the client shows a detail only under exactly this type");
        assertEquals(401, invoke(privateApi, event("metadata-root", null)).get("statusCode").asInt(), "no authorizer ran: anonymous, which here holds nothing");
    }

    @Test
    void aRefusedCredentialIsA401EvenWhereReadsArePublic() throws IOException {
        JsonNode r = invoke(publicApi, event("metadata-root", new Verdict.Refused(401, "Invalid API key")));
        assertEquals(401, r.get("statusCode").asInt());
        assertEquals("Invalid API key", detail(r));
        assertEquals(400, invoke(publicApi, event("metadata-root", new Verdict.Refused(400, "bad header"))).get("statusCode").asInt());
        assertEquals(200, invoke(publicApi, event("metadata-root", null)).get("statusCode").asInt(), "anonymous public read");
    }

    @Test
    void theAboutDocumentNeedsNothingAndSaysWhetherAuthenticationIsRequired() throws IOException {
        JsonNode r = invoke(privateApi, event("about", new Verdict.Refused(401, "Invalid API key")));
        assertEquals(200, r.get("statusCode").asInt(), "the client reads it before it sends any key");
        JsonNode about = Json.parse(r.get("body").asText().getBytes());
        assertEquals(true, about.at("/authentication/required").asBoolean());
        assertEquals(0, about.at("/authentication/providers").size());
        assertEquals(r.path("headers").path("Content-Type").asText().startsWith("application/json"), true);
        assertFalse(about.at("/authentication/links/apikey").isMissingNode());
        JsonNode open = Json.parse(invoke(publicApi, event("about", null)).get("body").asText().getBytes());
        assertEquals(false, open.at("/authentication/required").asBoolean());
    }

    @Test
    void aPrincipalWithTheScopeReads() throws IOException {
        JsonNode r = invoke(privateApi, event("metadata-root", new Verdict.Allowed(new Principal("single-user", Set.of("read:metadata"), "abcdef01"))));
        assertEquals(200, r.get("statusCode").asInt());
        JsonNode data = invoke(privateApi, event("array-full-slice", new Verdict.Allowed(new Principal("single-user", Set.of("read:metadata"), "abcdef01"))));
        assertEquals(401, data.get("statusCode").asInt(), "read:metadata is not read:data");
        assertEquals("Bearer scope=\"read:data\"", data.path("headers").path("WWW-Authenticate").asText());
    }
}
