package dev.tiledgateway.core.route;

import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.observe.RequestMetrics;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * {@code GET /api/v1/metrics}: this process's request metrics in the Prometheus text format, for holders of Tiled's
 * {@code metrics} scope (as Tiled serves its own). On Lambda each execution environment counts only what it answered;
 * there the embedded-metric log lines are the whole picture.
 */
public final class MetricsRoutes implements RouteGroup {

    /** The exposition format's media type. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final RequestMetrics metrics;

    public MetricsRoutes(RequestMetrics metrics) { this.metrics = metrics; }

    @Override
    public void register(Registrar r) {
        r.add("GET", "metrics", Set.of(Scopes.METRICS), call -> {
            Response resp = new Response(200, CONTENT_TYPE, metrics.prometheus().getBytes(StandardCharsets.UTF_8));
            resp.header("Cache-Control", "no-store");
            return resp;
        });
    }
}
