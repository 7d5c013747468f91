package dev.tiledgateway.core.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.query.Distinct;
import dev.tiledgateway.core.query.Query;
import dev.tiledgateway.core.query.Scan;
import dev.tiledgateway.core.query.SearchPage;

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
     * The direct children of {@code parent} that pass every filter (ANDed), in {@code sort} order as
     * {@link #children}, skipping {@code offset}, at most {@code limit}, with the exact number of matches. The
     * result must equal evaluating {@link Query#matches} on every child. The default does exactly that
     * ({@link Scan}); catalogs answer the queries they index from their indexes.
     *
     * @throws dev.tiledgateway.core.error.TiledException 400 for a sort key the catalog cannot order by, or a
     *         search that would evaluate filters on more children than the catalog allows
     */
    default SearchPage search(NodePath parent, List<Query> filters, List<SortKey> sort, long offset, int limit) {
        return Scan.search(this, parent, filters, sort, offset, limit);
    }

    /**
     * {@link #search} under a container as just read: a catalog that read its number of children with it
     * ({@link Node#knownChildren}) may answer a listing's count from that instead of reading it again.
     */
    default SearchPage search(Node parent, List<Query> filters, List<SortKey> sort, long offset, int limit) {
        return search(parent.path(), filters, sort, offset, limit);
    }

    /** Distinct values among the direct children of {@code parent} that pass every filter; see {@link Distinct}. */
    default Distinct distinct(NodePath parent, List<Query> filters, Distinct.Request request) {
        return Scan.distinct(this, parent, filters, request);
    }

    /**
     * Creates or replaces the node at {@code node.path()}; its parent must exist and be a container.
     * Returns the stored node, with the revision the catalog assigned.
     */
    Node put(Node node);

    /** Removes a node and everything below it; false if there was nothing. */
    boolean delete(NodePath path);

    // ---- registration from storage events (the catalog-indexer). Adapters override all four; the
    // defaults only keep other implementations compiling and refuse at run time.

    /**
     * Creates or replaces the node like {@link #put}, but only if {@code sequencer} is newer than the last
     * event applied for ({@code node.path()}, {@code source}), by this method or {@link #removeIfNewer}.
     * The same sequencer again is applied too (a redelivered event re-reads the store), unless it was
     * applied as a removal. The check and the write are one atomic step, and the record of the last
     * sequencer outlives the node (a tombstone), so an old creation that arrives after a newer removal
     * stays ignored. When the stored node already has this content only the sequencer is recorded and
     * the revision stays.
     *
     * @param source    the stored object the event is about (e.g. an object key); sequencers are only
     *                  compared within one (path, source)
     * @param sequencer a hex string, compared by value ({@link Sequencers})
     * @return the stored node, or empty when the event is stale
     * @throws dev.tiledgateway.core.error.TiledException as {@link #put} (404 no parent, 409 parent not a container)
     */
    default Optional<Node> putIfNewer(Node node, String source, String sequencer) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support registration from storage events");
    }

    /**
     * Removes the node at {@code path} (and everything below it, as {@link #delete}) if {@code sequencer} is
     * newer than, or equal to a creation, the last event applied for ({@code path}, {@code source}), and
     * records the removal even when there is no node, so that older creations arriving later are ignored.
     *
     * @return true when the removal was applied (whether or not a node was there), false when stale
     */
    default boolean removeIfNewer(NodePath path, String source, String sequencer) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support registration from storage events");
    }

    /**
     * Replaces the node at {@code node.path()} only if it is still at {@code revision}, in one atomic step (a
     * compare-and-set): never creates one, never overwrites a newer one.
     *
     * @return the stored node with its new revision, or empty when the node is gone or at another revision
     * @throws dev.tiledgateway.core.error.TiledException (409) for a container with children replaced by a non-container
     */
    default Optional<Node> replaceIfRevision(Node node, long revision) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support conditional replacement");
    }

    // ---- metadata updates with revisions (PUT and PATCH /metadata, /revisions). Writable catalogs override all four.

    /**
     * Replaces the metadata and specs of the node at {@code path}, keeping its family, structure, data source and
     * sorting, only if it is still at {@code expectedRevision}; unless {@code saveRevision} is false, its previous
     * metadata and specs become its next {@link Revision}. The node, its search index and the revision are written in
     * one atomic step: after any failure either all of it happened or none. The node's revision goes up as for any
     * replacement.
     *
     * <p>Registration from storage events keeps what an update wrote: a node whose metadata was ever updated this way
     * keeps its metadata and specs when {@link #putIfNewer} registers it again (its structure and data source follow the
     * stored object as before). Revisions go with their node: whatever removes the node removes them.
     *
     * @return the stored node, or empty when the node is gone or at another revision (the caller reads it again)
     * @throws dev.tiledgateway.core.error.TiledException 413 for metadata over {@link Node#MAX_METADATA_BYTES}
     */
    default Optional<Node> updateMetadata(NodePath path, long expectedRevision, ObjectNode metadata,
                                          List<Spec> specs, boolean saveRevision) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support metadata updates");
    }

    /** The revisions of the node at {@code path}, by ascending number, skipping {@code offset}, at most {@code limit}; none for no node. */
    default List<Revision> revisions(NodePath path, long offset, int limit) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support metadata revisions");
    }

    /** How many revisions the node at {@code path} has (0 for no node). */
    default long countRevisions(NodePath path) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support metadata revisions");
    }

    /** Removes revision {@code number} of the node at {@code path}; false when there is no such revision. The node is not changed. */
    default boolean deleteRevision(NodePath path, long number) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support metadata revisions");
    }

    /**
     * The last event applied for each source of the node at {@code path} by {@link #putIfNewer} and
     * {@link #removeIfNewer}, tombstones included, in no particular order; empty when none was (a node written
     * by {@link #put}, or no node). A backfill reads them before it reads the store, to re-deliver the last
     * event of an object whose state it observes: that event's sequencer, being the newest applied, is refused
     * only if a newer event is applied meanwhile.
     */
    default List<Registration> registrations(NodePath path) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support registration from storage events");
    }

    /**
     * Stores {@code node} only if nothing is at its path: never replaces. Concurrent callers agree on one winner.
     *
     * @return the created node, or empty when a node already existed (the root always does)
     * @throws dev.tiledgateway.core.error.TiledException as {@link #put} (404 no parent, 409 parent not a container)
     */
    default Optional<Node> createIfAbsent(Node node) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support registration from storage events");
    }

    /**
     * Removes the node at {@code path} if, in one atomic step, it is a container without children, metadata
     * or specs (a folder created on demand and never annotated); false otherwise and for the root.
     */
    default boolean removeIfEmptyContainer(NodePath path) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support registration from storage events");
    }
}
