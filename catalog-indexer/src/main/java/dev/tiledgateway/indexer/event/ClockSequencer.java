package dev.tiledgateway.indexer.event;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sequencers for events that do not come from S3 (a watched local folder): microseconds since the epoch,
 * strictly increasing within the process, in hex. Later changes of one file get larger values, also
 * across restarts (as long as the clock does not go back), which is all the indexer needs; they sort
 * after every {@link dev.tiledgateway.core.catalog.Sequencers#LOWEST backfill} and never collide with it.
 */
public final class ClockSequencer {

    private static final AtomicLong LAST = new AtomicLong();

    private ClockSequencer() {}

    public static String next() {
        long now = System.currentTimeMillis() * 1000;
        long v = LAST.updateAndGet(last -> Math.max(last + 1, now));
        return Long.toHexString(v).toUpperCase(Locale.ROOT);
    }
}
