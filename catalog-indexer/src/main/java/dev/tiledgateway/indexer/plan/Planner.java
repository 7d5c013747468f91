package dev.tiledgateway.indexer.plan;

import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.ObjectVersion;
import dev.tiledgateway.formats.zarr.ZarrNodes;
import dev.tiledgateway.indexer.detect.Format;
import dev.tiledgateway.indexer.detect.Sniffer;
import dev.tiledgateway.indexer.event.ObjectEvent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The pure half of the indexer: an object event and a read-only view of the store in, a
 * {@link RegistrationPlan} out. It never reads or writes the catalog.
 *
 * <p>The plan follows the store as it is when the event is handled, not the event's kind: a creation
 * whose object is already gone again plans a removal, a removal whose object is back plans a
 * registration. Together with the sequencer check when the plan is applied, this makes duplicate,
 * late and reordered deliveries converge on what the bucket holds.
 *
 * <p>Objects that are one of our formats but cannot be read plan a {@link Step.Skip} marked unreadable;
 * failures to reach the store propagate as {@link IOException} (retry later).
 */
public final class Planner {

    private final BlobStore store;
    private final KeyLayout layout;

    public Planner(BlobStore store, KeyLayout layout) {
        this.store = store instanceof ReadOnlyStore ? store : new ReadOnlyStore(store);
        this.layout = layout;
    }

    public KeyLayout layout() { return layout; }

    /** The target of a store key, or why it has none. */
    public Target targetOf(String storeKey) {
        Optional<String> ignored = layout.ignoredBecause(storeKey);
        return ignored.isPresent() ? new Target.Ignored(ignored.get(), false) : Target.of(storeKey);
    }

    public RegistrationPlan plan(ObjectEvent event) throws IOException {
        Optional<String> k = layout.storeKey(event.bucket(), event.key());
        if (k.isEmpty()) return RegistrationPlan.skip(event, null, null, "outside the served bucket and prefix", false, false);
        String key = k.get();
        Target target = targetOf(key);
        NodePath path = switch (target) {
            case Target.Zarr z -> layout.folderPath(z.prefix());
            case Target.ZarrChunk c -> null;
            case Target.PartitionedTable t -> layout.folderPath(t.prefix());
            case Target.File f -> layout.filePath(f.key());
            case Target.Ignored i -> null;
        };
        try {
            return switch (target) {
                case Target.Ignored i -> RegistrationPlan.skip(event, key, null, i.reason(), false, i.routine());
                case Target.Zarr z -> zarr(event, key, path, z.prefix());
                case Target.ZarrChunk c -> chunk(event, key);
                case Target.PartitionedTable t -> table(event, key, path, t.prefix());
                case Target.File f -> file(event, key, path);
            };
        } catch (CorruptDataException | IllegalArgumentException | ArithmeticException | IllegalStateException e) {
            return RegistrationPlan.skip(event, key, path, "unreadable: " + e.getMessage(), true, false);
        } catch (TiledException e) {
            if (e.status() >= 500) throw new IOException(e.getMessage(), e);
            return RegistrationPlan.skip(event, key, path, "unreadable: " + e.getMessage(), true, false);
        }
    }

    private RegistrationPlan zarr(ObjectEvent event, String key, NodePath path, String prefix) throws IOException {
        boolean recheck = !KeyLayout.name(key).equals("zarr.json"); // v3 keeps everything in one document
        Optional<String> kind = ZarrNodes.kindAt(store, prefix);
        if (kind.isEmpty()) return removal(event, key, path, prefix, recheck);
        Node node = kind.get().equals(ZarrNodes.ARRAY) ? Nodes.zarrArray(path, store, prefix)
                : Nodes.zarrGroup(path, store, prefix).orElse(null);
        if (node == null) return removal(event, key, path, prefix, recheck);
        return registration(event, key, node, prefix, recheck);
    }

    /** The most folders a chunk key may nest below its array (Zarr allows 32 dimensions, v3 adds "c"). */
    private static final int MAX_CHUNK_DEPTH = 33;

