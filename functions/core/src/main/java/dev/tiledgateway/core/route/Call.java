package dev.tiledgateway.core.route;

import dev.tiledgateway.core.http.Request;
import dev.tiledgateway.core.path.NodePath;

/** One routed request: the request, the API base URL links are built from, and the node path it names. */
public record Call(Request request, String base, NodePath path) {

    /** {@code {base}/{action}/{path}}, with the trailing slash Tiled uses for the root. */
    public String link(String action, NodePath p) {
        return base + "/" + action + "/" + p.urlEncoded();
    }
}
