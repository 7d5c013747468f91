package dev.tiledgateway.local;

import dev.tiledgateway.indexer.Backfill;

import java.io.PrintStream;

/** The progress bar of backfills ({@code register}, and {@code serve directory} at start). */
final class Registering {

    private Registering() {}

    /**
     * Redraws one line on {@code out}, at most every 100 ms and at the end. It counts entries (what can become one
     * node: a file, a Zarr array or group, a folder of Parquet parts; and those whose objects are gone), as the
     * summary's "checked" does, not objects.
     */
    static Backfill.ProgressListener progressBar(PrintStream out) {
        long[] last = {0};
        return p -> {
            long now = System.currentTimeMillis();
            boolean done = p.done() >= p.total();
            if (!done && now - last[0] < 100) return;
            last[0] = now;
            int width = 30;
            int filled = p.total() == 0 ? width : (int) (width * p.done() / p.total());
            out.print("\rregistering [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + p.done() + "/" + p.total() + " entries");
            if (done) out.println();
            out.flush();
        };
    }
}
