package dev.tiledgateway.core.route;

import dev.tiledgateway.core.error.Causes;
import dev.tiledgateway.core.error.TiledException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The bound on large results produced at once: each holds its payload in memory while it is serialised, so a
 * few at a time keep the server's memory bounded whatever the clients ask. A request that finds every slot taken
 * waits a little for one, then gets 503 with {@code Retry-After}: a real, temporary overload the client retries.
 *
 * <p>The work of a slot runs on a platform thread of its own ({@link Slot#run}): it can keep a CPU busy for seconds,
 * and on a virtual thread it would hold one of the few carrier threads all the while (virtual threads are not
 * preempted), leaving other requests waiting for a carrier; the operating system shares the CPUs between platform
 * threads instead.
 */
public final class ResultSlots {

    private final int size;
    private final Semaphore free;
    private final Duration wait;
    private final ExecutorService workers = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("large-result-", 0).factory());

    /** Work that produces a large result. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws IOException;
    }

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

        /** Runs {@code work} on a platform thread and waits for it; its exceptions are rethrown as they were thrown. */
        public <T> T run(Work<T> work) throws IOException {
            if (!open) throw new IllegalStateException("the slot was freed");
            // The pooled thread works for this request: its store calls are charged to it.
            Future<T> f = workers.submit(dev.tiledgateway.core.observe.RequestTrace.carry(work::run));
            try {
                return f.get();
            } catch (InterruptedException e) {
                f.cancel(true);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while producing a large result");
            } catch (ExecutionException e) {
                throw Causes.rethrow(e.getCause());
            }
        }

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
