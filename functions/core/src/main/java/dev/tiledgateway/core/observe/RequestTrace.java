package dev.tiledgateway.core.observe;

import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.path.NodePath;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one request did: its ids, route, node, answer, duration and the calls it made to the catalog and the object
 * store. The handler {@link #begin begins} a trace on the thread that answers the request; the router names the
 * route, the counting ports ({@link CountingCatalog}, {@link CountingBlobStore}) charge their calls to the trace
 * current on the calling thread.
 *
 * <p>Backend calls may come from several threads at once (chunks are fetched concurrently), so their counters are
 * atomic; everything else is written by the answering thread only. The current trace is inherited by the threads a
 * request starts (the chunk fetchers are a virtual thread per task); work handed to a pooled thread carries it over
 * with {@link #carry}.
 */
public final class RequestTrace {

    /** The ports whose calls are counted. */
    public enum Port {
        CATALOG("catalog"), STORE("store");

        /** The name in logs, metrics and {@code Server-Timing}. */
        public final String label;

        Port(String label) { this.label = label; }
    }

    /** The route of a request the router matched to none (not found, the landing page, a preflight, a malformed event). */
    public static final String NO_ROUTE = "other";

    private static final InheritableThreadLocal<RequestTrace> CURRENT = new InheritableThreadLocal<>();

    private final long startNanos;
    private final long startEpochMillis;
    private String requestId;
    private String tiledRequestId;
    private String route = NO_ROUTE;
    private NodePath path;
    private int status;
    private long bytes;
    private boolean redirect;
    private long durationNanos = -1;
    private final AtomicLong catalogCalls = new AtomicLong();
    private final AtomicLong catalogNanos = new AtomicLong();
    private final AtomicLong storeCalls = new AtomicLong();
    private final AtomicLong storeNanos = new AtomicLong();

    /** A trace started now; not current on any thread (see {@link #begin}). */
    public RequestTrace(String requestId) {
        this.startNanos = System.nanoTime();
        this.startEpochMillis = System.currentTimeMillis();
        this.requestId = requestId;
    }

    /** Starts a trace and makes it the current one of this thread until {@link #end}. */
    public static RequestTrace begin(String requestId) {
        RequestTrace t = new RequestTrace(requestId);
        CURRENT.set(t);
        return t;
    }

    /** The trace of the request this thread works for, or null outside of one. */
    public static RequestTrace current() { return CURRENT.get(); }

    /** Ends this thread's trace (always, in a {@code finally}: pooled threads serve other requests next). */
    public static void end() { CURRENT.remove(); }

    /** {@code work} made to run under the trace current now, for a pooled thread that did not inherit it. */
    public static <T> java.util.concurrent.Callable<T> carry(java.util.concurrent.Callable<T> work) {
        RequestTrace t = CURRENT.get();
        return () -> {
            RequestTrace before = CURRENT.get();
            CURRENT.set(t);
            try {
                return work.call();
            } finally {
                if (before == null) CURRENT.remove();
                else CURRENT.set(before);
            }
        };
    }

    /** Notes that the current request (if any) was answered with a redirect to a materialised result. */
    public static void redirected() {
        RequestTrace t = CURRENT.get();
        if (t != null) t.redirect = true;
    }

    /** Adds one call of {@code nanos} to a port to the current trace; nothing outside of a request. */
    static void charge(RequestTrace t, Port port, long nanos) {
        if (port == Port.CATALOG) {
            t.catalogCalls.incrementAndGet();
            t.catalogNanos.addAndGet(nanos);
        } else {
            t.storeCalls.incrementAndGet();
            t.storeNanos.addAndGet(nanos);
        }
    }

    /** The route the router matched ({@code GET metadata}: method and action, never the path) and the node it names. */
    public void routed(String route, NodePath path) {
        this.route = route;
        this.path = path;
    }

    public void requestId(String id) { this.requestId = id; }

    /** Takes status, body size and Tiled's request id from the answer (called again when the answer is replaced). */
    public void answered(Response r) {
        this.status = r.status();
        this.bytes = r.body().length;
        this.tiledRequestId = r.header("X-Tiled-Request-ID");
    }

    /** Stops the clock; the duration is then fixed. */
    public void finish() {
        if (durationNanos < 0) durationNanos = System.nanoTime() - startNanos;
    }

    public String requestId() { return requestId; }

    public String tiledRequestId() { return tiledRequestId; }

    public String route() { return route; }

    /** The node the request named; null when it was routed to none. */
    public NodePath path() { return path; }

    public int status() { return status; }

    public long bytes() { return bytes; }

    public boolean redirect() { return redirect; }

    public long startEpochMillis() { return startEpochMillis; }

    /** Nanoseconds from the start to {@link #finish}, or until now while unfinished. */
    public long durationNanos() { return durationNanos >= 0 ? durationNanos : System.nanoTime() - startNanos; }

    public long calls(Port port) { return port == Port.CATALOG ? catalogCalls.get() : storeCalls.get(); }

    /** Time spent in calls to the port (summed: concurrent calls overlap, so it may exceed the request's duration). */
    public long nanos(Port port) { return port == Port.CATALOG ? catalogNanos.get() : storeNanos.get(); }

    /**
     * The W3C {@code Server-Timing} value: time in the catalog, in the object store and in all, in milliseconds
     * ({@code catalog;dur=1.204, store;dur=3.400, total;dur=5.012}).
     */
    public String serverTiming() {
        StringBuilder b = new StringBuilder(64);
        b.append("catalog;dur=");
        millis(b, catalogNanos.get());
        b.append(", store;dur=");
        millis(b, storeNanos.get());
        b.append(", total;dur=");
        millis(b, durationNanos());
        return b.toString();
    }

    /** Nanoseconds as milliseconds with three decimals, without a formatter (this runs on every request). */
    static void millis(StringBuilder b, long nanos) {
        long micros = Math.max(0, nanos) / 1_000;
        b.append(micros / 1_000).append('.');
        long frac = micros % 1_000;
        if (frac < 100) b.append('0');
        if (frac < 10) b.append('0');
        b.append(frac);
    }
}
