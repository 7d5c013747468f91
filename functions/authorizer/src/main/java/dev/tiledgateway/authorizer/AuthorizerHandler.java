package dev.tiledgateway.authorizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.crac.Core;
import org.crac.Resource;
import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.aws.ServerKeySecret;
import dev.tiledgateway.aws.catalog.DynamoDbApiKeyStore;
import dev.tiledgateway.core.auth.Access;
import dev.tiledgateway.core.auth.ApiKeyStore;
import dev.tiledgateway.core.auth.AuthContext;
import dev.tiledgateway.core.auth.Authenticator;
import dev.tiledgateway.core.auth.Credential;
import dev.tiledgateway.core.auth.Verdict;
import dev.tiledgateway.core.http.Headers;
import dev.tiledgateway.core.http.QueryParams;
import dev.tiledgateway.core.json.Json;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The API's Lambda authorizer (HTTP API, payload format 2.0, simple responses): resolves the request's credential
 * to a principal and its scopes, and hands that verdict to the API function in its {@code context}, which API
 * Gateway passes on as {@code requestContext.authorizer.lambda}.
 *
 * <p>It always answers {@code isAuthorized: true}: the API function, which knows each route's scopes, refuses what
 * the verdict does not allow, in Tiled's shape (401 with {@code WWW-Authenticate} and a {@code detail}); API
 * Gateway's own refusal would be a bare 403 the Tiled client cannot explain. Caching is off in the template and
 * no identity source is required, so requests without any credential (public reads), with {@code ?api_key=} and
 * with the cookie reach it too.
 *
 * <p>Environment: {@code TILED_GATEWAY_TABLE} (the catalog table, which holds the API keys),
 * {@code TILED_GATEWAY_DYNAMODB_ENDPOINT} or {@code AWS_ENDPOINT_URL_DYNAMODB} (optional), {@code TILED_GATEWAY_PUBLIC=true} for anonymous reads, and the
 * server's own key as {@code TILED_GATEWAY_API_KEY_SHA256} (its SHA-256, hex), {@code TILED_GATEWAY_API_KEY}, or the
 * Secrets Manager secret holding it named in {@code TILED_GATEWAY_API_KEY_SECRET} (as the template deploys it).
 */
public final class AuthorizerHandler implements RequestStreamHandler, Resource {

    public static final String PUBLIC = Access.PUBLIC;
    public static final String API_KEY = Access.API_KEY;
    public static final String API_KEY_SHA256 = Access.API_KEY_SHA256;

    private volatile Authenticator authenticator;
    /** The environment a restore reads the server's key from again, and the key store it keeps; null when given. */
    private final Map<String, String> env;
    private final ApiKeyStore keys;

    /**
     * For Lambda: everything from the environment. Registered for CRaC's checkpoint and restore (SnapStart; a no-op
     * without it): before the snapshot it primes itself ({@link #prime()}), after each restore it builds its
     * authenticator again from the environment, so that the server's key is read from Secrets Manager when the
     * execution environment starts, as without SnapStart.
     */
    public AuthorizerHandler() {
        this(Map.copyOf(System.getenv()));
        Core.getGlobalContext().register(this);
    }

    /**
     * The handler Lambda builds from this environment (the function's variables and the runtime's), the server's
     * key read from Secrets Manager when {@link ServerKeySecret#SECRET} names it.
     */
    public static AuthorizerHandler fromEnvironment(Map<String, String> env) {
        return new AuthorizerHandler(Map.copyOf(env));
    }

    private AuthorizerHandler(Map<String, String> env) {
        this.env = env;
        this.keys = keyStore(env);
        this.authenticator = authenticator(ServerKeySecret.resolve(env), keys);
    }

    public AuthorizerHandler(Authenticator authenticator) {
        this.authenticator = authenticator;
        this.env = null;
        this.keys = null;
    }

    /** The API keys in the catalog table that {@code env} names, through DynamoDB as the API function reads them. */
    private static ApiKeyStore keyStore(Map<String, String> env) {
        String table = env.get("TILED_GATEWAY_TABLE");
        if (table == null || table.isBlank()) throw new IllegalStateException("TILED_GATEWAY_TABLE is not set: the API keys live in the catalog table");
        // As the API function's backend reads it: ours, else the SDK's own variable.
        URI dynamo = AwsClients.endpoint(env, "TILED_GATEWAY_DYNAMODB_ENDPOINT", "AWS_ENDPOINT_URL_DYNAMODB");
        return new DynamoDbApiKeyStore(AwsClients.fromEnv(env, null, dynamo).dynamo(), table);
    }

