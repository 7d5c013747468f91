package dev.tiledgateway.core.route;

import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.http.QueryParams;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.write.ManagedArea;

import java.io.IOException;
import java.util.Optional;

/**
 * The nodes whose data the gateway writes, and the one way a write is committed: a compare-and-set of the node
 * ({@link Catalog#replaceIfRevision}) that gives its data a fresh fingerprint, so its revision, ETags, cached readers
 * and materialised results move with every write. A lost race is retried on the node as it is now.
 */
final class WrittenNodes {

    /** Compare-and-set attempts before a write gives up with a 503 (the client retries those). */
    private static final int ATTEMPTS = 20;

    /** The change a write makes to the node as it is now; called again with the newer node when a race is lost. */
    @FunctionalInterface
    interface Change {
        Node apply(Node current) throws IOException;
    }

    private final Nodes nodes;
    private final Catalog catalog;

    WrittenNodes(Nodes nodes) {
        this.nodes = nodes;
        this.catalog = nodes.catalog();
    }

    /** The node at the call's path, of {@code family}, with data the gateway manages; else 404 or 405. */
    Node writable(Call call, StructureFamily family) {
        Node node = nodes.lookup(call.path());
        if (node.family() != family) throw TiledException.notFound("No such " + family.wire() + ": " + call.path() + " is a " + node.family().wire());
        DataSource ds = node.dataSource();
        if (ds == null || !ds.writable() || ds.assets().isEmpty() || !ds.assets().getFirst().key().startsWith(ManagedArea.PREFIX))
            throw TiledException.notAllowed("The data of " + call.path() + " cannot be written through the API: it is external data"
                    + " (registered from files the gateway only reads). Only nodes created with POST /metadata are writable.");
        return node;
    }

    /** Commits {@code change} to the node read as {@code read}, retrying on the node as it then is. */
    Node commit(Node read, Change change) throws IOException {
        Node current = read;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Node next = change.apply(current);
            Node fresh = new Node(next.path(), next.family(), next.metadata(), next.specs(), next.structure(),
                    next.dataSource().withFingerprint(ManagedArea.freshFingerprint()), next.sorting(), next.revision());
            Optional<Node> stored = catalog.replaceIfRevision(fresh, current.revision());
            if (stored.isPresent()) return stored.get();
            current = catalog.get(read.path()).orElseThrow(() -> gone(read.path()));
            if (current.dataSource() == null || !current.dataSource().writable()) throw gone(read.path());
        }
        throw TiledException.busy("The node " + read.path() + " is being written by others; try again", 1);
    }

    private static TiledException gone(NodePath path) {
        return TiledException.notFound("The node " + path + " was deleted or replaced while it was written");
    }

    /** The node with its data source's first asset at {@code key} (a new version of its data). */
    static Node withAsset(Node n, String key) {
        DataSource ds = n.dataSource();
        java.util.List<dev.tiledgateway.core.catalog.Asset> assets = new java.util.ArrayList<>(ds.assets());
        var first = assets.getFirst();
        assets.set(0, new dev.tiledgateway.core.catalog.Asset(key, first.directory(), first.parameter()));
        return new Node(n.path(), n.family(), n.metadata(), n.specs(), n.structure(), new DataSource(ds.mimetype(), assets, ds.fingerprint(), ds.management()),
                n.sorting(), n.revision());
    }

    static Node withStructure(Node n, com.fasterxml.jackson.databind.JsonNode structure) {
        return new Node(n.path(), n.family(), n.metadata(), n.specs(), structure, n.dataSource(), n.sorting(), n.revision());
    }

    /** 400 for {@code persist=false}: Tiled streams such writes to subscribers without storing them; the gateway always stores. */
    static void checkPersist(QueryParams q) {
        if (!q.getBool("persist", true))
            throw TiledException.badRequest("persist=false (streaming to subscribers without storing) is not supported; the data is always stored");
    }

    /** The {@code extend} of a {@code PATCH} that appends or grows (spec §3.5, §3.10), refused with {@code persist=false}. */
    static boolean extend(QueryParams q) {
        boolean extend = q.getBool("extend", false);
        if (extend && !q.getBool("persist", true)) throw TiledException.badRequest("extend=true cannot be combined with persist=false");
        checkPersist(q);
        return extend;
    }
}
