package dev.tiledgateway.indexer;

import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.indexer.apply.Applier;
import dev.tiledgateway.indexer.apply.Outcome;
import dev.tiledgateway.indexer.event.ObjectEvent;
import dev.tiledgateway.indexer.plan.KeyLayout;
import dev.tiledgateway.indexer.plan.Planner;
import dev.tiledgateway.indexer.plan.RegistrationPlan;
import dev.tiledgateway.indexer.plan.Target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Turns one object event into catalog changes: {@link Planner} (pure: event + store -> plan), then
 * {@link Applier} (idempotent, sequencer-conditional writes). Thread-safe; events about different
 * objects may be handled concurrently, and so may duplicates.
 *
 * <p>A node read from several objects (Zarr v2 metadata and attributes, the parts of a table) is checked
 * once more after it is written: the events of different objects carry incomparable sequencers, so an
 * event handled with an older reading of the store could otherwise overwrite a newer one. Re-reading
 * after the write and re-applying until the store agrees closes that gap.
 *
 * <p>{@link #process} throws {@link IOException} only for failures worth retrying (store or catalog
 * unreachable); an unreadable object is an {@link Outcome.Action#UNREADABLE} outcome.
 */
public final class Indexer {

    private static final int RECHECKS = 5;

    private final Catalog catalog;
    private final Planner planner;
    private final Applier applier;

    public Indexer(Catalog catalog, BlobStore store, IndexerSettings settings) {
        this.catalog = catalog;
        this.planner = new Planner(store, new KeyLayout(settings));
        this.applier = new Applier(catalog, store);
    }

    public Catalog catalog() { return catalog; }

    public Planner planner() { return planner; }

    /**
     * Whether skipping {@code event} is routine, not worth a log line: the object is one of many that every upload
     * brings and that are read with their node (Zarr chunks), or one of the gateway's own (results, spilled catalog
     * documents, the demo's tree: the settings' ignored prefixes).
     */
    public boolean routine(ObjectEvent event) {
        Optional<String> key = layout().storeKey(event.bucket(), event.key());
        if (key.isEmpty()) return false;
        for (String p : layout().settings().ignoredPrefixes()) if (key.get().startsWith(p)) return true;
        Target t = planner.targetOf(key.get());
        if (t instanceof Target.Ignored i) return i.routine();
        // what stands for another node's objects (a chunk of an array) is routine as well
        return !(t instanceof Target.Zarr || t instanceof Target.PartitionedTable || t instanceof Target.File);
    }

    public KeyLayout layout() { return planner.layout(); }

    public Outcome process(ObjectEvent event) throws IOException {
        try {
            RegistrationPlan plan = planner.plan(event);
            Outcome result = applier.apply(plan);
            for (int round = 0; plan.recheck() && wrote(result); round++) {
                if (round == RECHECKS) throw new IOException("the objects of " + plan.path() + " kept changing while being registered; try again");
                RegistrationPlan again = planner.plan(event);
                if (again.sameIntent(plan)) break;
                plan = again; // the store changed while we wrote: apply what it says now
                Outcome o = applier.apply(plan);
                if (!wrote(o)) break; // unchanged, or a newer event won (whose handler checks in turn)
                result = o;
            }
            return result;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static boolean wrote(Outcome o) {
        return o.action() == Outcome.Action.REGISTERED || o.action() == Outcome.Action.REMOVED;
    }
}
