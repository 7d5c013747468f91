package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.auth.ApiKeySecrets;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A private served folder as the Tiled client meets it: the key in the header, the query and the cookie; 401 without
 * one (and an about document that says a key is required); API keys created with narrower scopes, an expiry and a
 * note, used, listed, revoked and refused afterwards; CORS for a configured origin on every status.
 */
class ApiKeysHttpTest {

    @TempDir
    static Path tmp;
    private static final String KEY = "test_key_" + ApiKeySecrets.generate().substring(0, 24);
    private static final String ORIGIN = "https://viewer.example.org";
    private static Main.Running running;
    private static Http withKey;
    private static Http anonymous;

    @BeforeAll
    static void start() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("t.csv"), "x,y\n1,2\n3,4\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.Result r = Main.execute(new String[] {"serve", "directory", data.toString(), "--port", "0", "--api-key", KEY, "--allow-origin", ORIGIN},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString()));
        running = r.running();
        assertNotNull(running, err.toString(StandardCharsets.UTF_8));
        assertFalse(running.banner().contains(KEY), "a key the operator gave is never printed");
        withKey = new Http(running);
        anonymous = withKey.anonymous();
    }

    @AfterAll
    static void stop() { running.close(); }

    private static String detail(HttpResponse<byte[]> r) throws Exception { return Json.parse(r.body()).path("detail").asText(); }

    private static final String[] JSON = {"Content-Type", "application/json"};

    private static JsonNode createKey(Http http, String body) throws Exception {
        HttpResponse<byte[]> r = http.send("POST", "/api/v1/auth/apikey", body.getBytes(StandardCharsets.UTF_8), JSON);
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        return Json.parse(r.body());
    }

    @Test
    void withoutAKeyTheServerSaysOneIsRequired() throws Exception {
        JsonNode about = anonymous.json("/api/v1/");
        assertTrue(about.at("/authentication/required").asBoolean());
        assertEquals(withKey.origin() + "/api/v1/auth/apikey", about.at("/authentication/links/apikey").asText());
        HttpResponse<byte[]> r = anonymous.get("/api/v1/metadata/t");
        assertEquals(401, r.statusCode());
        assertEquals("Not enough permissions. Requires scopes ['read:metadata']. Request had scopes []", detail(r));
        assertEquals("Bearer scope=\"read:metadata\"", r.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void theKeyWorksInTheHeaderTheQueryAndTheCookie() throws Exception {
        assertEquals(200, withKey.get("/api/v1/metadata/t").statusCode());
        HttpResponse<byte[]> q = anonymous.get("/api/v1/metadata/t?api_key=" + KEY);
        assertEquals(200, q.statusCode());
        String cookie = q.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("tiled_api_key=")).findFirst().orElseThrow();
        assertTrue(cookie.startsWith("tiled_api_key=" + KEY + ";") && cookie.contains("HttpOnly"), cookie);
        assertFalse(new String(q.body(), StandardCharsets.UTF_8).contains(KEY), "never echoed in links or documents");
        assertEquals(200, anonymous.get("/api/v1/metadata/t", "Cookie", "tiled_api_key=" + KEY).statusCode());
        HttpResponse<byte[]> wrong = anonymous.get("/api/v1/metadata/t?api_key=wrong_key_123456");
        assertEquals(401, wrong.statusCode());
        assertEquals("Invalid API key", detail(wrong));
        assertTrue(wrong.headers().allValues("Set-Cookie").stream().noneMatch(c -> c.startsWith("tiled_api_key=")), "an invalid key is not kept");
        assertEquals(400, anonymous.get("/api/v1/metadata/t", "Authorization", "Basic dXNlcjpwYXNz").statusCode());
    }

    @Test
    void aScopedKeyIsCreatedUsedListedAndRevoked() throws Exception {
        JsonNode k = createKey(withKey, "{\"scopes\": [\"read:metadata\"], \"expires_in\": 3600, \"note\": \"for the dashboard\", \"access_tags\": null}");
        String secret = k.path("secret").asText();
        assertTrue(secret.matches("[0-9a-f]{72}"), secret);
        assertEquals(secret.substring(0, 8), k.path("first_eight").asText());
        assertEquals("for the dashboard", k.path("note").asText());
        assertFalse(k.path("expiration_time").isNull());
        Http scoped = new Http(running.server().port(), secret);
        assertEquals(200, scoped.get("/api/v1/metadata/t").statusCode());
        HttpResponse<byte[]> data = scoped.get("/api/v1/table/full/t?format=text/csv");
        assertEquals(401, data.statusCode(), "read:metadata only");
        assertTrue(detail(data).contains("Requires scopes ['read:data']"), detail(data));
        assertEquals(k.path("first_eight").asText(), scoped.json("/api/v1/auth/apikey").path("first_eight").asText());
        JsonNode me = withKey.json("/api/v1/auth/whoami");
        assertEquals("user", me.path("type").asText());
        assertTrue(me.path("api_keys").toString().contains(k.path("first_eight").asText()), "listed among the owner's keys");

        HttpResponse<byte[]> revoked = withKey.send("DELETE", "/api/v1/auth/apikey?first_eight=" + k.path("first_eight").asText(), null);
        assertEquals(204, revoked.statusCode());
        HttpResponse<byte[]> after = scoped.get("/api/v1/metadata/t");
        assertEquals(401, after.statusCode(), "revoked: refused at once");
        assertEquals("Invalid API key", detail(after));
        assertEquals(404, withKey.send("DELETE", "/api/v1/auth/apikey?first_eight=" + k.path("first_eight").asText(), null).statusCode());
    }

    @Test
    void aKeyNeverMintsMoreThanItHoldsAndExpires() throws Exception {
        JsonNode narrow = createKey(withKey, "{\"scopes\": [\"read:metadata\", \"create:apikeys\"], \"expires_in\": null, \"note\": null, \"access_tags\": null}");
        Http n = new Http(running.server().port(), narrow.path("secret").asText());
        HttpResponse<byte[]> broader = n.send("POST", "/api/v1/auth/apikey",
                "{\"scopes\": [\"read:data\"], \"expires_in\": null, \"note\": null, \"access_tags\": null}".getBytes(StandardCharsets.UTF_8), JSON);
        assertEquals(403, broader.statusCode(), new String(broader.body(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> inherit = n.send("POST", "/api/v1/auth/apikey",
                "{\"scopes\": null, \"expires_in\": null, \"note\": null, \"access_tags\": null}".getBytes(StandardCharsets.UTF_8), JSON);
        assertEquals(403, inherit.statusCode(), "inherit would be all of the owner's scopes");
        assertEquals(200, n.send("POST", "/api/v1/auth/apikey",
                "{\"scopes\": [\"read:metadata\"], \"expires_in\": 60, \"note\": null, \"access_tags\": null}".getBytes(StandardCharsets.UTF_8), JSON).statusCode());
        assertEquals(400, withKey.send("POST", "/api/v1/auth/apikey",
                "{\"scopes\": [\"fly\"], \"expires_in\": null, \"note\": null, \"access_tags\": null}".getBytes(StandardCharsets.UTF_8), JSON).statusCode());

        JsonNode brief = createKey(withKey, "{\"scopes\": [\"read:metadata\"], \"expires_in\": 1, \"note\": null, \"access_tags\": null}");
        Http b = new Http(running.server().port(), brief.path("secret").asText());
        Thread.sleep(1_200);
        HttpResponse<byte[]> expired = b.get("/api/v1/metadata/t");
        assertEquals(401, expired.statusCode());
        assertEquals("API key has expired", detail(expired));
    }

    @Test
    void aConfiguredOriginGetsCorsHeadersOnEveryStatusAndOthersDoNot() throws Exception {
        HttpResponse<byte[]> pre = anonymous.send("OPTIONS", "/api/v1/metadata/t", null, "Origin", ORIGIN,
                "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization");
        assertEquals(204, pre.statusCode());
        assertEquals(ORIGIN, pre.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertEquals("authorization", pre.headers().firstValue("Access-Control-Allow-Headers").orElseThrow());
        for (HttpResponse<byte[]> r : new HttpResponse[] {withKey.get("/api/v1/metadata/t", "Origin", ORIGIN), anonymous.get("/api/v1/metadata/t", "Origin", ORIGIN),
                withKey.get("/api/v1/metadata/nothing", "Origin", ORIGIN)}) {
            assertEquals(ORIGIN, r.headers().firstValue("Access-Control-Allow-Origin").orElse(null), "status " + r.statusCode());
            assertEquals("true", r.headers().firstValue("Access-Control-Allow-Credentials").orElse(null));
        }
        HttpResponse<byte[]> other = withKey.get("/api/v1/metadata/t", "Origin", "https://elsewhere.example.com");
        assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        assertEquals(403, anonymous.send("OPTIONS", "/api/v1/metadata/t", null, "Origin", "https://elsewhere.example.com",
                "Access-Control-Request-Method", "GET").statusCode());
    }

    @Test
    void aBrowsersKeyCookieNeedsTheCsrfTokenToWrite() throws Exception {
        HttpResponse<byte[]> r = anonymous.send("POST", "/api/v1/auth/apikey",
                "{\"scopes\": [\"read:metadata\"], \"expires_in\": 60, \"note\": null, \"access_tags\": null}".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json", "Cookie", "tiled_api_key=" + KEY + "; tiled_csrf=abc");
        assertEquals(403, r.statusCode());
        HttpResponse<byte[]> ok = anonymous.send("POST", "/api/v1/auth/apikey",
                "{\"scopes\": [\"read:metadata\"], \"expires_in\": 60, \"note\": null, \"access_tags\": null}".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json", "Cookie", "tiled_api_key=" + KEY + "; tiled_csrf=abc", "x-csrf", "abc");
        assertEquals(200, ok.statusCode(), new String(ok.body(), StandardCharsets.UTF_8));
    }

    @Test
    void thePublicDemoReadsWithoutAKeyAndWritesOnlyWithOne() throws Exception {
        Http demo = DemoServer.http();
        Http demoAnonymous = demo.anonymous();
        assertEquals(200, demoAnonymous.get("/api/v1/metadata/nested").statusCode());
        assertFalse(demoAnonymous.json("/api/v1/").at("/authentication/required").asBoolean());
        HttpResponse<byte[]> register = demoAnonymous.send("POST", "/api/v1/register/somewhere", "{}".getBytes(StandardCharsets.UTF_8), JSON);
        assertEquals(401, register.statusCode());
        assertTrue(detail(register).startsWith("Not enough permissions. Requires scopes ['create:node', 'register', 'write:metadata']"), detail(register));
        assertEquals(200, demo.get("/api/v1/auth/whoami").statusCode());
        assertEquals("null", new String(demoAnonymous.get("/api/v1/auth/whoami", "Accept", "application/json").body(), StandardCharsets.UTF_8).strip());
    }
}
