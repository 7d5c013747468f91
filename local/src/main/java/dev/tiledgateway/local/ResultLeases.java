package dev.tiledgateway.local;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Which materialised results are in use, so that expiring and evicting them never takes one from a client:
 * a result whose URL was handed out (a redirect to it) is kept until a URL of it has been followed or has expired,
 * and one being downloaded until the download ends. (Two clients redirected to the same result at once: the second
 * may find it gone if it is evicted between their downloads, a 404 rather than a wrong answer.) Deleting happens under the same lock as the bookkeeping, so
 * a URL is either handed out before the sweeper looks (and the result kept) or after it deleted the result (and
 * the redirect is not made: the result store checks the object after signing its URL).
 */
final class ResultLeases {


    /** Most results with open leases at once; beyond it the lease closest to expiry is dropped. */
    private static final int MAX_LEASES = 100_000;

    private final Clock clock;
    /** Results whose URLs were handed out and not yet followed, with the latest expiry among those URLs. */
    private final Map<String, Long> handedOut = new HashMap<>();
    private final Map<String, Integer> downloading = new HashMap<>();

    ResultLeases(Clock clock) { this.clock = clock; }

    /** A URL for {@code key} valid for {@code ttl} was handed out. */
    synchronized void handedOut(String key, Duration ttl) {
        long until = clock.millis() + ttl.toMillis();
        handedOut.merge(key, until, Math::max);
        if (handedOut.size() > MAX_LEASES) dropExpired();
        if (handedOut.size() > MAX_LEASES) {
            String soonest = null;
            for (var e : handedOut.entrySet())
                if (soonest == null || e.getValue() < handedOut.get(soonest)) soonest = e.getKey();
            handedOut.remove(soonest);
        }
    }

    /** A download of {@code key} starts: its URL has been followed. */
    synchronized void downloadStarts(String key) {
        downloading.merge(key, 1, Integer::sum);
        handedOut.remove(key);
    }

    /** A download of {@code key} has ended (completed or not). */
    synchronized void downloadEnds(String key) {
        downloading.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Whether {@code key} may not be deleted now. */
    synchronized boolean inUse(String key) {
        if (downloading.containsKey(key)) return true;
        Long until = handedOut.get(key);
        return until != null && until > clock.millis();
    }

    /** Runs {@code delete} unless {@code key} is in use, with no URL handed out meanwhile; whether it ran. */
    synchronized boolean deleteUnlessInUse(String key, IoAction delete) throws java.io.IOException {
        if (inUse(key)) return false;
        handedOut.remove(key);
        delete.run();
        return true;
    }

    /** Forgets leases whose URLs have expired. */
    synchronized void dropExpired() {
        long now = clock.millis();
        for (Iterator<Long> it = handedOut.values().iterator(); it.hasNext(); ) if (it.next() <= now) it.remove();
    }

    @FunctionalInterface
    interface IoAction {
        void run() throws java.io.IOException;
    }
}
