package dev.tiledgateway.authorizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.auth.ApiKeySecrets;
import dev.tiledgateway.core.auth.ApiKeyStore;
import dev.tiledgateway.core.auth.AuthContext;
import dev.tiledgateway.core.auth.Authenticator;
import dev.tiledgateway.core.auth.Principal;
import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.auth.Verdict;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.embedded.catalog.SqliteApiKeyStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The authorizer on recorded-shape API Gateway authorizer events (testkit's events/authorizer-v2), with a real key store. */
class AuthorizerHandlerTest {

    @TempDir
    Path dir;
    private SqliteApiKeyStore keys;
    private final String serverKey = ApiKeySecrets.generate();
    private Instant now = Instant.parse("2026-12-02T12:00:00Z");

    @BeforeEach
    void setUp() {
        keys = new SqliteApiKeyStore(dir.resolve("catalog.db"));
    }

    private AuthorizerHandler handler(boolean open) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        return new AuthorizerHandler(new Authenticator(new Authenticator.Settings(open ? Scopes.PUBLIC : Set.of(), ApiKeySecrets.hash(serverKey)), keys, clock));
    }

    private static JsonNode event(String name, String key) throws IOException {
        try (InputStream in = AuthorizerHandlerTest.class.getResourceAsStream("/events/authorizer-v2/" + name)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Json.parse(text.replace("${KEY}", key == null ? "" : key).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Runs the handler as Lambda does (bytes in, bytes out) and reads the verdict back as the API function will. */
    private static Verdict verdict(AuthorizerHandler h, JsonNode event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.handleRequest(new ByteArrayInputStream(Json.bytes(event)), out, null);
        JsonNode r = Json.parse(out.toByteArray());
        assertTrue(r.path("isAuthorized").asBoolean(), "always authorized: the API function answers refusals in Tiled's shape");
        r.path("context").fields().forEachRemaining(e -> assertTrue(e.getValue().isTextual(), "context values are strings: " + e.getKey()));
        return AuthContext.decode(r.path("context")).orElseThrow();
    }

    private String stored(List<String> scopes, Instant expires) {
        String secret = ApiKeySecrets.generate();
        assertTrue(keys.create(new ApiKeyStore.ApiKey(ApiKeySecrets.hash(secret), ApiKeySecrets.firstEight(secret), Authenticator.SINGLE_USER,
                scopes, expires, "test", now, List.of())));
        return secret;
    }

    @Test
    void primingAnswersAnonymousAnUnknownKeyLookedUpAndAMalformedQuery() throws IOException {
        List<String> lookedUp = new java.util.ArrayList<>();
        ApiKeyStore recording = (ApiKeyStore) java.lang.reflect.Proxy.newProxyInstance(ApiKeyStore.class.getClassLoader(),
                new Class<?>[] {ApiKeyStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("byHash")) lookedUp.add((String) args[0]);
                    try {
                        return method.invoke(keys, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        AuthorizerHandler h = new AuthorizerHandler(new Authenticator(new Authenticator.Settings(Set.of(), ApiKeySecrets.hash(serverKey)), recording,
                Clock.fixed(now, ZoneOffset.UTC)));
        assertEquals(List.of("anonymous", "401", "400"), h.prime());
        assertEquals(List.of(ApiKeySecrets.hash(AuthorizerHandler.PRIMING_KEY)), lookedUp, "the priming key is looked up in the key store, once");
        // a handler given its authenticator keeps it through a restore, and answers as before
        Authenticator given = h.authenticator();
        h.afterRestore(null);
        assertTrue(given == h.authenticator());
        assertEquals(new Verdict.Refused(401, "Invalid API key"), verdict(h, event("apikey-header.json", AuthorizerHandler.PRIMING_KEY)));
        assertInstanceOf(Verdict.Allowed.class, verdict(h, event("apikey-header.json", serverKey)));
    }

    @Test
    void noCredentialIsAnonymousWithThePublicScopesOrNone() throws IOException {
        Principal open = assertInstanceOf(Verdict.Allowed.class, verdict(handler(true), event("no-credential.json", null))).principal();
        assertTrue(open.isAnonymous());
        assertEquals(Scopes.PUBLIC, open.scopes());
        Principal closed = assertInstanceOf(Verdict.Allowed.class, verdict(handler(false), event("no-credential.json", null))).principal();
        assertTrue(closed.isAnonymous());
        assertEquals(Set.of(), closed.scopes(), "a private server: nothing without a key");
    }

    @Test
    void theServersKeyIsTheSingleUserInEveryPlaceTiledLooks() throws IOException {
        for (String e : List.of("apikey-header.json", "apikey-query.json", "apikey-cookie.json", "register-with-key.json")) {
            Principal p = assertInstanceOf(Verdict.Allowed.class, verdict(handler(false), event(e, serverKey)), e).principal();
            assertEquals(Authenticator.SINGLE_USER, p.id(), e);
            assertEquals(Scopes.SINGLE_USER, p.scopes(), e);
            assertEquals(serverKey.substring(0, 8), p.apiKey(), e);
        }
    }

    @Test
    void aStoredKeyHoldsItsScopesWithinItsOwnersAndInheritExpands() throws IOException {
        String narrow = stored(List.of("read:metadata", "admin:apikeys"), null);
        Principal p = assertInstanceOf(Verdict.Allowed.class, verdict(handler(false), event("apikey-header.json", narrow))).principal();
        assertEquals(Set.of("read:metadata"), p.scopes(), "admin:apikeys is more than the owner holds: dropped");
        String inherit = stored(List.of("inherit"), null);
        assertEquals(Scopes.SINGLE_USER, assertInstanceOf(Verdict.Allowed.class, verdict(handler(false), event("apikey-query.json", inherit))).principal().scopes());
    }

    @Test
    void unknownExpiredRevokedAndMalformedKeysAreRefused() throws IOException {
        Verdict unknown = verdict(handler(true), event("apikey-header.json", ApiKeySecrets.generate()));
        assertEquals(new Verdict.Refused(401, "Invalid API key"), unknown, "even where anonymous reads are allowed");
        assertEquals(new Verdict.Refused(401, "Invalid API key"), verdict(handler(true), event("apikey-cookie.json", "not-hex!")));
        String expiring = stored(List.of("inherit"), now.plus(1, ChronoUnit.HOURS));
        assertInstanceOf(Verdict.Allowed.class, verdict(handler(false), event("apikey-header.json", expiring)));
        now = now.plus(2, ChronoUnit.HOURS);
        assertEquals(new Verdict.Refused(401, "API key has expired"), verdict(handler(false), event("apikey-header.json", expiring)));
        String revoked = stored(List.of("inherit"), null);
        AuthorizerHandler warm = handler(false);
        assertInstanceOf(Verdict.Allowed.class, verdict(warm, event("apikey-header.json", revoked)));
        assertTrue(keys.revoke(Authenticator.SINGLE_USER, revoked.substring(0, 8)));
        assertEquals(new Verdict.Refused(401, "Invalid API key"), verdict(warm, event("apikey-header.json", revoked)), "revoked: refused by the same warm authorizer");
        Verdict basic = verdict(handler(true), event("basic-auth.json", null));
        assertEquals(400, assertInstanceOf(Verdict.Refused.class, basic).status());
        assertEquals(401, assertInstanceOf(Verdict.Refused.class, verdict(handler(true), event("bearer.json", null))).status());
    }

    @Test
    void itNeverThrowsAMalformedQueryIs400AndAnUnreachableStore503() throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode e = (com.fasterxml.jackson.databind.node.ObjectNode) event("apikey-query.json", serverKey);
        e.put("rawQueryString", "x=%zz&api_key=" + serverKey);
        assertEquals(400, assertInstanceOf(Verdict.Refused.class, verdict(handler(true), e)).status());
        ApiKeyStore down = new ApiKeyStore() {
            public boolean create(ApiKey key) { throw new java.io.UncheckedIOException(new IOException("DynamoDB GetItem timed out")); }
            public java.util.Optional<ApiKey> byHash(String hash) { throw new java.io.UncheckedIOException(new IOException("DynamoDB GetItem timed out")); }
            public List<ApiKey> byOwner(String owner) { throw new java.io.UncheckedIOException(new IOException("timed out")); }
            public boolean revoke(String owner, String firstEight) { throw new java.io.UncheckedIOException(new IOException("timed out")); }
        };
        AuthorizerHandler h = new AuthorizerHandler(new Authenticator(new Authenticator.Settings(Scopes.PUBLIC, null), down, Clock.systemUTC()));
        assertEquals(503, assertInstanceOf(Verdict.Refused.class, verdict(h, event("apikey-header.json", serverKey))).status());
        assertInstanceOf(Verdict.Allowed.class, verdict(h, event("no-credential.json", null)), "no key, no lookup: public reads go on");
    }

    @Test
    void settingsComeFromTheEnvironmentAndABadHashIsRefused() {
        Authenticator.Settings s = AuthorizerHandler.settings(Map.of(AuthorizerHandler.PUBLIC, "true", AuthorizerHandler.API_KEY, serverKey));
        assertTrue(s.isPublic());
        assertEquals(ApiKeySecrets.hash(serverKey), s.singleUserKeyHash());
        Authenticator.Settings h = AuthorizerHandler.settings(Map.of(AuthorizerHandler.API_KEY_SHA256, ApiKeySecrets.hash(serverKey).toUpperCase()));
        assertFalse(h.isPublic());
        assertEquals(ApiKeySecrets.hash(serverKey), h.singleUserKeyHash());
        assertThrows(IllegalStateException.class, () -> AuthorizerHandler.settings(Map.of(AuthorizerHandler.API_KEY_SHA256, "abc")));
    }
}
