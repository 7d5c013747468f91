package dev.tiledgateway.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Stream;

/**
 * Expiry and a space cap for the results the local server materialises in its folder store. On AWS the bucket's
 * lifecycle rule expires them a day after they were written; here the sweeper does the same, and, a laptop's disk
 * not being a bucket, also caps the bytes they take, evicting the oldest first. Results in use ({@link ResultLeases})
 * are kept until they are free; results being written are temporary files it leaves alone (leftovers of a crash go
 * once they are older than the lifetime).
 */
final class ResultSweeper {

    /**
     * @param lifetime how long a result is kept after it was written (the bucket rule's one day)
     * @param maxBytes the most bytes results may take; a result in use may hold more until it is free
     */
    record Retention(Duration lifetime, long maxBytes) {
        static final Duration DAY = Duration.ofDays(1);
        static final long DEFAULT_MAX_BYTES = 2L * 1024 * 1024 * 1024;

        Retention {
            if (lifetime.isNegative() || lifetime.isZero()) throw new IllegalArgumentException("the lifetime must be positive");
            if (maxBytes < 0) throw new IllegalArgumentException("the cap must not be negative");
        }

        static Retention defaults() { return new Retention(DAY, DEFAULT_MAX_BYTES); }
    }

    /** What one sweep did: results removed for age and for space, and the bytes and results left. */
    record Swept(int expired, int evicted, long bytesLeft, int left) {}

    private static final String TMP_PREFIX = ".tmp-";
    /** A result taken out of service, waiting to be unlinked: still a temporary file to every lookup and listing. */
    static final String GONE_PREFIX = TMP_PREFIX + "gone-";

    private final Path folder;
    private final String keyPrefix;
    private final Retention retention;
    private final ResultLeases leases;
    private final Clock clock;
    private final Executor unlinks;

    /** As {@link #ResultSweeper(Path, String, Retention, ResultLeases, Clock, Executor)}, unlinking in the sweep itself. */
    ResultSweeper(Path folder, String keyPrefix, Retention retention, ResultLeases leases, Clock clock) {
        this(folder, keyPrefix, retention, leases, clock, Runnable::run);
    }

    /**
     * @param folder    the folder holding the results (the store's {@code keyPrefix})
     * @param keyPrefix the store key prefix of that folder, e.g. {@code _results/}
     * @param unlinks   where the files of removed results are unlinked. A result is removed by renaming it out of
     *                  service, which is immediate; unlinking a file of 100 MB whose pages were written back took
     *                  14-20 ms here, which a sweep after each stored result would add to that result's request
     */
    ResultSweeper(Path folder, String keyPrefix, Retention retention, ResultLeases leases, Clock clock, Executor unlinks) {
        this.folder = folder;
        this.keyPrefix = keyPrefix;
        this.retention = retention;
        this.leases = leases;
        this.clock = clock;
        this.unlinks = unlinks;
    }

    /**
     * Takes {@code file} out of service at once (a rename to a temporary name: no lookup or listing finds it), then
     * has it unlinked. Nothing if it is already gone.
     */
    private void remove(Path file) throws IOException {
        Path gone = file.resolveSibling(GONE_PREFIX + UUID.randomUUID());
        try {
            Files.move(file, gone, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return;
        }
        unlink(gone);
    }

    private void unlink(Path gone) {
        try {
            unlinks.execute(() -> {
                try {
                    Files.deleteIfExists(gone);
                } catch (IOException e) {
                    // left for the next sweep, which unlinks every file taken out of service it finds
                }
            });
        } catch (RejectedExecutionException e) {
            // the server is closing: the next start's first sweep unlinks it
        }
    }

    private record Result(Path file, String key, long size, long modifiedMillis) {}

    /** One pass: expired results first, then the oldest while the cap is exceeded. Sweeps run one at a time. */
    synchronized Swept sweep() throws IOException {
        if (!Files.isDirectory(folder)) return new Swept(0, 0, 0, 0);
        long now = clock.millis();
        long oldest = now - retention.lifetime().toMillis();
        List<Result> results = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path f : (Iterable<Path>) walk::iterator) {
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(f, BasicFileAttributes.class);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                if (!a.isRegularFile()) continue;
                long modified = a.lastModifiedTime().toMillis();
                String name = f.getFileName().toString();
                if (name.startsWith(GONE_PREFIX)) {
                    unlink(f); // left by an unlink that failed or a process that ended first
                    continue;
                }
                if (name.startsWith(TMP_PREFIX)) {
                    if (modified < oldest) Files.deleteIfExists(f); // a write abandoned by a crash
                    continue;
                }
                results.add(new Result(f, keyPrefix + folder.relativize(f).toString().replace('\\', '/'), a.size(), modified));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        results.sort(Comparator.comparingLong(Result::modifiedMillis));
        int expired = 0, evicted = 0;
        long bytes = results.stream().mapToLong(Result::size).sum();
        List<Result> left = new ArrayList<>();
        for (Result r : results) {
            if (r.modifiedMillis() < oldest && leases.deleteUnlessInUse(r.key(), () -> remove(r.file()))) {
                expired++;
                bytes -= r.size();
            } else {
                left.add(r);
            }
        }
        List<Result> kept = new ArrayList<>();
        for (Result r : left) {
            if (bytes > retention.maxBytes() && leases.deleteUnlessInUse(r.key(), () -> remove(r.file()))) {
                evicted++;
                bytes -= r.size();
            } else {
                kept.add(r);
            }
        }
        leases.dropExpired();
        return new Swept(expired, evicted, bytes, kept.size());
    }
}
