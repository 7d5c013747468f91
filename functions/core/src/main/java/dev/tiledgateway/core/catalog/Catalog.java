package dev.tiledgateway.core.catalog;

import dev.tiledgateway.core.path.NodePath;

import java.util.List;
import java.util.Optional;

/**
 * The catalog port: nodes by path, and each container's children in a stable order with an exact count.
 * Implementations must be safe for concurrent use.
 */
public interface Catalog {

    /** The node at {@code path}; the root always exists. */
    Optional<Node> get(NodePath path);

    /** Exact number of direct children of {@code parent}. */
    long countChildren(NodePath parent);

    /**
     * Direct children of {@code parent} in {@code sort} order (empty list = default order,
     * ties broken by creation order), skipping {@code offset}, at most {@code limit}.
     *
     * @throws dev.tiledgateway.core.error.TiledException (400) for a sort key the catalog cannot order by
     */
    List<Node> children(NodePath parent, List<SortKey> sort, long offset, int limit);

    /**
     * Creates or replaces the node at {@code node.path()}; its parent must exist and be a container.
     * Returns the stored node, with the revision the catalog assigned.
     */
    Node put(Node node);

    /** Removes a node and everything below it; false if there was nothing. */
    boolean delete(NodePath path);
}
