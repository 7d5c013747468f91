package dev.tiledgateway.core.route;

import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.auth.Access;
import dev.tiledgateway.core.auth.ApiKeySecrets;
import dev.tiledgateway.core.auth.Principal;
import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.auth.Verdict;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.http.Request;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.observe.RequestMetrics;
import dev.tiledgateway.core.observe.RequestTrace;
import dev.tiledgateway.core.path.NodePath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The transport-neutral front door: matches {@code /api/v1/{action}/{path}} to a route group's handler,
 * maps errors to {@code {"detail": ...}} once, and adds Tiled's common headers and cookie.
 */
public final class Router {

    private static final String API = "/api/v1";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One registered route: what it requires and what handles it. */
    public record Route(String method, String action, Set<String> scopes, RouteGroup.Handler handler) {
        /** {@code GET metadata}, {@code GET /} for the about document: the route's name in logs and metrics. */
        public String name() { return method + " " + (action.isEmpty() ? "/" : action); }
    }

    private final Map<String, Route> routes = new LinkedHashMap<>();
    /** Actions sorted longest first, so {@code array/full} wins over a hypothetical {@code array}. */
    private final List<String> actions = new ArrayList<>();
    private final Access access;
    private final RequestMetrics metrics;

    /** A router whose request metrics are its own (see {@link #Router(List, Access, RequestMetrics)}). */
    public Router(List<RouteGroup> groups, Access access) { this(groups, access, new RequestMetrics()); }

    /**
     * @throws IllegalStateException when a route is registered twice or declares no scopes, or scopes Tiled does not
     *                               know: a server with a route whose access is not declared must not start
     */
    public Router(List<RouteGroup> groups, Access access, RequestMetrics metrics) {
        this.access = access;
        this.metrics = metrics;
        for (RouteGroup g : groups) {
            g.register((method, action, scopes, handler) -> {
                if (scopes == null) throw new IllegalStateException("route " + method + " " + action + " declares no scopes");
                for (String sc : scopes) if (!Scopes.ALL.contains(sc)) throw new IllegalStateException("route " + method + " " + action + ": unknown scope " + sc);
                if (routes.put(method + " " + action, new Route(method, action, Set.copyOf(scopes), handler)) != null)
                    throw new IllegalStateException("route registered twice: " + method + " " + action);
                if (!actions.contains(action)) actions.add(action);
            });
        }
        actions.sort((a, b) -> b.length() - a.length());
    }

    /** Every route with the scopes it requires, in registration order (what the scope matrix test walks). */
    public List<Route> routes() { return List.copyOf(routes.values()); }

    public Access access() { return access; }

    /** Where the handler records each answered request (what {@code GET /api/v1/metrics} shows). */
    public RequestMetrics metrics() { return metrics; }

