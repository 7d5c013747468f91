package dev.tiledgateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.authorizer.AuthorizerHandler;
import dev.tiledgateway.core.auth.Access;
import dev.tiledgateway.core.auth.AuthContext;
import dev.tiledgateway.core.auth.Authenticator;
import dev.tiledgateway.core.auth.Verdict;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.embedded.catalog.SqliteApiKeyStore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What the authorizer's cold start does, without the Lambda runtime: build the handler (the key store in the SQLite file
 * {@code TILED_GATEWAY_DATA_DIR/auth.db}, the settings from the environment, as on Lambda) and answer one authorizer
 * event carrying the server's key in {@code Authorization} (one SHA-256, one lookup by hash). On Lambda the store is
 * DynamoDB, whose SDK client is built instead. Prints {@code status=200 init_ms=.. handle_ms=..}.
 *
 * <p>With {@code --primed}, the handler primes itself between construction and the event, as it does before SnapStart's
 * snapshot ({@link AuthorizerHandler#prime()}), and the line has {@code prime_ms=..} too: {@code handle_ms} is then the
 * first event's time after a restore, the restore itself aside.
 */
public final class ColdStartAuthorizer {

    private ColdStartAuthorizer() {}

    public static void main(String[] args) throws Exception {
        boolean primed = args.length > 0 && args[0].equals("--primed");
        long t0 = System.nanoTime();
        Authenticator auth = new Authenticator(Access.settings(System.getenv()),
                new SqliteApiKeyStore(Path.of(System.getenv("TILED_GATEWAY_DATA_DIR")).resolve("auth.db")), Clock.systemUTC());
        AuthorizerHandler handler = new AuthorizerHandler(auth);
        long t1 = System.nanoTime();
        if (primed) handler.prime();
        long tp = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event(System.getenv(Access.API_KEY))), out, null);
        long t2 = System.nanoTime();
        JsonNode r = Json.parse(out.toByteArray());
        boolean allowed = AuthContext.decode(r.path("context")).orElseThrow() instanceof Verdict.Allowed a && !a.principal().isAnonymous();
        int status = allowed ? 200 : 401;
        System.out.println("status=" + status + " init_ms=" + (t1 - t0) / 1_000_000.0 + (primed ? " prime_ms=" + (tp - t1) / 1_000_000.0 : "")
                + " handle_ms=" + (t2 - tp) / 1_000_000.0 + " verdict=" + (allowed ? "the-server-key" : "refused"));
        System.out.flush();
        System.exit(status == 200 ? 0 : 1);
    }

    /** A 2.0 authorizer event for {@code GET /api/v1/metadata/} with the key in the header. */
    static byte[] event(String key) {
        String e = """
                {"version": "2.0", "type": "REQUEST", "routeArn": "arn:aws:execute-api:us-east-1:123456789012:abc123/$default/GET/api/v1/metadata/",
                 "routeKey": "$default", "rawPath": "/api/v1/metadata/", "rawQueryString": "",
                 "headers": {"accept": "application/x-msgpack", "authorization": "Apikey %s", "host": "abc123.execute-api.us-east-1.amazonaws.com",
                             "user-agent": "python-tiled/0.2.16"},
                 "requestContext": {"accountId": "123456789012", "apiId": "abc123", "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
                                    "http": {"method": "GET", "path": "/api/v1/metadata/", "protocol": "HTTP/1.1", "sourceIp": "198.51.100.7"},
                                    "requestId": "c1", "routeKey": "$default", "stage": "$default"}}
                """.formatted(key);
        return e.getBytes(StandardCharsets.UTF_8);
    }
}
