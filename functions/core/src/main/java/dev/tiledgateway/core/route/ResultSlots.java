package dev.tiledgateway.core.route;

import dev.tiledgateway.core.error.TiledException;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The bound on large results produced at once: each holds its payload in memory while it is serialised, so a
 * few at a time keep the server's memory bounded whatever the clients ask. A request that finds every slot taken
 * waits a little for one, then gets 503 with {@code Retry-After}: a real, temporary overload the client retries.
 */
public final class ResultSlots {

    private final int size;
    private final Semaphore free;
    private final Duration wait;

    public ResultSlots(int size, Duration wait) {
        if (size < 1) throw new IllegalArgumentException("at least one slot");
        this.size = size;
        this.free = new Semaphore(size, true);
        this.wait = wait;
    }

    /** One taken slot; closing it frees it (once). */
    public final class Slot implements AutoCloseable {
        private boolean open = true;

        private Slot() {}

        @Override
        public void close() {
            if (!open) return;
            open = false;
            free.release();
        }
    }

    /** A slot, after waiting for one at most the configured time; else a 503 with {@code Retry-After}. */
    public Slot acquire() {
        boolean got;
        try {
            got = free.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            got = false;
        }
        if (!got) throw TiledException.busy("The server is producing " + size + " large results already; try again in a few seconds.", 2);
        return new Slot();
    }

    /** Slots taken now. */
    public int inUse() { return size - free.availablePermits(); }
}
