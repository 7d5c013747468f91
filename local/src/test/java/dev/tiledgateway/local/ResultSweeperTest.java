package dev.tiledgateway.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sweeps of a results folder, at a fixed time, for what the HTTP tests cannot stage. */
class ResultSweeperTest {

    private static final Instant NOW = Instant.parse("2026-01-02T12:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final ResultLeases leases = new ResultLeases(clock);

    @TempDir
    Path folder;

    private Path file(String name, int bytes, Duration age) throws Exception {
        Path f = Files.write(folder.resolve(name), new byte[bytes]);
        Files.setLastModifiedTime(f, FileTime.from(NOW.minus(age)));
        return f;
    }

    private ResultSweeper sweeper(long maxBytes) {
        return new ResultSweeper(folder, "_results/", new ResultSweeper.Retention(Duration.ofDays(1), maxBytes), leases, clock);
    }

    @Test
    void whatEarlierRunsLeftIsExpiredAndCappedOnTheFirstSweep() throws Exception {
        Path expired = file("a", 10, Duration.ofDays(3));
        Path oldest = file("b", 100, Duration.ofHours(5));
        Path newer = file("c", 100, Duration.ofHours(1));
        ResultSweeper.Swept swept = sweeper(150).sweep();
        assertEquals(new ResultSweeper.Swept(1, 1, 100, 1), swept);
        assertFalse(Files.exists(expired));
        assertFalse(Files.exists(oldest));
        assertTrue(Files.exists(newer));
    }

    @Test
    void writesInProgressAreLeftAloneAndThoseACrashAbandonedGo() throws Exception {
        Path writing = file(".tmp-1", 1000, Duration.ofMinutes(1));
        Path abandoned = file(".tmp-2", 1000, Duration.ofDays(2));
        assertEquals(new ResultSweeper.Swept(0, 0, 0, 0), sweeper(0).sweep());
        assertTrue(Files.exists(writing));
        assertFalse(Files.exists(abandoned));
    }

    @Test
    void aResultInUseOutlivesItsDayAndTheCapUntilItIsFree() throws Exception {
        Path read = file("read", 100, Duration.ofDays(2));
        Path sent = file("sent", 100, Duration.ofHours(2));
        leases.downloadStarts("_results/read");
        leases.handedOut("_results/sent", Duration.ofMinutes(15));
        assertEquals(new ResultSweeper.Swept(0, 0, 200, 2), sweeper(0).sweep());
        leases.downloadEnds("_results/read");
        leases.downloadStarts("_results/sent");
        assertEquals(new ResultSweeper.Swept(1, 0, 100, 1), sweeper(0).sweep());
        assertFalse(Files.exists(read));
        assertTrue(Files.exists(sent));
        leases.downloadEnds("_results/sent");
        assertEquals(new ResultSweeper.Swept(0, 1, 0, 0), sweeper(0).sweep());
    }

    @Test
    void aUrlThatExpiredUnfollowedNoLongerKeepsItsResult() throws Exception {
        file("sent", 100, Duration.ofHours(2));
        leases.handedOut("_results/sent", Duration.ofMinutes(-1));
        assertEquals(new ResultSweeper.Swept(0, 1, 0, 0), sweeper(0).sweep());
    }

    @Test
    void aRemovedResultIsOutOfServiceAtOnceAndUnlinkedLater() throws Exception {
        Path oldest = file("oldest", 100, Duration.ofHours(3));
        Path newest = file("newest", 100, Duration.ofHours(1));
        java.util.List<Runnable> later = new java.util.ArrayList<>();
        ResultSweeper sweeper = new ResultSweeper(folder, "_results/", new ResultSweeper.Retention(Duration.ofDays(1), 150), leases, clock, later::add);
        assertEquals(new ResultSweeper.Swept(0, 1, 100, 1), sweeper.sweep());
        assertFalse(Files.exists(oldest));
        assertTrue(Files.exists(newest));
        assertEquals(1, later.size(), "the unlink was not handed over");
        java.util.List<Path> gone;
        try (var files = Files.list(folder)) {
            gone = files.filter(f -> f.getFileName().toString().startsWith(ResultSweeper.GONE_PREFIX)).toList();
        }
        assertEquals(1, gone.size());
        assertEquals(100, Files.size(gone.get(0)));
        // Waiting for its unlink, it is no result: another sweep counts only the newest.
        assertEquals(new ResultSweeper.Swept(0, 0, 100, 1), sweeper.sweep());
        later.forEach(Runnable::run);
        assertFalse(Files.exists(gone.get(0)));
    }

    @Test
    void filesTakenOutOfServiceBeforeAStopAreUnlinkedByTheNextSweep() throws Exception {
        Path recent = file(ResultSweeper.GONE_PREFIX + "1", 100, Duration.ofMinutes(1));
        Path old = file(ResultSweeper.GONE_PREFIX + "2", 100, Duration.ofDays(2));
        Path result = file("kept", 100, Duration.ofMinutes(5));
        assertEquals(new ResultSweeper.Swept(0, 0, 100, 1), sweeper(1000).sweep());
        assertFalse(Files.exists(recent));
        assertFalse(Files.exists(old));
        assertTrue(Files.exists(result));
    }
}
