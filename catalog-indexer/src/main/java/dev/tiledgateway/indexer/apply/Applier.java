package dev.tiledgateway.indexer.apply;

import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.ObjectVersion;
import dev.tiledgateway.indexer.plan.KeyLayout;
import dev.tiledgateway.indexer.plan.RegistrationPlan;
import dev.tiledgateway.indexer.plan.Step;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The effectful half of the indexer: runs a {@link RegistrationPlan} against the catalog. Every node
 * write is a {@code putIfNewer}/{@code removeIfNewer} under the event's source and sequencer, so applying
 * a plan twice, or an older plan after a newer one, changes nothing. Folders are created with
 * {@code createIfAbsent} (an existing container keeps its metadata) and removed only while bare, childless
 * and empty in the store.
 *
 * <p>Catalog failures to reach the service propagate ({@link java.io.UncheckedIOException}: retry later);
 * a 409 (a path already used by a leaf) is a skip with its reason.
 */
public final class Applier {

    /** Attempts when a folder disappears under a registration (a concurrent prune). */
    private static final int ATTEMPTS = 5;

    private final Catalog catalog;
    private final BlobStore store;

    public Applier(Catalog catalog, BlobStore store) {
        this.catalog = catalog;
        this.store = store;
    }

    public Outcome apply(RegistrationPlan plan) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return run(plan);
            } catch (TiledException e) {
                if (e.status() == 404 && attempt < ATTEMPTS) continue; // a folder was pruned meanwhile: create it again
                if (e.status() >= 500 || e.status() == 404) throw new IOException("registering " + plan.source() + ": " + e.getMessage(), e);
                return Outcome.of(Outcome.Action.SKIPPED, plan.source(), plan.path(), e.getMessage());
            }
        }
    }

    private Outcome run(RegistrationPlan plan) throws IOException {
        String source = plan.source();
        String sequencer = plan.event().sequencer();
        Outcome outcome = null;
        boolean removed = false;
        for (Step step : plan.steps()) {
            switch (step) {
                case Step.EnsureContainers e -> {
                    Optional<String> blocked = ensure(e.folders());
                    if (blocked.isPresent()) return Outcome.of(Outcome.Action.SKIPPED, source, plan.path(), blocked.get());
                }
                case Step.Put p -> {
                    outcome = put(p, source, sequencer);
                    if (outcome.action() == Outcome.Action.STALE) {
                        // The folders ensured for it may be left over from a removal that already pruned: prune again.
                        for (Step s : plan.steps()) if (s instanceof Step.EnsureContainers e) prune(innermostFirst(e.folders()));
                    }
                }
                case Step.Remove r -> {
                    outcome = remove(r, source, sequencer);
                    removed = outcome.action() == Outcome.Action.REMOVED && outcome.detail() == null;
                }
                case Step.Refresh r -> outcome = refresh(r, source);
                case Step.PruneEmpty p -> prune(p.folders());
                case Step.Skip s -> {
                    if (removed) return Outcome.of(Outcome.Action.REMOVED, source, plan.path(), s.reason());
                    return Outcome.of(s.unreadable() ? Outcome.Action.UNREADABLE : Outcome.Action.SKIPPED, source, plan.path(), s.reason());
                }
            }
        }
        if (outcome == null) throw new IllegalStateException("a plan without a decisive step: " + plan);
        return outcome;
    }

    /** Empty when every folder is a container now; else why the registration cannot go there. */
    private Optional<String> ensure(List<KeyLayout.Folder> folders) {
        for (KeyLayout.Folder f : folders) {
            Optional<Node> n = catalog.get(f.path());
            if (n.isEmpty()) n = catalog.createIfAbsent(Node.container(f.path(), Json.object(), List.of())).or(() -> catalog.get(f.path()));
            if (n.isPresent() && !n.get().isContainer())
                return Optional.of("the folder " + f.prefix() + " maps to " + f.path() + ", which is a " + n.get().family().wire() + ", not a container");
        }
        return Optional.empty();
    }

    private Outcome put(Step.Put p, String source, String sequencer) {
        Node node = p.node();
        Optional<Node> existing = catalog.get(node.path());
        if (existing.isPresent() && writtenThroughApi(existing.get()))
            return Outcome.of(Outcome.Action.SKIPPED, source, node.path(), WRITTEN);
        if (existing.isPresent() && !sameOrigin(existing.get(), node, p.origin()))
            return Outcome.of(Outcome.Action.SKIPPED, source, node.path(), "name collision: " + node.path() + " is already "
                    + describe(existing.get()) + "; " + p.origin() + " is not registered");
        Optional<Node> stored = catalog.putIfNewer(node, source, sequencer);
        if (stored.isEmpty()) return Outcome.of(Outcome.Action.STALE, source, node.path(), "a newer event about " + source + " was applied");
        boolean changed = existing.isEmpty() || existing.get().revision() != stored.get().revision();
        return Outcome.of(changed ? Outcome.Action.REGISTERED : Outcome.Action.UNCHANGED, source, node.path(), null);
    }

    /**
     * Moves the array's fingerprint on from what it is now: read, then replace only if still that revision
     * (a removal or a re-registration meanwhile wins; the next reading decides). No sequencer: a chunk's
     * event only says "the data under this array changed", which is true whenever it is handled, and every
     * refresh gives a fingerprint never used before, so a late or repeated one costs a revision, never stale data.
     */
    private Outcome refresh(Step.Refresh r, String source) throws IOException {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Optional<Node> existing = catalog.get(r.path());
            if (existing.isPresent() && writtenThroughApi(existing.get())) return Outcome.of(Outcome.Action.SKIPPED, source, r.path(), WRITTEN);
            if (existing.isEmpty() || !r.origin().equals(origin(existing.get())))
                return Outcome.of(Outcome.Action.SKIPPED, source, r.path(), "no array registered from " + r.origin() + " (yet): its metadata object registers it");
            Node n = existing.get();
            String next = ObjectVersion.next(n.dataSource().fingerprint(), r.chunk(), r.version());
            Node refreshed = new Node(n.path(), n.family(), n.metadata(), n.specs(), n.structure(), n.dataSource().withFingerprint(next), n.sorting(), n.revision());
            if (catalog.replaceIfRevision(refreshed, n.revision()).isPresent())
                return Outcome.of(Outcome.Action.REGISTERED, source, r.path(), r.version() == null ? "a chunk was removed" : "a chunk was written");
        }
        throw new IOException("the node " + r.path() + " kept changing while its data was refreshed; try again");
    }

    private Outcome remove(Step.Remove r, String source, String sequencer) {
        Optional<Node> existing = catalog.get(r.path());
        if (existing.isPresent() && writtenThroughApi(existing.get())) return Outcome.of(Outcome.Action.SKIPPED, source, r.path(), WRITTEN);
        if (existing.isPresent() && existing.get().isContainer() && r.origin().endsWith("/")) {
            // A folder's container (a Zarr group whose metadata went, or a plain folder): its children have
            // their own events, so it only loses its attributes here; pruning removes it once empty.
            Node bare = Node.container(r.path(), Json.object(), List.of());
            if (catalog.putIfNewer(bare, source, sequencer).isEmpty())
                return Outcome.of(Outcome.Action.STALE, source, r.path(), "a newer event about " + source + " was applied");
            return Outcome.of(Outcome.Action.REMOVED, source, r.path(), existing.get().isBareContainer() ? "a folder, left to pruning" : "group attributes removed");
        }
        if (existing.isPresent() && !r.origin().equals(origin(existing.get())))
            return Outcome.of(Outcome.Action.SKIPPED, source, r.path(), r.path() + " is " + describe(existing.get()) + ", not from " + r.origin());
        if (!catalog.removeIfNewer(r.path(), source, sequencer))
            return Outcome.of(Outcome.Action.STALE, source, r.path(), "a newer event about " + source + " was applied");
        return Outcome.of(Outcome.Action.REMOVED, source, r.path(), existing.isEmpty() ? "no node; the removal is recorded" : null);
    }

    /** Removes the folders' containers innermost first, stopping at the first that still holds something. */
    private void prune(List<KeyLayout.Folder> folders) {
        for (KeyLayout.Folder f : folders) {
            Optional<Node> n = catalog.get(f.path());
            if (n.isEmpty()) continue;
            if (!n.get().isBareContainer() || catalog.countChildren(f.path()) > 0) return;
            try {
                if (!store.list(f.prefix()).isEmpty()) return; // unregistered objects are still there
            } catch (IOException e) {
                return; // pruning is tidying: a later removal tries again
            }
            if (!catalog.removeIfEmptyContainer(f.path())) return;
        }
    }

    private static List<KeyLayout.Folder> innermostFirst(List<KeyLayout.Folder> folders) {
        return folders.reversed();
    }

    private static final String WRITTEN = "the node there was created and written through the API; the indexer never replaces or removes it";

    /** Data the gateway wrote itself (POST /metadata, then PUT): the API owns it, never the storage events. */
    static boolean writtenThroughApi(Node n) {
        return n.dataSource() != null && n.dataSource().writable();
    }

    /** What a node was read from: its first asset's key; null for containers and nodes without a data source. */
    static String origin(Node n) {
        DataSource ds = n.dataSource();
        return ds == null || ds.assets().isEmpty() ? null : ds.assets().getFirst().key();
    }

    private static boolean sameOrigin(Node existing, Node node, String origin) {
        if (existing.isContainer() || node.isContainer()) return existing.isContainer() && node.isContainer();
        return origin.equals(origin(existing));
    }

    private static String describe(Node n) {
        String o = origin(n);
        return "a " + n.family().wire() + (o == null ? "" : " read from " + o);
    }
}
