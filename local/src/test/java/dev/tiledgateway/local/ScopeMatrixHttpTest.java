package dev.tiledgateway.local;

import dev.tiledgateway.api.ApiHandler;
import dev.tiledgateway.authorizer.AuthorizerHandler;
import dev.tiledgateway.core.auth.Access;
import dev.tiledgateway.core.auth.ApiKeySecrets;
import dev.tiledgateway.core.auth.ApiKeyStore;
import dev.tiledgateway.core.auth.Authenticator;
import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.backend.Backend;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.route.Gateway;
import dev.tiledgateway.core.route.GatewayConfig;
import dev.tiledgateway.core.route.Router;
import dev.tiledgateway.embedded.EmbeddedBackendFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every route the router registers, over real HTTP through the in-process authorizer, on a private server: without
 * a credential, with a key that holds every single-user scope but the route's, and with a key holding exactly the
 * route's scopes. The matrix comes from the router's own table, so a route added later is covered as it is registered.
 */
class ScopeMatrixHttpTest {

    @TempDir
    static Path dir;
    private static LocalServer server;
    private static Http http;
    private static Router router;
    private static ApiKeyStore keys;

    @BeforeAll
    static void start() throws Exception {
        Backend b = EmbeddedBackendFactory.open(dir, null);
        keys = b.apiKeys();
        Authenticator.Settings settings = new Authenticator.Settings(Set.of(), ApiKeySecrets.hash(ApiKeySecrets.generate()));
        router = Gateway.router(b.catalog(), b.store(), GatewayConfig.defaults(), new Access(settings, keys));
        server = new LocalServer("127.0.0.1", 0, new ApiHandler(router), new AuthorizerHandler(new Authenticator(settings, keys, Clock.systemUTC())),
                null, new BlobUrls(), new ResultLeases(Clock.systemUTC()), Set.of());
        server.start();
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() { server.close(); }

    /** A stored key of the single user with these scopes. */
    private static String key(Set<String> scopes) {
        String secret = ApiKeySecrets.generate();
        assertTrue(keys.create(new ApiKeyStore.ApiKey(ApiKeySecrets.hash(secret), ApiKeySecrets.firstEight(secret), Authenticator.SINGLE_USER,
                List.copyOf(scopes), null, null, Instant.now(), List.of())));
        return secret;
    }

    private static HttpResponse<byte[]> call(Router.Route route, String key) throws Exception {
        String url = "/api/v1/" + route.action() + (route.action().isEmpty() ? "" : "/");
        List<String> headers = new ArrayList<>(List.of("Accept", "application/json"));
        if (key != null) headers.addAll(List.of("Authorization", "Apikey " + key));
        byte[] body = null;
        if (route.method().equals("POST") || route.method().equals("PUT") || route.method().equals("PATCH")) {
            body = "{}".getBytes(StandardCharsets.UTF_8);
            headers.addAll(List.of("Content-Type", "application/json"));
        }
        return http.send(route.method(), url, body, headers.toArray(String[]::new));
    }

    /** The {@code detail} of a JSON answer; "" for others (a route's own answer may be of another type: the metrics are text). */
    private static String detail(HttpResponse<byte[]> r) throws Exception {
        boolean json = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
        return r.body().length == 0 || !json ? "" : Json.parse(r.body()).path("detail").asText();
    }

    @Test
    void everyRouteAnswersByTheScopesItDeclares() throws Exception {
        List<Router.Route> routes = router.routes();
        assertTrue(routes.size() >= 20, "the router's table: " + routes.size());
        List<String> failures = new ArrayList<>();
        for (Router.Route route : routes) {
            String name = route.method() + " /" + route.action();
            HttpResponse<byte[]> anonymous = call(route, null);
            if (route.scopes().isEmpty()) {
                if (anonymous.statusCode() == 403) failures.add(name + ": a route anyone may call refused an anonymous request");
                continue;
            }
            if (anonymous.statusCode() != 401 || !detail(anonymous).startsWith("Not enough permissions"))
                failures.add(name + " without a key: " + anonymous.statusCode() + " " + detail(anonymous));
            else if (!anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer scope="))
                failures.add(name + " without a key: no WWW-Authenticate naming the scopes");

            Set<String> allBut = new HashSet<>(Scopes.SINGLE_USER);
            allBut.removeAll(route.scopes());
            HttpResponse<byte[]> lacking = call(route, key(allBut));
            if (lacking.statusCode() != 401 || !detail(lacking).contains("Requires scopes " + Scopes.repr(route.scopes())))
                failures.add(name + " with every scope but its own: " + lacking.statusCode() + " " + detail(lacking));

            // Past the scope check the route decides (404 for no such node, 422 for the empty body, 403 for a key
            // asked to mint a broader one); only the scope check itself must not refuse.
            HttpResponse<byte[]> holding = call(route, key(route.scopes()));
            if (holding.statusCode() == 401 || detail(holding).startsWith("Not enough permissions"))
                failures.add(name + " with exactly its scopes: " + holding.statusCode() + " " + detail(holding));
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void theAboutDocumentIsOpenAndSaysAKeyIsRequired() throws Exception {
        HttpResponse<byte[]> about = http.get("/api/v1/", "Accept", "application/json");
        assertEquals(200, about.statusCode());
        assertTrue(Json.parse(about.body()).at("/authentication/required").asBoolean());
        HttpResponse<byte[]> bad = http.get("/api/v1/metadata/", "Authorization", "Apikey " + ApiKeySecrets.generate());
        assertEquals(401, bad.statusCode());
        assertEquals("Invalid API key", detail(bad));
        assertFalse(new String(bad.body(), StandardCharsets.UTF_8).contains("Apikey"), "the key is never echoed");
    }
}