    /** @param env the environment with the server's key already resolved into it */
    private static Authenticator authenticator(Map<String, String> env, ApiKeyStore keys) {
        return new Authenticator(settings(env), keys, Clock.systemUTC());
    }

    /**
     * A key of the right shape that no one holds (its hash is looked up and not found), for {@link #prime()}: fixed,
     * so that priming draws nothing from a random generator that the snapshot would then carry.
     */
    static final String PRIMING_KEY = "tiledgatewaypriming" + "0".repeat(53);

    /**
     * Answers a few authorizer events, so that their classes are loaded and their code compiled before a snapshot:
     * one without a credential, one with a key that is looked up in the key store and not found (the key store's
     * client and its first request), and one with a malformed query string. Nothing is kept: the authenticator
     * holds no cache, and a restore builds it again anyway. A key store out of reach at snapshot time only primes less.
     *
     * @return each answer's verdict as the API function reads it: {@code anonymous} or the refusal's status
     */
    public List<String> prime() {
        List<String> out = new java.util.ArrayList<>();
        for (String[] e : new String[][] {{"", null}, {"", PRIMING_KEY}, {"%zz", null}}) {
            ObjectNode event = Json.object();
            event.put("version", "2.0");
            event.put("type", "REQUEST");
            event.put("rawPath", "/api/v1/");
            event.put("rawQueryString", e[0]);
            ObjectNode headers = event.putObject("headers");
            headers.put("host", "priming.invalid");
            if (e[1] != null) headers.put("authorization", "Apikey " + e[1]);
            event.putObject("requestContext").putObject("http").put("method", "GET").put("path", "/api/v1/");
            try {
                ByteArrayOutputStream answer = new ByteArrayOutputStream();
                handleRequest(new ByteArrayInputStream(Json.bytes(event)), answer, null);
                Verdict v = AuthContext.decode(Json.parse(answer.toByteArray()).path("context")).orElseThrow();
                out.add(v instanceof Verdict.Refused r ? String.valueOf(r.status()) : "anonymous");
            } catch (IOException | RuntimeException ex) {
                out.add("failed: " + ex.getMessage());
            }
        }
        return out;
    }

    /** Before a snapshot (SnapStart): primes the authorizer. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        prime();
    }

    /**
     * After a restore: the authenticator again from the environment (the server's key read anew), over the same key
     * store (its client stays warm). A handler given its authenticator keeps it.
     */
    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        if (env != null) authenticator = authenticator(ServerKeySecret.resolve(env), keys);
    }

    /** The authenticator answering now (a new one after each restore). */
    Authenticator authenticator() { return authenticator; }

    /** The authentication settings both functions read from the same environment variables ({@link Access#settings}). */
    public static Authenticator.Settings settings(Map<String, String> env) { return Access.settings(env); }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        output.write(Json.bytes(respond(Json.parse(input.readAllBytes()))));
    }

    /** The simple response to one authorizer event (payload format 2.0). */
    public ObjectNode respond(JsonNode event) {
        // Never throws: a failing authorizer is a bare 500 from API Gateway, which the client retries ten times.
        Verdict v;
        try {
            v = authenticator.resolve(credentialOf(event));
        } catch (java.io.UncheckedIOException e) {
            v = new Verdict.Refused(503, "The API key store is unavailable; try again shortly");
        } catch (RuntimeException e) {
            v = new Verdict.Refused(400, "Malformed request: " + e.getMessage());
        }
        ObjectNode r = Json.object();
        r.put("isAuthorized", true);
        r.set("context", AuthContext.encode(v));
        return r;
    }

    /** The credential in a 2.0 authorizer event: its query string, headers and cookies, as the API event carries them. */
    public static Credential credentialOf(JsonNode event) {
        Map<String, String> headers = new HashMap<>();
        event.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText()));
        StringBuilder cookies = new StringBuilder();
        for (JsonNode c : event.path("cookies")) {
            if (!cookies.isEmpty()) cookies.append("; ");
            cookies.append(c.asText());
        }
        if (!cookies.isEmpty()) headers.put("cookie", cookies.toString());
        QueryParams query;
        try {
            query = QueryParams.parse(event.path("rawQueryString").asText(""));
        } catch (IllegalArgumentException e) {
            return new Credential.Malformed("The query string is malformed: " + e.getMessage());
        }
        return Credential.of(query, new Headers(headers));
    }
}
