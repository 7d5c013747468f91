package dev.tiledgateway.core.route;

import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.http.QueryParams;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.write.ManagedArea;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code DELETE /metadata/{path}?recursive=&external_only=} (spec §3.14). A node with children goes only with
 * {@code recursive=true}; a subtree holding data the gateway wrote goes only with {@code external_only=false}, and
 * then its managed objects go too, after the catalog no longer names them (a crash in between leaves unreferenced
 * objects, never a node without its data). The data of external nodes is never touched.
 */
public final class DeleteRoutes implements RouteGroup {

    private static final Logger LOG = Logger.getLogger(DeleteRoutes.class.getName());
    static final Set<String> DELETING = Set.of(Scopes.DELETE_NODE, Scopes.DELETE_REVISION);
    /** The most nodes one request walks to find the data it deletes; a larger subtree is deleted a part at a time. */
    static final int MAX_WALKED = 10_000;
    private static final int PAGE = 300;

    private final Nodes nodes;
    private final Catalog catalog;
    private final BlobStore store;

    public DeleteRoutes(Nodes nodes, BlobStore store) {
        this.nodes = nodes;
        this.catalog = nodes.catalog();
        this.store = store;
    }

    @Override
    public void register(Registrar r) {
        r.add("DELETE", "metadata", DELETING, this::delete);
    }

    private Response delete(Call call) throws IOException {
        QueryParams q = call.request().query();
        boolean recursive = q.getBool("recursive", false);
        boolean externalOnly = q.getBool("external_only", true);
        if (call.path().isRoot()) throw TiledException.notAllowed("The root cannot be deleted; delete its children");
        Node node = catalog.get(call.path()).orElseGet(() -> {
            nodes.lookup(call.path()); // 404 in Tiled's words, or a table's column:
            throw TiledException.notAllowed("A table's column cannot be deleted on its own; " + call.path() + " is part of the table " + call.path().parent());
        });
        boolean hasChildren = node.isContainer() && catalog.countChildren(node.path()) > 0;
        if (hasChildren && !recursive)
            throw TiledException.conflict("Cannot delete a node that is not empty. Delete its contents first or pass `recursive=True`.");
        Set<String> areas = managedAreas(node);
        if (!areas.isEmpty() && externalOnly)
            throw TiledException.conflict("Some items in this tree are internally managed. Deleting the records will also delete the underlying"
                    + " data files. If you want to delete them, pass external_only=False.");
        catalog.delete(node.path());
        for (String area : areas) {
            try {
                for (String k : store.list(area)) store.delete(k);
            } catch (IOException e) {
                // The node is gone; its objects are unreferenced and another delete of the area will not come: say so.
                LOG.log(Level.WARNING, "could not remove the written data under " + area + " of the deleted " + node.path(), e);
            }
        }
        return MetadataEncoding.respond(call, 200, Json.nullNode());
    }

    /** The managed areas of the writable data sources in the subtree at {@code root}. */
    private Set<String> managedAreas(Node root) {
        Set<String> areas = new LinkedHashSet<>();
        Deque<Node> todo = new ArrayDeque<>(List.of(root));
        int walked = 0;
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (++walked > MAX_WALKED)
                throw TiledException.badRequest("The tree under " + root.path() + " holds more than " + MAX_WALKED + " nodes; delete its parts first");
            if (n.dataSource() != null && n.dataSource().writable())
                for (Asset a : n.dataSource().assets()) if (a.key().startsWith(ManagedArea.PREFIX)) areas.add(ManagedArea.nodeArea(a.key()));
            if (!n.isContainer()) continue;
            List<Node> children = new ArrayList<>();
            for (long offset = 0; ; offset += PAGE) {
                List<Node> page = catalog.children(n.path(), List.of(), offset, PAGE);
                children.addAll(page);
                if (page.size() < PAGE || walked + children.size() > MAX_WALKED) break;
            }
            todo.addAll(children);
        }
        return areas;
    }

}
