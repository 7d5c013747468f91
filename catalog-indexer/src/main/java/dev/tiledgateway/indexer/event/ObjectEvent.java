package dev.tiledgateway.indexer.event;

import java.time.Instant;

/**
 * One storage event about one object: it was created (or overwritten) or removed. {@code key} is the
 * bucket's object key, already decoded; {@code sequencer} orders the events of one key (a hex string,
 * see {@link dev.tiledgateway.core.catalog.Sequencers}). {@code bucket} may be null where there is none
 * (a local folder).
 */
public record ObjectEvent(Kind kind, String bucket, String key, long size, String sequencer, Instant time) {

    public enum Kind { CREATED, REMOVED }

    public ObjectEvent {
        if (kind == null || key == null || key.isEmpty()) throw new IllegalArgumentException("an object event needs a kind and a key");
        if (sequencer == null || sequencer.isBlank()) throw new IllegalArgumentException("an object event needs a sequencer: " + key);
    }

    public static ObjectEvent created(String bucket, String key, String sequencer) {
        return new ObjectEvent(Kind.CREATED, bucket, key, -1, sequencer, Instant.now());
    }

    public static ObjectEvent removed(String bucket, String key, String sequencer) {
        return new ObjectEvent(Kind.REMOVED, bucket, key, -1, sequencer, Instant.now());
    }

    @Override
    public String toString() { return kind + " " + (bucket == null ? "" : bucket + ":") + key + " @" + sequencer; }
}
