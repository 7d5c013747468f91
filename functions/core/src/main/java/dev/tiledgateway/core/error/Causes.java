package dev.tiledgateway.core.error;

import java.io.IOException;

/** The failure of work done on another thread, thrown again on the thread that waited for it. */
public final class Causes {

    private Causes() {}

    /**
     * Throws {@code cause} as it was thrown when it is an {@link IOException}, a {@link RuntimeException} or an
     * {@link Error}; otherwise returns it wrapped, for the caller to throw ({@code throw Causes.rethrow(e.getCause())}).
     */
    public static IOException rethrow(Throwable cause) throws IOException {
        if (cause instanceof IOException io) throw io;
        if (cause instanceof RuntimeException re) throw re;
        if (cause instanceof Error err) throw err;
        return new IOException(cause);
    }
}