    /**
     * A chunk's event: the nearest folder above it that holds array metadata is its array (an OME-Zarr
     * image's arrays are themselves named 0, 1, ..., so a name alone cannot tell); its node's fingerprint
     * moves on with this chunk's version. No array above it: nothing to do, its metadata registers it.
     */
    private RegistrationPlan chunk(ObjectEvent event, String key) throws IOException {
        String prefix = KeyLayout.parentPrefix(key);
        for (int depth = 0; depth <= MAX_CHUNK_DEPTH && !prefix.isEmpty(); depth++) {
            if (ZarrNodes.kindAt(store, prefix).filter(ZarrNodes.ARRAY::equals).isPresent()) {
                NodePath path = layout.folderPath(prefix);
                Step refresh = new Step.Refresh(path, prefix, key, store.version(key).orElse(null));
                return new RegistrationPlan(event, key, path, List.of(refresh), false);
            }
            if (!ZarrKeys.looksLikeChunk(KeyLayout.name(prefix.substring(0, prefix.length() - 1)))) break;
            prefix = KeyLayout.parentPrefix(prefix.substring(0, prefix.length() - 1));
        }
        return RegistrationPlan.skip(event, key, null, "a Zarr chunk with no array metadata above it (an array registers from its metadata object)", false, true);
    }

    private RegistrationPlan table(ObjectEvent event, String key, NodePath path, String prefix) throws IOException {
        Optional<Node> node = Nodes.parquetFolder(path, store, prefix);
        return node.isPresent() ? registration(event, key, node.get(), prefix, true) : removal(event, key, path, prefix, true);
    }

    private RegistrationPlan file(ObjectEvent event, String key, NodePath path) throws IOException {
        // The version first: should the object change while it is read, the change's own event reads it again.
        Optional<ObjectVersion> version = store.version(key);
        if (version.isEmpty()) return removal(event, key, path, key, false);
        Optional<Long> size = Optional.of(version.get().size());
        Optional<Format> format = Sniffer.detect(store, key, size.get());
        if (format.isEmpty()) {
            // Not a format we register; if it was one before (overwritten), its node goes.
            return new RegistrationPlan(event, key, path, List.of(new Step.Remove(path, key),
                    new Step.PruneEmpty(innermostFirst(layout.foldersAbove(KeyLayout.parentPrefix(key)))),
                    new Step.Skip("not a format the indexer registers (Zarr, Parquet, CSV, TIFF)", false, false)), false);
        }
        Node node = switch (format.get()) {
            case PARQUET -> Nodes.parquetFile(path, store, key, size.get());
            case TIFF -> Nodes.tiff(path, store, key, size.get());
            case CSV -> {
                if (size.get() > layout.settings().maxCsvBytes())
                    throw new IllegalArgumentException("CSV of " + size.get() + " bytes is above the registration limit of " + layout.settings().maxCsvBytes());
                yield Nodes.csv(path, store, key);
            }
        };
        node = Nodes.withFingerprint(node, ObjectVersion.fingerprint(List.of(version.get())));
        return registration(event, key, node, key, false);
    }

    private RegistrationPlan registration(ObjectEvent event, String key, Node node, String origin, boolean recheck) {
        List<KeyLayout.Folder> folders = layout.foldersAbove(KeyLayout.parentPrefix(origin));
        List<Step> steps = List.of(new Step.EnsureContainers(folders), new Step.Put(node, origin));
        return new RegistrationPlan(event, key, node.path(), steps, recheck);
    }

    /** The node read from {@code origin} is gone: remove it, then its folders that nothing else fills. */
    private RegistrationPlan removal(ObjectEvent event, String key, NodePath path, String origin, boolean recheck) {
        List<KeyLayout.Folder> folders = new ArrayList<>(layout.foldersAbove(KeyLayout.parentPrefix(origin)));
        if (origin.endsWith("/")) folders.add(new KeyLayout.Folder(path, origin)); // a Zarr group's own container
        return new RegistrationPlan(event, key, path, List.of(new Step.Remove(path, origin), new Step.PruneEmpty(innermostFirst(folders))), recheck);
    }

    private static List<KeyLayout.Folder> innermostFirst(List<KeyLayout.Folder> folders) {
        List<KeyLayout.Folder> r = new ArrayList<>(folders);
        Collections.reverse(r);
        return r;
    }
}
