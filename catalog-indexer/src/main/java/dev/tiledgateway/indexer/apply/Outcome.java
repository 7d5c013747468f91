package dev.tiledgateway.indexer.apply;

import dev.tiledgateway.core.path.NodePath;

/** What handling one object event did to the catalog, and why. {@code key} is the store key (null outside the store). */
public record Outcome(Action action, String key, NodePath path, String detail) {

    public enum Action {
        /** The node was created or its content changed. */
        REGISTERED,
        /** The node already had this content; only the event's sequencer was recorded. */
        UNCHANGED,
        /** The node was removed, or its removal recorded before it was ever created. */
        REMOVED,
        /** A newer event about the same object was applied before: nothing changed. */
        STALE,
        /** Not registered by design (hidden, a chunk, not one of our formats, a name collision). */
        SKIPPED,
        /** One of our formats, but it cannot be read: recorded with the reason, not retried (a poison object). */
        UNREADABLE
    }

    public static Outcome of(Action action, String key, NodePath path, String detail) { return new Outcome(action, key, path, detail); }

    /** Whether the catalog now reflects the object (anything but a skip or an unreadable object). */
    public boolean applied() { return action != Action.SKIPPED && action != Action.UNREADABLE; }

    @Override
    public String toString() {
        return action + " " + (key == null ? "-" : key) + (path == null ? "" : " -> " + path) + (detail == null ? "" : " (" + detail + ")");
    }
}
