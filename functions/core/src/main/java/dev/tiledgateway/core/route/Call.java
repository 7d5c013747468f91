package dev.tiledgateway.core.route;

import dev.tiledgateway.core.auth.Access;
import dev.tiledgateway.core.auth.Verdict;
import dev.tiledgateway.core.http.Request;
import dev.tiledgateway.core.path.NodePath;

/**
 * One routed request: the request, the API base URL links are built from, the node path it names, and the
 * gateway's access settings.
 */
public record Call(Request request, String base, NodePath path, Access access) {

    /** What the authorizer concluded (or, where none ran, what an anonymous request holds here). */
    public Verdict verdict() { return request.auth() != null ? request.auth() : access.unresolved(); }

    /** {@code {base}/{action}/{path}}, with the trailing slash Tiled uses for the root. */
    public String link(String action, NodePath p) {
        return base + "/" + action + "/" + p.urlEncoded();
    }
}
