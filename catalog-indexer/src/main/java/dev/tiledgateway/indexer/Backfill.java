package dev.tiledgateway.indexer;

import dev.tiledgateway.core.catalog.Sequencers;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.indexer.apply.Outcome;
import dev.tiledgateway.indexer.event.ObjectEvent;
import dev.tiledgateway.indexer.plan.Target;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Registers what is already in the store ({@code register PREFIX}): lists the prefix and runs an
 * ObjectCreated event per target (a Zarr node, a partitioned table, a file) through the same planner
 * and applier as live events.
 *
 * <p>Its events carry the lowest sequencer ({@link Sequencers#LOWEST}): a backfill never overrides what a
 * real event recorded about the same object (a newer upload, or a removal that overtook it), so it is safe
 * to run while events flow; and running it again re-reads every object, updating nodes whose content
 * changed without events (a local folder) and leaving the others untouched.
 */
public final class Backfill {

    /** How far along a backfill is: objects handled of those listed. */
    public record Progress(long done, long total) {}

    /**
     * @param counts   outcomes by action, one per target (Zarr chunks and other routine skips not counted)
     * @param skipped  skip reasons with up to {@link #EXAMPLES} keys each, and how many keys had that reason
     * @param unreadable every unreadable object with its reason
     * @param failed   objects that could not be handled now (store or catalog unreachable) with the error
     */
    public record Summary(Map<Outcome.Action, Integer> counts, Map<String, Skipped> skipped,
                          Map<String, String> unreadable, Map<String, String> failed, long objects, long routine) {

        public int count(Outcome.Action a) { return counts.getOrDefault(a, 0); }

        /** One line per action, then the reasons. */
        public String describe() {
            StringBuilder b = new StringBuilder();
            b.append(objects).append(" objects: ").append(count(Outcome.Action.REGISTERED)).append(" registered, ")
                    .append(count(Outcome.Action.UNCHANGED)).append(" unchanged, ")
                    .append(count(Outcome.Action.STALE)).append(" left as newer events recorded them, ")
                    .append(count(Outcome.Action.SKIPPED)).append(" skipped, ")
                    .append(unreadable.size()).append(" unreadable, ").append(failed.size()).append(" failed")
                    .append(routine > 0 ? " (" + routine + " Zarr chunks and similar not counted)" : "").append('\n');
            skipped.forEach((why, s) -> b.append("  skipped ").append(s.count()).append(": ").append(why).append(" e.g. ").append(s.examples()).append('\n'));
            unreadable.forEach((k, why) -> b.append("  unreadable ").append(k).append(": ").append(why).append('\n'));
            failed.forEach((k, why) -> b.append("  failed ").append(k).append(": ").append(why).append('\n'));
            return b.toString();
        }
    }

    public record Skipped(int count, List<String> examples) {}

    public static final int EXAMPLES = 5;

    @FunctionalInterface
    public interface ProgressListener { void progress(Progress p); }

    private final Indexer indexer;
    private final BlobStore store;

    public Backfill(Indexer indexer, BlobStore store) {
        this.indexer = indexer;
        this.store = store;
    }

    /** Registers every target under the store prefix {@code prefix} ("" for all). */
    public Summary run(String prefix, ProgressListener listener) throws IOException {
        List<String> keys = store.list(prefix == null ? "" : prefix);
        // One event per target: a Zarr array's .zarray and .zattrs, or a table's parts, are read together anyway.
        Map<Target, String> targets = new LinkedHashMap<>();
        Map<String, Set<String>> skippedKeys = new TreeMap<>();
        long routine = 0;
        for (String k : keys) {
            Target t = indexer.planner().targetOf(k);
            if (t instanceof Target.ZarrChunk) {
                routine++; // its array's registration reads the versions of all its chunks
                continue;
            }
            if (t instanceof Target.Ignored i) {
                if (i.routine()) routine++;
                else skippedKeys.computeIfAbsent(i.reason(), r -> new LinkedHashSet<>()).add(k);
                continue;
            }
            targets.putIfAbsent(t, k);
        }
        Map<Outcome.Action, Integer> counts = new EnumMap<>(Outcome.Action.class);
        Map<String, String> unreadable = new TreeMap<>();
        Map<String, String> failed = new TreeMap<>();
        counts.merge(Outcome.Action.SKIPPED, skippedKeys.values().stream().mapToInt(Set::size).sum(), Integer::sum);
        long total = targets.size();
        long done = 0;
        listener.progress(new Progress(0, total));
        for (String key : targets.values()) {
            ObjectEvent event = new ObjectEvent(ObjectEvent.Kind.CREATED, null, indexer.layout().objectKey(key), -1, Sequencers.LOWEST, Instant.now());
            try {
                Outcome o = indexer.process(event);
                counts.merge(o.action(), 1, Integer::sum);
                if (o.action() == Outcome.Action.UNREADABLE) unreadable.put(key, o.detail());
                if (o.action() == Outcome.Action.SKIPPED) skippedKeys.computeIfAbsent(o.detail(), r -> new LinkedHashSet<>()).add(key);
            } catch (IOException | RuntimeException e) {
                failed.put(key, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            listener.progress(new Progress(++done, total));
        }
        Map<String, Skipped> skipped = new LinkedHashMap<>();
        skippedKeys.forEach((why, ks) -> skipped.put(why, new Skipped(ks.size(), new ArrayList<>(ks).subList(0, Math.min(EXAMPLES, ks.size())))));
        return new Summary(counts, skipped, unreadable, failed, keys.size(), routine);
    }
}
