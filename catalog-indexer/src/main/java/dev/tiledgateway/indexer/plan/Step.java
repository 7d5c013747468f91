package dev.tiledgateway.indexer.plan;

import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.store.ObjectVersion;

import java.util.List;

/** One step of a {@link RegistrationPlan}; the applier runs them in order. */
public sealed interface Step {

    /** Creates the containers of these folders where absent, outermost first, never touching existing ones. */
    record EnsureContainers(List<KeyLayout.Folder> folders) implements Step {
        public EnsureContainers { folders = List.copyOf(folders); }
    }

    /**
     * Stores {@code node} as of the event's sequencer. {@code origin} is what the node is read from (its
     * data source's asset key, or the folder of a Zarr group): a node from another origin at the same
     * path is a name collision and is left alone.
     */
    record Put(Node node, String origin) implements Step {}

    /**
     * The chunk {@code chunk} of the array registered at {@code path} from {@code origin} was written
     * ({@code version}) or removed (null): the array's fingerprint moves on from whatever it is now, by a
     * conditional replacement of the node (never a creation: an array not registered yet is left to its
     * metadata's event).
     */
    record Refresh(NodePath path, String origin, String chunk, ObjectVersion version) implements Step {}

    /** The node read from {@code origin} is gone: remove it (a Zarr group's container loses its attributes instead). */
    record Remove(NodePath path, String origin) implements Step {}

    /** Removes the containers of these folders, innermost first, while each is bare, childless and its folder empty. */
    record PruneEmpty(List<KeyLayout.Folder> folders) implements Step {
        public PruneEmpty { folders = List.copyOf(folders); }
    }

    /** Nothing to write. {@code unreadable}: the object is one of our formats but cannot be read (a poison object). */
    record Skip(String reason, boolean unreadable, boolean routine) implements Step {}
}
