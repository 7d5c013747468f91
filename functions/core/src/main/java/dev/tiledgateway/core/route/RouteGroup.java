package dev.tiledgateway.core.route;

import dev.tiledgateway.core.http.Response;

import java.io.IOException;

/** A family of routes (one per structure family or concern) that registers its handlers on the router. */
public interface RouteGroup {

    /** Handles one routed call. */
    @FunctionalInterface
    interface Handler {
        Response handle(Call call) throws IOException;
    }

    /**
     * Receives the routes of a group: method, action (e.g. {@code array/full}), the scopes a request must hold
     * ({@link dev.tiledgateway.core.auth.Scopes}; every route declares them, none is assumed), handler.
     */
    interface Registrar {
        void add(String method, String action, java.util.Set<String> scopes, Handler handler);
    }

    void register(Registrar registrar);
}
