package dev.tiledgateway.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.tiledgateway.aws.ServerKeySecret;
import dev.tiledgateway.core.auth.Access;
import dev.tiledgateway.core.backend.Backend;
import dev.tiledgateway.core.backend.BackendFactory;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.http.Request;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.observe.RequestLog;
import dev.tiledgateway.core.observe.RequestTrace;
import dev.tiledgateway.core.route.Gateway;
import dev.tiledgateway.core.route.GatewayConfig;
import dev.tiledgateway.core.route.Router;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Set;

/**
 * The API function: API Gateway HTTP API (payload v2.0) event in, v2.0 response out.
 * Everything it does is the core router's; this class only converts the envelope, and traces each request: a
 * {@code Server-Timing} header on every answer, the router's metrics, and (on Lambda) one JSON line per request on
 * standard output with its embedded metrics.
 */
public final class ApiHandler implements RequestStreamHandler {

    /** Host names that a proxy in front of API Gateway may name in X-Forwarded-Host (comma-separated). */
    public static final String FORWARDED_HOSTS = "TILED_GATEWAY_FORWARDED_HOSTS";
    /** The response ceiling in bytes (default 4,500,000): larger answers are materialised and redirected to. */
    public static final String MAX_INLINE_BYTES = "TILED_GATEWAY_MAX_INLINE_BYTES";

    private final Router router;
    private final Set<String> forwardedHosts;
    /** Where each request's line goes; null: nowhere (the local server's default). */
    private final RequestLog log;

    /** Lambda's constructor: storage from the environment, built once per execution environment; request lines to stdout. */
    public ApiHandler() {
        this(router(ServerKeySecret.resolve(System.getenv())), forwardedHosts(System.getenv(FORWARDED_HOSTS)), RequestLog.to(System.out, System.getenv()));
    }

    /**
     * The handler Lambda builds from this environment (the function's variables and the runtime's), the server's
     * key read from Secrets Manager when {@link ServerKeySecret#SECRET} names it.
     */
    public static ApiHandler fromEnvironment(Map<String, String> env) {
        return new ApiHandler(router(ServerKeySecret.resolve(env)), forwardedHosts(env.get(FORWARDED_HOSTS)), RequestLog.to(System.out, env));
    }

    public ApiHandler(Router router) { this(router, Set.of()); }

    public ApiHandler(Router router, Set<String> forwardedHosts) { this(router, forwardedHosts, null); }

    /** @param log where each request's JSON line goes, or null for none */
    public ApiHandler(Router router, Set<String> forwardedHosts, RequestLog log) {
        this.router = router;
        this.forwardedHosts = Set.copyOf(forwardedHosts);
        this.log = log;
    }

    /** The lower-cased names of a comma-separated list; none for null. */
    public static Set<String> forwardedHosts(String commaSeparated) {
        if (commaSeparated == null) return Set.of();
        Set<String> hosts = new java.util.HashSet<>();
        for (String h : commaSeparated.split(",")) if (!h.isBlank()) hosts.add(h.strip().toLowerCase(java.util.Locale.ROOT));
        return hosts;
    }

    private static Router router(Map<String, String> env) {
        Backend b = BackendFactory.fromEnvironment(env);
        GatewayConfig config = GatewayConfig.defaults();
        String max = env.get(MAX_INLINE_BYTES);
        if (max != null && !max.isBlank()) config = config.withMaxInlineBytes(Long.parseLong(max.strip()));
        return Gateway.router(b.catalog(), b.store(), config, new Access(Access.settings(env), b.apiKeys(),
                Access.origins(env.get(Access.ALLOW_ORIGINS))));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        output.write(handle(input.readAllBytes()));
    }

    /** One event's JSON to one response event's JSON. A malformed event is answered with 400, never thrown. */
    public byte[] handle(byte[] eventJson) {
        RequestTrace trace = RequestTrace.begin(null);
        byte[] out;
        try {
            Response r = route(eventJson, trace);
            out = respond(r, trace);
            if (out.length > HttpApiEvents.MAX_RESPONSE_ENVELOPE) {
                // Data routes redirect long before this at the production ceiling, and listings stop early; what
                // still does not fit (a ceiling configured above it, a huge answer) is refused plainly, never cut.
                out = respond(Router.error(400, "The response would be " + out.length
                        + " bytes as a Lambda response, over the " + HttpApiEvents.MAX_RESPONSE_ENVELOPE + " that API Gateway and Lambda carry;"
                        + " request less: a smaller slice, fewer items (page[limit]) or fewer fields."), trace);
            }
        } finally {
            RequestTrace.end();
        }
        trace.finish();
        router.metrics().record(trace);
        if (log != null) log.write(trace);
        return out;
    }

    /** The router's answer to the event, or a 400 for a malformed one; the trace gets API Gateway's request id. */
    private Response route(byte[] eventJson, RequestTrace trace) {
        JsonNode event;
        try {
            event = Json.parse(eventJson);
        } catch (IOException e) {
            return Router.error(400, "Malformed request: the event is not JSON");
        }
        JsonNode id = event.path("requestContext").path("requestId");
        if (id.isTextual()) trace.requestId(id.asText());
        Request req;
        try {
            req = HttpApiEvents.toRequest(event, forwardedHosts);
        } catch (RuntimeException e) {
            return Router.error(400, "Malformed request: " + e.getMessage());
        }
        return router.handle(req);
    }

    /** The response event of an answer, with its {@code Server-Timing}. */
    private static byte[] respond(Response r, RequestTrace trace) {
        trace.answered(r);
        r.header("Server-Timing", trace.serverTiming());
        return HttpApiEvents.eventBytes(r);
    }

    public Router router() { return router; }
}
