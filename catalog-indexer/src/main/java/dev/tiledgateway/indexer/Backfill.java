package dev.tiledgateway.indexer;

import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Registration;
import dev.tiledgateway.core.catalog.Sequencers;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.indexer.apply.Outcome;
import dev.tiledgateway.indexer.event.ClockSequencer;
import dev.tiledgateway.indexer.event.ObjectEvent;
import dev.tiledgateway.indexer.plan.KeyLayout;
import dev.tiledgateway.indexer.plan.Target;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Registers what is already in the store under a folder prefix ({@code register PREFIX}, and {@code serve directory}
 * at start), and removes the nodes registered from objects under it that are gone.
 *
 * <p>It lists the prefix and runs one event per <em>entry</em> (what can become one node: a file, a Zarr array or
 * group, a folder of Parquet parts) through the same planner and applier as live events; entries whose objects
 * were registered before but are no longer listed (found through the catalog's {@link Catalog#registrations}) get a
 * removal event first, so a name they held is free for what is there now. The planner reads the store itself
 * whatever the event's kind, so an event only says "look again".
 *
 * <p>How those events are sequenced against the real events of the same objects is the {@link Sequencing}: a
 * backfill never overrides an event newer than what it observed, and what it observes now (an object changed,
 * or gone) still applies over what earlier events recorded.
 */
public final class Backfill {

    /** How the backfill's events order against the real events of the same objects. */
    public enum Sequencing {
        /**
         * For a bucket, whose real events carry S3's sequencers (which no one else can produce): each event
         * re-delivers the last event applied for its (node, object), read from the catalog before the store is
         * read, or carries the {@link Sequencers#LOWEST lowest} sequencer when none was. A re-delivered creation is
         * applied again (the catalog's contract), so a creation or a removal observed now applies over the
         * creation recorded before, while any event applied meanwhile is newer and wins. An object whose last event
         * removed it stays removed until its next event arrives (S3 sends one for every upload).
         */
        REDELIVER,
        /**
         * For a watched local folder, whose real events carry {@link ClockSequencer} values: nothing but a backfill
         * learns what changed while nothing watched, so each event is "now" on that clock, after every event
         * applied before it and before every change the watcher reports later.
         */
        CLOCK
    }

    /** How far along a backfill is: entries checked of those found. */
    public record Progress(long done, long total) {}

    /**
     * What a backfill found and did. The {@code objects} listed split into those {@code read} for the entries,
     * the {@code routine} ones read with their node and not counted (Zarr chunks, consolidated metadata), and the
     * {@code ignored} ones (hidden names, the gateway's own objects), with reasons. The {@code entries} found and
     * the {@code gone} ones (registered before, no object left) are each counted once in {@code counts} or
     * {@code failed}: {@link #checked()} is their sum, and the progress bar's total.
     *
     * @param counts     outcomes by action ({@link Outcome.Action#UNREADABLE} ones also in {@code unreadable})
     * @param skipped    reasons entries were not registered, with up to {@link #EXAMPLES} keys each and their number
     * @param ignored    reasons objects were ignored by their names, likewise
     * @param unreadable every unreadable entry with its reason
     * @param failed     entries that could not be handled now (store or catalog unreachable) with the error
     */
    public record Summary(String prefix, long objects, long read, long routine, Map<String, Skipped> ignored, long entries, long gone,
                          Map<Outcome.Action, Integer> counts, Map<String, Skipped> skipped, Map<String, String> unreadable,
                          Map<String, String> failed) {

        public int count(Outcome.Action a) { return counts.getOrDefault(a, 0); }

        /** Entries and gone entries: what the progress bar counted. */
        public long checked() { return entries + gone; }

        public long ignoredObjects() {
            long n = 0;
            for (Skipped s : ignored.values()) n += s.count();
            return n;
        }

        /** Every checked entry failed (none was handled): nothing was done. */
        public boolean allFailed() { return checked() > 0 && failed.size() == checked(); }

        /** Two lines that add up (objects, then entries by outcome), then the reasons. */
        public String describe() {
            StringBuilder b = new StringBuilder();
            b.append(objects).append(objects == 1 ? " object" : " objects").append(prefix.isEmpty() ? "" : " under " + prefix).append(": ")
                    .append(read).append(" read as ").append(entries).append(entries == 1 ? " entry" : " entries")
                    .append(", ").append(routine).append(" Zarr chunks and the like read with their nodes (not counted), ")
                    .append(ignoredObjects()).append(" ignored by name\n");
            b.append(checked()).append(" checked (").append(entries).append(" found, ").append(gone).append(" whose objects are gone): ")
                    .append(count(Outcome.Action.REGISTERED)).append(" registered, ")
                    .append(count(Outcome.Action.UNCHANGED)).append(" unchanged, ")
                    .append(count(Outcome.Action.REMOVED)).append(" removed, ")
                    .append(count(Outcome.Action.STALE)).append(" left as newer events recorded them, ")
                    .append(count(Outcome.Action.SKIPPED)).append(" skipped, ")
                    .append(unreadable.size()).append(" unreadable, ").append(failed.size()).append(" failed\n");
            skipped.forEach((why, s) -> b.append("  skipped ").append(s.count()).append(": ").append(why).append(" e.g. ").append(s.examples()).append('\n'));
            ignored.forEach((why, s) -> b.append("  ignored ").append(s.count()).append(": ").append(why).append(" e.g. ").append(s.examples()).append('\n'));
            unreadable.forEach((k, why) -> b.append("  unreadable ").append(k).append(": ").append(why).append('\n'));
            failed.forEach((k, why) -> b.append("  failed ").append(k).append(": ").append(why).append('\n'));
            return b.toString();
        }
    }

    public record Skipped(int count, List<String> examples) {}

    public static final int EXAMPLES = 5;

    @FunctionalInterface
    public interface ProgressListener { void progress(Progress p); }

    private static final int PAGE = 1000;

    private final Indexer indexer;
    private final BlobStore store;
    private final Catalog catalog;
    private final Sequencing sequencing;

    /** A backfill of a bucket ({@link Sequencing#REDELIVER}). */
    public Backfill(Indexer indexer, BlobStore store) {
        this(indexer, store, Sequencing.REDELIVER);
    }

    public Backfill(Indexer indexer, BlobStore store, Sequencing sequencing) {
        this.indexer = indexer;
        this.store = store;
        this.catalog = indexer.catalog();
        this.sequencing = sequencing;
    }

    /**
     * The store-key prefix of the folder {@code prefix} names: whole path segments, so {@code proj} and
     * {@code proj/} both mean the folder {@code proj} (and never {@code projX/}); "" or "/" is everything.
     *
     * @throws IllegalArgumentException for an empty segment ({@code a//b}) or a {@code .}/{@code ..} segment
     */
    public static String folderPrefix(String prefix) {
        String p = prefix == null ? "" : prefix.strip();
        while (p.startsWith("/")) p = p.substring(1);
        while (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        if (p.isEmpty()) return "";
        for (String seg : p.split("/", -1)) {
            if (seg.isEmpty()) throw new IllegalArgumentException("the prefix '" + prefix + "' has an empty path segment");
            if (seg.equals(".") || seg.equals("..")) throw new IllegalArgumentException("the prefix '" + prefix + "' has a '" + seg + "' segment");
        }
        return p + "/";
    }

    /** Registers every entry under the folder {@code prefix} ("" for all; see {@link #folderPrefix}) and removes gone ones. */
    public Summary run(String prefix, ProgressListener listener) throws IOException {
        String folder = folderPrefix(prefix);
        List<String> keys = store.list(folder);
        // One event per entry: a Zarr array's .zarray and .zattrs, or a table's parts, are read together anyway.
        Map<Target, List<String>> targets = new LinkedHashMap<>();
        Map<String, Set<String>> ignoredKeys = new TreeMap<>();
        long routine = 0;
        long read = 0;
        for (String k : keys) {
            Target t = indexer.planner().targetOf(k);
            if (t instanceof Target.ZarrChunk) {
                routine++; // its array's registration reads the versions of all its chunks
                continue;
            }
            if (t instanceof Target.Ignored i) {
                if (i.routine()) routine++;
                else ignoredKeys.computeIfAbsent(i.reason(), r -> new LinkedHashSet<>()).add(k);
                continue;
            }
            if (pathOf(t).isEmpty()) { // a variant standing for another entry's objects (chunks): read with it
                routine++;
                continue;
            }
            read++;
            targets.computeIfAbsent(t, x -> new ArrayList<>()).add(k);
        }
        Map<Target, Gone> gone = gone(folder, targets.keySet());

        Map<Outcome.Action, Integer> counts = new EnumMap<>(Outcome.Action.class);
        Map<String, Set<String>> skippedKeys = new TreeMap<>();
        Map<String, String> unreadable = new TreeMap<>();
        Map<String, String> failed = new TreeMap<>();
        long total = gone.size() + targets.size();
        long done = 0;
        listener.progress(new Progress(0, total));
        // Removals first: a name that a gone object held is then free for what is there now.
        for (Gone g : gone.values()) {
            handle(ObjectEvent.Kind.REMOVED, g.source(), g.sequencer(), counts, skippedKeys, unreadable, failed);
            listener.progress(new Progress(++done, total));
        }
        for (Map.Entry<Target, List<String>> t : targets.entrySet()) {
            String key;
            String sequencer;
            try {
                String[] chosen = creation(pathOf(t.getKey()).orElseThrow(), t.getValue());
                key = chosen[0];
                sequencer = chosen[1];
            } catch (RuntimeException e) {
                failed.put(t.getValue().getFirst(), describe(e));
                listener.progress(new Progress(++done, total));
                continue;
            }
            handle(ObjectEvent.Kind.CREATED, key, sequencer, counts, skippedKeys, unreadable, failed);
            listener.progress(new Progress(++done, total));
        }
        return new Summary(folder, keys.size(), read, routine, examples(ignoredKeys), targets.size(), gone.size(), counts,
                examples(skippedKeys), unreadable, failed);
    }

    private void handle(ObjectEvent.Kind kind, String key, String sequencer, Map<Outcome.Action, Integer> counts,
                        Map<String, Set<String>> skippedKeys, Map<String, String> unreadable, Map<String, String> failed) {
        ObjectEvent event = new ObjectEvent(kind, null, indexer.layout().objectKey(key), -1, sequencer, Instant.now());
        try {
            Outcome o = indexer.process(event);
            counts.merge(o.action(), 1, Integer::sum);
            if (o.action() == Outcome.Action.UNREADABLE) unreadable.put(key, o.detail());
            if (o.action() == Outcome.Action.SKIPPED) skippedKeys.computeIfAbsent(o.detail(), r -> new LinkedHashSet<>()).add(key);
        } catch (IOException | RuntimeException e) {
            failed.put(key, describe(e));
        }
    }

    /**
     * The key and sequencer of an entry's event. With {@link Sequencing#REDELIVER}: a key whose last event was not a
     * removal (it then applies), re-delivering that event, else the first key.
     */
    private String[] creation(NodePath path, List<String> keys) {
        if (sequencing == Sequencing.CLOCK) return new String[] {keys.getFirst(), ClockSequencer.next()};
        Map<String, Registration> recorded = new LinkedHashMap<>();
        for (Registration r : catalog.registrations(path)) recorded.put(r.source(), r);
        for (String k : keys) {
            Registration r = recorded.get(k);
            if (r == null) return new String[] {k, Sequencers.LOWEST};
            if (!r.removed()) return new String[] {k, r.sequencer()};
        }
        return new String[] {keys.getFirst(), Sequencers.LOWEST}; // every key's last event removed it: a newer one will come
    }

    /** An entry registered before whose objects are no longer listed: one of its sources and the sequencer to remove it with. */
    private record Gone(String source, String sequencer) {}

    /**
     * Walks the catalog below the folder's node for nodes registered from objects under {@code folder} whose entries
     * were not listed. Bare containers (folders) are left to pruning, which follows their children's removals.
     */
    private Map<Target, Gone> gone(String folder, Set<Target> listed) {
        Map<Target, Gone> gone = new LinkedHashMap<>();
        NodePath top = indexer.layout().folderPath(folder);
        List<NodePath> pending = new ArrayList<>();
        if (!top.isRoot()) {
            Optional<Node> n = catalog.get(top);
            if (n.isEmpty()) return gone;
            consider(n.get(), folder, listed, gone);
            if (!n.get().isContainer()) return gone;
        }
        pending.add(top);
        while (!pending.isEmpty()) {
            NodePath parent = pending.removeLast();
            for (long offset = 0; ; offset += PAGE) {
                List<Node> page = catalog.children(parent, List.of(), offset, PAGE);
                for (Node n : page) {
                    consider(n, folder, listed, gone);
                    if (n.isContainer()) pending.add(n.path());
                }
                if (page.size() < PAGE) break;
            }
        }
        return gone;
    }

    private void consider(Node n, String folder, Set<Target> listed, Map<Target, Gone> gone) {
        if (n.isBareContainer()) return;
        for (Registration r : catalog.registrations(n.path())) {
            if (r.removed() || !r.source().startsWith(folder)) continue;
            Target t = indexer.planner().targetOf(r.source());
            if (t instanceof Target.Ignored || listed.contains(t) || gone.containsKey(t)) continue;
            if (!n.path().equals(pathOf(t).orElse(null))) continue; // recorded for another path than its entry's: not ours to judge
            gone.put(t, new Gone(r.source(), sequencing == Sequencing.CLOCK ? ClockSequencer.next() : r.sequencer()));
        }
    }

    /** The node an entry maps to; empty for targets that stand for another entry's objects. */
    private Optional<NodePath> pathOf(Target t) {
        KeyLayout l = indexer.layout();
        if (t instanceof Target.Zarr z) return Optional.of(l.folderPath(z.prefix()));
        if (t instanceof Target.PartitionedTable p) return Optional.of(l.folderPath(p.prefix()));
        if (t instanceof Target.File f) return Optional.of(l.filePath(f.key()));
        return Optional.empty();
    }

    private static Map<String, Skipped> examples(Map<String, Set<String>> byReason) {
        Map<String, Skipped> out = new LinkedHashMap<>();
        byReason.forEach((why, ks) -> out.put(why, new Skipped(ks.size(), new ArrayList<>(ks).subList(0, Math.min(EXAMPLES, ks.size())))));
        return out;
    }

    private static String describe(Throwable e) {
        Throwable c = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }
}