    public Response handle(Request req) {
        Response r;
        try {
            r = preflight(req);
            if (r == null) r = dispatch(req);
        } catch (TiledException e) {
            r = error(e.status(), e.detail());
            e.headers().forEach(r::header);
            if (e.status() == 503) r.header("Retry-After", String.valueOf(Math.max(1, e.retryAfterSeconds())));
        } catch (CorruptDataException e) {
            // Stored bytes that cannot be decoded: retrying will not help, so never a 5xx.
            log().log(Level.WARNING, "corrupt stored data behind " + req.path(), e);
            r = error(422, "Stored data cannot be read: " + e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            log().log(Level.WARNING, "storage failure on " + req.method() + " " + req.path(), e);
            r = error(503, "A storage service is unavailable; try again shortly.");
            r.header("Retry-After", "1");
        } catch (RuntimeException e) {
            log().log(Level.SEVERE, "unhandled error on " + req.method() + " " + req.path(), e);
            r = error(500, "Internal server error");
        }
        if (r.status() == 200 && (req.method().equals("GET") || req.method().equals("HEAD"))) r = conditional(req, r);
        r = Compression.apply(req, r);
        r.header("X-Tiled-Request-ID", HexFormat.of().formatHex(randomBytes(8)));
        r.header("X-Content-Type-Options", "nosniff");
        if (req.headers().cookie("tiled_csrf").isEmpty()) {
            r.cookie("tiled_csrf=" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32)) + "; HttpOnly; Path=/; SameSite=lax");
        }
        cors(req, r);
        return r;
    }

    /** The headers CORS asks of every answer to an allowed origin, whatever its status (a 401 or a 503 included). */
    private void cors(Request req, Response r) {
        java.util.Optional<String> origin = req.headers().get("origin");
        if (origin.isEmpty() || !access.allowsOrigin(origin.get())) return;
        boolean any = access.allowedOrigins().contains("*");
        r.header("Access-Control-Allow-Origin", any ? "*" : origin.get());
        if (!any) {
            r.header("Access-Control-Allow-Credentials", "true");
            r.header("Vary", "Origin");
        }
        r.header("Access-Control-Expose-Headers", "ETag, Content-Disposition, Content-Encoding, X-Tiled-Request-ID, X-Tiled-Root, WWW-Authenticate, Retry-After, Server-Timing");
    }

    /**
     * A browser's preflight ({@code OPTIONS} with {@code Access-Control-Request-Method}): 204 with what may be sent
     * when the origin is allowed, else 403. Other {@code OPTIONS} requests are routed as any other method.
     */
    private Response preflight(Request req) {
        if (!req.method().equals("OPTIONS") || req.headers().get("access-control-request-method").isEmpty()) return null;
        String origin = req.headers().get("origin").orElse("");
        if (!access.allowsOrigin(origin)) throw TiledException.forbidden("Cross-origin requests from " + (origin.isEmpty() ? "a page without an origin" : origin) + " are not allowed");
        Response r = new Response(204, null, new byte[0]);
        r.header("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
        r.header("Access-Control-Allow-Headers", req.headers().get("access-control-request-headers").orElse("Authorization, Content-Type, Accept, x-csrf"));
        r.header("Access-Control-Max-Age", "600");
        return r;
    }

    private Response dispatch(Request req) throws IOException {
        String path = req.path();
        if (path.equals("/healthz")) return Response.json(200, "{\"status\":\"ready\"}".getBytes());
        if (path.equals("/") || path.isEmpty()) return landing(req);
        if (!path.startsWith(API) || (path.length() > API.length() && path.charAt(API.length()) != '/'))
            throw TiledException.notFound("Not Found");
        refuseCrossOriginWrites(req);
        checkCsrf(req);
        String rest = path.substring(API.length());
        while (rest.startsWith("/")) rest = rest.substring(1);
        String method = req.method().equals("HEAD") ? "GET" : req.method();
        String base = req.origin() + API;
        if (rest.isEmpty()) return invoke(method, "", new Call(req, base, NodePath.ROOT, access));
        for (String action : actions) {
            if (action.isEmpty()) continue;
            // rest is the action or begins with it and a slash (no string built per action and request)
            if (rest.startsWith(action) && (rest.length() == action.length() || rest.charAt(action.length()) == '/')) {
                NodePath p;
                try {
                    p = NodePath.parseUrl(rest.substring(action.length()));
                } catch (IllegalArgumentException e) {
                    throw TiledException.badRequest(e.getMessage());
                }
                return invoke(method, action, new Call(req, base, p, access));
            }
        }
        throw TiledException.notFound("Not Found");
    }

    /**
     * A request that changes state and comes from a web page of another origin is refused: the Tiled client
     * sends no {@code Origin}, and a page the user happens to visit must not write through the user's
     * network position or cookies, unless its origin is one the operator allowed (CORS). Reads stay open to any
     * origin (a browser only shows them to pages of allowed origins).
     */
    private void refuseCrossOriginWrites(Request req) {
        String m = req.method();
        if (m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS")) return;
        java.util.Optional<String> origin = req.headers().get("origin");
        String own = ownOrigin(req.origin());
        if (origin.isPresent() && !origin.get().equalsIgnoreCase(own) && !access.allowsOrigin(origin.get()))
            throw TiledException.forbidden("Cross-origin " + m + " refused: " + origin.get() + " is not " + own);
    }

    /** scheme://host[:port] of a request's origin, which may end with an API Gateway stage's path ({@code /prod}). */
    private static String ownOrigin(String origin) {
        int slash = origin.indexOf('/', origin.indexOf("://") + 3);
        return slash < 0 ? origin : origin.substring(0, slash);
    }

    /**
     * Tiled's double-submit check: a state-changing request that carries the {@code tiled_api_key} cookie (a
     * browser's, set by {@code ?api_key=}) must repeat the {@code tiled_csrf} cookie in {@code x-csrf} (or {@code csrf}).
     * The Python client sends no such cookie and is never asked.
     */
    private static void checkCsrf(Request req) {
        String m = req.method();
        if (m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS") || m.equals("TRACE")) return;
        if (req.headers().cookie("tiled_api_key").isEmpty()) return;
        String cookie = req.headers().cookie("tiled_csrf").orElseThrow(() -> TiledException.forbidden("Expected the tiled_csrf cookie"));
        String sent = req.headers().get("x-csrf").or(() -> req.query().first("csrf"))
                .orElseThrow(() -> TiledException.forbidden("Expected the x-csrf header (or the csrf query parameter)"));
        if (!java.security.MessageDigest.isEqual(cookie.getBytes(java.nio.charset.StandardCharsets.UTF_8), sent.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            throw TiledException.forbidden("The double-submit CSRF tokens do not match");
    }

    private Response invoke(String method, String action, Call call) throws IOException {
        Route route = routes.get(method + " " + action);
        if (route == null) {
            boolean any = routes.keySet().stream().anyMatch(k -> k.endsWith(" " + action));
            if (any) throw TiledException.notAllowed("Method Not Allowed");
            throw TiledException.notFound("Not Found");
        }
        RequestTrace trace = RequestTrace.current();
        if (trace != null) trace.routed(route.name(), call.path());
        Principal principal = null;
        if (!route.scopes().isEmpty()) {
            principal = authorize(call, route.scopes());
        }
        Response r = route.handler().handle(call);
        if (principal != null && principal.apiKey() != null) rememberQueryKey(call.request(), r);
        return r;
    }

    /** The request's principal, when it holds {@code required}; else the 401 (or 400) Tiled answers. */
    static Principal authorize(Call call, Set<String> required) {
        Verdict v = call.verdict();
        if (v instanceof Verdict.Refused refused) {
            if (refused.status() == 400) throw TiledException.badRequest(refused.detail());
            if (refused.status() == 503) throw TiledException.busy(refused.detail(), 1);
            throw TiledException.unauthorized(refused.detail()).withHeader("WWW-Authenticate", "Bearer").withHeader("X-Tiled-Root", call.base());
        }
        Principal p = ((Verdict.Allowed) v).principal();
        if (!p.holdsAll(required)) {
            throw TiledException.unauthorized("Not enough permissions. Requires scopes " + Scopes.repr(required) + ". Request had scopes "
                            + Scopes.repr(p.scopes()))
                    .withHeader("WWW-Authenticate", "Bearer scope=\"" + String.join(" ", Scopes.sorted(required)) + "\"")
                    .withHeader("X-Tiled-Root", call.base());
        }
        return p;
    }

    /**
     * A key that came in the query is remembered in the {@code tiled_api_key} cookie, as Tiled does for browsers
     * (only once it proved valid: an invalid key is never echoed back).
     */
    private static void rememberQueryKey(Request req, Response r) {
        java.util.Optional<String> key = req.query().first("api_key");
        if (key.isEmpty() || key.get().equals(req.headers().cookie("tiled_api_key").orElse(null))) return;
        if (!ApiKeySecrets.WELL_FORMED.matcher(key.get()).matches()) return;
        r.cookie("tiled_api_key=" + key.get() + "; HttpOnly; Path=/; SameSite=lax");
    }

    private static Response landing(Request req) {
        String api = req.origin() + API + "/";
        String html = "<!doctype html><html><body><h1>tiled-gateway</h1><p>A Tiled-compatible API lives at <a href=\"" + api + "\">" + api + "</a>.</p></body></html>";
        return new Response(200, "text/html; charset=utf-8", html.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Adds a content-hash ETag where the route set none, and answers a matching If-None-Match with 304. */
    private static Response conditional(Request req, Response r) {
        String etag = r.header("ETag");
        if (etag == null) {
            try {
                byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(r.body());
                etag = "\"" + HexFormat.of().formatHex(h, 0, 16) + "\"";
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            r.header("ETag", etag);
        }
        if (etag.equals(req.headers().get("if-none-match").orElse(null))) {
            Response nm = new Response(304, null, new byte[0]);
            nm.header("ETag", etag);
            return nm;
        }
        return r;
    }

    /** Tiled's error document; like every answer, with content sniffing off (a detail sniffed as HTML could run script). */
    public static Response error(int status, String detail) {
        var o = Json.object();
        o.put("detail", detail);
        Response r = Response.json(status, Json.bytes(o));
        r.header("X-Content-Type-Options", "nosniff");
        return r;
    }

    /** The logger, looked up on the first error: starting java.util.logging is not part of every cold start. */
    private static Logger log() { return Logger.getLogger(Router.class.getName()); }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
