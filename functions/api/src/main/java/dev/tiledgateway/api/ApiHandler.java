package dev.tiledgateway.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.aws.ServerKeySecret;
import dev.tiledgateway.core.auth.Access;
import dev.tiledgateway.core.auth.AuthContext;
import dev.tiledgateway.core.auth.Principal;
import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.auth.Verdict;
import dev.tiledgateway.core.backend.Backend;
import dev.tiledgateway.core.backend.BackendFactory;
import dev.tiledgateway.core.http.Request;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.observe.RequestLog;
import dev.tiledgateway.core.observe.RequestTrace;
import dev.tiledgateway.core.route.Gateway;
import dev.tiledgateway.core.route.GatewayConfig;
import dev.tiledgateway.core.route.Router;
import org.crac.Core;
import org.crac.Resource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The API function: API Gateway HTTP API (payload v2.0) event in, v2.0 response out.
 * Everything it does is the core router's; this class only converts the envelope, and traces each request: a
 * {@code Server-Timing} header on every answer, the router's metrics, and (on Lambda) one JSON line per request on
 * standard output with its embedded metrics.
 *
 * <p>With SnapStart, Lambda's constructor registers the handler as a CRaC {@link Resource}: before the snapshot it
 * primes itself ({@link #prime()}: a few requests through the request path, none of them recorded), and after each
 * restore it builds its router again from the environment, so that the server's key is read from Secrets Manager
 * when the environment starts, as without SnapStart, and nothing the snapshot's requests left behind is kept.
 */
public final class ApiHandler implements RequestStreamHandler, Resource {

    /** Host names that a proxy in front of API Gateway may name in X-Forwarded-Host (comma-separated). */
    public static final String FORWARDED_HOSTS = "TILED_GATEWAY_FORWARDED_HOSTS";
    /** The response ceiling in bytes (default 4,500,000): larger answers are materialised and redirected to. */
    public static final String MAX_INLINE_BYTES = "TILED_GATEWAY_MAX_INLINE_BYTES";

    private volatile Router router;
    private final Set<String> forwardedHosts;
    /** Where each request's line goes; null: nowhere (the local server's default). */
    private final RequestLog log;
    /** The environment the router is built from again after a restore, and its storage; null when the router was given. */
    private final Map<String, String> env;
    private final Backend backend;

    /**
     * Lambda's constructor: storage from the environment, built once per execution environment; request lines to
     * stdout. Registered for CRaC's checkpoint and restore (a no-op without SnapStart).
     */
    public ApiHandler() {
        this(Opening.of(System.getenv(), true));
        Core.getGlobalContext().register(this);
    }

    private ApiHandler(Opening o) {
        this(router(o.keyed(), o.backend()), forwardedHosts(o.env().get(FORWARDED_HOSTS)), RequestLog.to(System.out, o.env()), o.env(), o.backend());
    }

    /**
     * What the handler is built from: the environment, its backend, and the environment with the server's key read
     * from its secret ({@link ServerKeySecret}). The secret is read on a thread of its own while the backend opens:
     * on Lambda both build an SDK client, and reading the secret waits for Secrets Manager's answer.
     */
    private record Opening(Map<String, String> env, Backend backend, Map<String, String> keyed) {

        /** @param warm whether {@link Warmup} loads the request path's classes meanwhile (a Lambda cold start) */
        static Opening of(Map<String, String> env, boolean warm) {
            if (warm) Warmup.start();
            FutureTask<Map<String, String>> keyed = new FutureTask<>(() -> ServerKeySecret.resolve(env));
            if (env.get(ServerKeySecret.SECRET) == null) keyed.run(); // no secret to wait for
            else Thread.ofPlatform().daemon().name("tiled-gateway-server-key").start(keyed);
            Backend backend = BackendFactory.fromEnvironment(env);
            return new Opening(env, backend, joined(keyed));
        }

        /** The task's result, or what it threw, as it threw it. */
        private static Map<String, String> joined(FutureTask<Map<String, String>> task) {
            try {
                return task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the server's key", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                if (e.getCause() instanceof Error err) throw err;
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    /**
     * The handler Lambda builds from this environment (the function's variables and the runtime's), the server's
     * key read from Secrets Manager when {@link ServerKeySecret#SECRET} names it.
     */
    public static ApiHandler fromEnvironment(Map<String, String> env) {
        return new ApiHandler(Opening.of(Map.copyOf(env), false));
    }

    public ApiHandler(Router router) { this(router, Set.of()); }

    public ApiHandler(Router router, Set<String> forwardedHosts) { this(router, forwardedHosts, null); }

    /** @param log where each request's JSON line goes, or null for none */
    public ApiHandler(Router router, Set<String> forwardedHosts, RequestLog log) {
        this(router, forwardedHosts, log, null, null);
    }

    private ApiHandler(Router router, Set<String> forwardedHosts, RequestLog log, Map<String, String> env, Backend backend) {
        this.router = router;
        this.forwardedHosts = Set.copyOf(forwardedHosts);
        this.log = log;
        this.env = env;
        this.backend = backend;
    }

    /** The lower-cased names of a comma-separated list; none for null. */
    public static Set<String> forwardedHosts(String commaSeparated) {
        if (commaSeparated == null) return Set.of();
        Set<String> hosts = new java.util.HashSet<>();
        for (String h : commaSeparated.split(",")) if (!h.isBlank()) hosts.add(h.strip().toLowerCase(java.util.Locale.ROOT));
        return hosts;
    }

    /** The router over {@code b} as {@code env} configures it (with the server's key already resolved into it). */
    private static Router router(Map<String, String> env, Backend b) {
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
        return handle(eventJson, true);
    }

    /** @param record whether the request counts: in the router's metrics and the request lines */
    private byte[] handle(byte[] eventJson, boolean record) {
        Router router = this.router;
        RequestTrace trace = RequestTrace.begin(null);
        byte[] out;
        try {
            Response r = route(router, eventJson, trace);
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
        if (record) {
            router.metrics().record(trace);
            if (log != null) log.write(trace);
        }
        return out;
    }

    /** The router's answer to the event, or a 400 for a malformed one; the trace gets API Gateway's request id. */
    private Response route(Router router, byte[] eventJson, RequestTrace trace) {
        HttpApiEvents.Envelope event;
        try {
            event = HttpApiEvents.read(eventJson);
        } catch (IOException e) {
            return Router.error(400, "Malformed request: the event is not JSON");
        } catch (IllegalArgumentException e) {
            return Router.error(400, "Malformed request: " + e.getMessage());
        }
        JsonNode id = event.fields().path("requestContext").path("requestId");
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
        return HttpApiEvents.toEventBytes(r);
    }

    public Router router() { return router; }

    /**
     * The paths {@link #prime()} asks for: the about document, the root's metadata (one catalog read), a search page
     * of the root (a listing), a path that is not there (404) and a malformed query (400). They carry an authorizer
     * verdict for a reader (as API Gateway passes the authorizer's), so that a private deployment's catalog is read too.
     */
    static final List<String[]> PRIMING = List.of(
            new String[] {"/api/v1/", ""},
            new String[] {"/api/v1/metadata/", ""},
            new String[] {"/api/v1/search/", "page%5Blimit%5D=1"},
            new String[] {"/api/v1/metadata/tiled-gateway-priming-absent", ""},
            new String[] {"/api/v1/search/", "page%5Blimit%5D=x"});

    /**
     * Runs {@link #PRIMING}'s requests (and a malformed event) through the request path, so that their classes are
     * loaded and their code compiled before a snapshot: envelope parsing, routing, access, the catalog's client,
     * JSON answers and the response envelope. None of them is counted in the metrics or written as a request line;
     * an answer that fails (a catalog out of reach at snapshot time) is a 5xx like any other and only primes less.
     *
     * @return the status of each answer, in {@link #PRIMING}'s order, the malformed event's last
     */
    public List<Integer> prime() {
        List<Integer> statuses = new java.util.ArrayList<>();
        for (String[] p : PRIMING) statuses.add(status(handle(primingEvent(p[0], p[1]), false)));
        statuses.add(status(handle("{\"not an event\"".getBytes(java.nio.charset.StandardCharsets.UTF_8), false)));
        primeStore();
        return statuses;
    }

    /** An object no request names, which the priming asks the store's size of (a HEAD on S3). */
    static final String PRIMING_OBJECT = "tiled-gateway-priming-absent";

    /**
     * Asks the store for {@link #PRIMING_OBJECT}'s size, so that a store that builds its client on first use (the
     * S3 store) has built it, and made one request, before the snapshot; the priming requests read no object. A
     * failure only primes less. A handler given its router has no store of its own to ask.
     */
    private void primeStore() {
        if (backend == null) return;
        try {
            backend.store().size(PRIMING_OBJECT);
        } catch (IOException | RuntimeException e) {
            // out of reach at snapshot time: the first data request builds and connects it
        }
    }

    static byte[] primingEvent(String path, String query) {
        ObjectNode e = Json.object();
        e.put("version", "2.0");
        e.put("rawPath", path);
        e.put("rawQueryString", query);
        ObjectNode h = e.putObject("headers");
        h.put("accept", "application/json");
        h.put("accept-encoding", "gzip");
        h.put("host", "priming.invalid");
        ObjectNode context = e.putObject("requestContext").put("requestId", "priming");
        context.putObject("authorizer").set("lambda",
                AuthContext.encode(new Verdict.Allowed(new Principal("tiled-gateway-priming", Scopes.PUBLIC, null))));
        ObjectNode http = context.putObject("http");
        http.put("method", "GET");
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "127.0.0.1");
        return Json.bytes(e);
    }

    private static int status(byte[] responseEvent) {
        try {
            return Json.parse(responseEvent).path("statusCode").asInt(500);
        } catch (IOException e) {
            return 500;
        }
    }

    /** Before a snapshot (SnapStart): primes the request path. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        prime();
    }

    /**
     * After a restore: the router again from the environment (the server's key read anew, metrics and caches
     * empty), as a cold start without SnapStart would have it, over the same storage (its clients stay warm). A
     * handler given its router keeps it.
     */
    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        if (env != null) router = router(ServerKeySecret.resolve(env), backend);
    }
}
