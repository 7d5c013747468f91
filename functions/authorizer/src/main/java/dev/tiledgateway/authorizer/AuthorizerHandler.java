package dev.tiledgateway.authorizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.aws.ServerKeySecret;
import dev.tiledgateway.aws.catalog.DynamoDbApiKeyStore;
import dev.tiledgateway.core.auth.Access;
import dev.tiledgateway.core.auth.AuthContext;
import dev.tiledgateway.core.auth.Authenticator;
import dev.tiledgateway.core.auth.Credential;
import dev.tiledgateway.core.auth.Verdict;
import dev.tiledgateway.core.http.Headers;
import dev.tiledgateway.core.http.QueryParams;
import dev.tiledgateway.core.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
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
public final class AuthorizerHandler implements RequestStreamHandler {

    public static final String PUBLIC = Access.PUBLIC;
    public static final String API_KEY = Access.API_KEY;
    public static final String API_KEY_SHA256 = Access.API_KEY_SHA256;

    private final Authenticator authenticator;

    /** For Lambda: everything from the environment. */
    public AuthorizerHandler() {
        this(authenticator(ServerKeySecret.resolve(System.getenv())));
    }

    /**
     * The handler Lambda builds from this environment (the function's variables and the runtime's), the server's
     * key read from Secrets Manager when {@link ServerKeySecret#SECRET} names it.
     */
    public static AuthorizerHandler fromEnvironment(Map<String, String> env) {
        return new AuthorizerHandler(authenticator(ServerKeySecret.resolve(env)));
    }

    public AuthorizerHandler(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    static Authenticator authenticator(Map<String, String> env) {
        String table = env.get("TILED_GATEWAY_TABLE");
        if (table == null || table.isBlank()) throw new IllegalStateException("TILED_GATEWAY_TABLE is not set: the API keys live in the catalog table");
        // As the API function's backend reads it: ours, else the SDK's own variable.
        URI dynamo = AwsClients.endpoint(env, "TILED_GATEWAY_DYNAMODB_ENDPOINT", "AWS_ENDPOINT_URL_DYNAMODB");
        var store = new DynamoDbApiKeyStore(AwsClients.fromEnv(env, null, dynamo).dynamo(), table);
        return new Authenticator(settings(env), store, Clock.systemUTC());
    }

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
