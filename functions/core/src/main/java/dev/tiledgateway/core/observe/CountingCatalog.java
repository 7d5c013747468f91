package dev.tiledgateway.core.observe;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Registration;
import dev.tiledgateway.core.catalog.Revision;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.query.Distinct;
import dev.tiledgateway.core.query.Query;
import dev.tiledgateway.core.query.SearchPage;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link Catalog} that hands every call to another and charges it, with its time, to the current request's
 * {@link RequestTrace}. Every method forwards, the defaults included, so the catalog's own search indexes answer as
 * before and one call here is one call of the port.
 */
public final class CountingCatalog implements Catalog {

    private final Catalog delegate;

    public CountingCatalog(Catalog delegate) { this.delegate = delegate; }

    /** The wrapped catalog. */
    public Catalog delegate() { return delegate; }

    private static <T> T timed(Supplier<T> call) {
        RequestTrace t = RequestTrace.current();
        if (t == null) return call.get();
        long start = System.nanoTime();
        try {
            return call.get();
        } finally {
            RequestTrace.charge(t, RequestTrace.Port.CATALOG, System.nanoTime() - start);
        }
    }

    @Override
    public Optional<Node> get(NodePath path) { return timed(() -> delegate.get(path)); }

    @Override
    public long countChildren(NodePath parent) { return timed(() -> delegate.countChildren(parent)); }

    @Override
    public List<Node> children(NodePath parent, List<SortKey> sort, long offset, int limit) {
        return timed(() -> delegate.children(parent, sort, offset, limit));
    }

    @Override
    public SearchPage search(NodePath parent, List<Query> filters, List<SortKey> sort, long offset, int limit) {
        return timed(() -> delegate.search(parent, filters, sort, offset, limit));
    }

    @Override
    public SearchPage search(Node parent, List<Query> filters, List<SortKey> sort, long offset, int limit) {
        return timed(() -> delegate.search(parent, filters, sort, offset, limit));
    }

    @Override
    public Distinct distinct(NodePath parent, List<Query> filters, Distinct.Request request) {
        return timed(() -> delegate.distinct(parent, filters, request));
    }

    @Override
    public Node put(Node node) { return timed(() -> delegate.put(node)); }

    @Override
    public boolean delete(NodePath path) { return timed(() -> delegate.delete(path)); }

    @Override
    public Optional<Node> putIfNewer(Node node, String source, String sequencer) { return timed(() -> delegate.putIfNewer(node, source, sequencer)); }

    @Override
    public boolean removeIfNewer(NodePath path, String source, String sequencer) { return timed(() -> delegate.removeIfNewer(path, source, sequencer)); }

    @Override
    public Optional<Node> replaceIfRevision(Node node, long revision) { return timed(() -> delegate.replaceIfRevision(node, revision)); }

    @Override
    public Optional<Node> updateMetadata(NodePath path, long expectedRevision, ObjectNode metadata, List<Spec> specs, boolean saveRevision) {
        return timed(() -> delegate.updateMetadata(path, expectedRevision, metadata, specs, saveRevision));
    }

    @Override
    public List<Revision> revisions(NodePath path, long offset, int limit) { return timed(() -> delegate.revisions(path, offset, limit)); }

    @Override
    public long countRevisions(NodePath path) { return timed(() -> delegate.countRevisions(path)); }

    @Override
    public boolean deleteRevision(NodePath path, long number) { return timed(() -> delegate.deleteRevision(path, number)); }

    @Override
    public List<Registration> registrations(NodePath path) { return timed(() -> delegate.registrations(path)); }

    @Override
    public Optional<Node> createIfAbsent(Node node) { return timed(() -> delegate.createIfAbsent(node)); }

    @Override
    public boolean removeIfEmptyContainer(NodePath path) { return timed(() -> delegate.removeIfEmptyContainer(path)); }
}
