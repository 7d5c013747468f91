package dev.tiledgateway.local;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The folder watcher keeps what it reports equal to the folder through what makes a watch service lose track: folders
 * that vanish while they are walked, more events than the watch service queues (an overflow), errors while handling an
 * event, and an indexer that fails for a while. Each test applies the reported events, in order, to a model of the
 * bucket and waits until the model holds exactly the folder's files.
 */
class DirectoryWatcherTest {

    private static final long DEADLINE_MILLIS = 60_000;

    @TempDir
    Path tmp;

    private final Map<String, Boolean> reported = new ConcurrentHashMap<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private DirectoryWatcher watcher;

    @AfterEach
    void close() throws IOException {
        if (watcher != null) watcher.close();
    }

    /** A sink that applies each change to {@link #reported}, as the indexer would apply it to the catalog. */
    private DirectoryWatcher.Sink recording() {
        return changes -> {
            for (S3EventJson.Change c : changes) reported.put(c.key(), c.created());
        };
    }

    private DirectoryWatcher watch(Path root, DirectoryWatcher.Sink sink, Consumer<Path> entering) throws IOException {
        watcher = new DirectoryWatcher(root, sink, log::add, entering);
        watcher.start();
        return watcher;
    }

    /** The files under {@code root}, walked again when an entry vanishes under the walk (a test deletes folders as the watcher meets them). */
    private static Set<String> filesIn(Path root) throws IOException {
        while (true) {
            try (Stream<Path> walk = Files.walk(root)) {
                return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).collect(Collectors.toCollection(TreeSet::new));
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof NoSuchFileException)) throw e.getCause();
            }
        }
    }

    private Set<String> reportedPresent() {
        return reported.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Waits until the reported files are the folder's files (created after the watcher started: the backfill has the rest). */
    private void awaitReportedEqualsFolder(Path root, Set<String> before) throws Exception {
        awaitTrue(() -> {
            try {
                Set<String> expected = new TreeSet<>(filesIn(root));
                expected.removeAll(before);
                return reportedPresent().equals(expected);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, () -> {
            try {
                Set<String> expected = new TreeSet<>(filesIn(root));
                expected.removeAll(before);
                Set<String> missing = new TreeSet<>(expected);
                missing.removeAll(reportedPresent());
                Set<String> extra = new TreeSet<>(reportedPresent());
                extra.removeAll(expected);
                return missing.size() + " file(s) never reported (e.g. " + missing.stream().limit(3).toList() + "), "
                        + extra.size() + " reported but not there (e.g. " + extra.stream().limit(3).toList() + "); log: " + log;
            } catch (IOException e) {
                return e.toString();
            }
        });
    }

    private static void awaitTrue(BooleanSupplier condition, java.util.function.Supplier<String> why) throws InterruptedException {
        long end = System.currentTimeMillis() + DEADLINE_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) fail(why.get());
            Thread.sleep(50);
        }
    }

    private static void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "a,b\n1,2\n");
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> errorLines() {
        return log.stream().filter(l -> l.contains("met ")).toList();
    }

    @Test
    void aFolderThatVanishesAsTheWalkEntersItIsPassedOverAndTheRestOfTheTreeIsReported() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("served"));
        AtomicInteger deleted = new AtomicInteger();
        watch(root, recording(), dir -> {
            if (dir.getFileName().toString().equals("doomed")) {
                deleteTree(dir); // the walk has listed it, and now it is gone
                deleted.incrementAndGet();
            }
        });
        // A tree arrives at once (a folder moved in), so one walk meets it all: siblings before and after the doomed folder.
        Path staging = Files.createDirectories(tmp.resolve("staging"));
        for (String f : List.of("copy/a/one.csv", "copy/doomed/lost.csv", "copy/doomed/inner/lost.csv", "copy/z/two.csv", "copy/top.csv")) {
            write(staging.resolve(f));
        }
        Files.move(staging.resolve("copy"), root.resolve("copy"));
        awaitReportedEqualsFolder(root, Set.of());
        assertEquals(1, deleted.get(), "the walk entered the doomed folder once");
        assertEquals(Set.of("copy/a/one.csv", "copy/top.csv", "copy/z/two.csv"), reportedPresent());

        write(root.resolve("after.csv"));
        awaitReportedEqualsFolder(root, Set.of());
        assertTrue(watcher.running());
        // Nothing at all is logged: not an error, nor a "cannot watch" (that is for folders that are there but refused).
        assertEquals(List.of(), log, "a folder that vanishes is no error, and not a folder it cannot watch");
    }

    @Test
    void anErrorWhileHandlingAnEventIsLoggedAndTheRescanThatFollowsReportsWhatItHid() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("served"));
        AtomicBoolean thrown = new AtomicBoolean();
        watch(root, recording(), dir -> {
            if (dir.getFileName().toString().equals("cursed") && thrown.compareAndSet(false, true)) {
                throw new IllegalStateException("an unexpected failure in the walk");
            }
        });
        Path staging = Files.createDirectories(tmp.resolve("staging"));
        write(staging.resolve("cursed/inside.csv"));
        write(staging.resolve("cursed/deeper/inside.csv"));
        Files.move(staging.resolve("cursed"), root.resolve("cursed"));
        awaitReportedEqualsFolder(root, Set.of());
        assertTrue(thrown.get());
        assertEquals(1, errorLines().size(), log.toString());

        write(root.resolve("cursed/deeper/later.csv")); // its folder is watched: the rescan registered it
        Files.delete(root.resolve("cursed/inside.csv"));
        awaitReportedEqualsFolder(root, Set.of());
        assertTrue(watcher.running());
    }

    @Test
    void foldersCreatedAndDeletedWhileTheyAreWalkedNeverStopTheWatcher() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("served"));
        watch(root, recording(), dir -> {});
        // Real threads and no seam: trees appear and vanish while the watcher walks them.
        for (int round = 0; round < 40; round++) {
            Path staging = Files.createDirectories(tmp.resolve("staging-" + round));
            for (int i = 0; i < 5; i++) write(staging.resolve("t/d" + i + "/e/f.csv"));
            Files.move(staging.resolve("t"), root.resolve("t" + round));
            if (round % 2 == 0) deleteTree(root.resolve("t" + round));
        }
        write(root.resolve("last.csv"));
        awaitReportedEqualsFolder(root, Set.of());
        assertTrue(watcher.running());
        assertEquals(List.of(), errorLines());
    }

    @Test
    void aBurstThatOverflowsTheWatchQueueIsFoundByARescan() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("served"));
        Path burst = Files.createDirectories(root.resolve("burst"));
        Path thinned = Files.createDirectories(root.resolve("thinned"));
        for (int i = 0; i < 1000; i++) write(thinned.resolve("f" + i + ".csv"));
        write(burst.resolve("changed.csv"));
        Set<String> before = filesIn(root);
        CountDownLatch inSink = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        DirectoryWatcher.Sink recording = recording();
        watch(root, changes -> {
            inSink.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            recording.accept(changes);
        }, dir -> {});
        write(root.resolve("first.csv"));
        assertTrue(inSink.await(DEADLINE_MILLIS, TimeUnit.MILLISECONDS), "the first change reaches the indexer");
        // The watcher is busy handing that change on; meanwhile far more events than a watch key queues (512).
        for (int i = 0; i < 3000; i++) write(burst.resolve("f" + i + ".csv"));
        for (int i = 0; i < 1000; i++) Files.delete(thinned.resolve("f" + i + ".csv"));
        Files.writeString(burst.resolve("changed.csv"), "a,b\n1,2\n3,4\n"); // its event comes after the overflow: only a rescan sees it
        release.countDown();

        Set<String> expected = new TreeSet<>(filesIn(root));
        expected.removeAll(before);
        expected.add("burst/changed.csv");
        awaitTrue(() -> reportedPresent().equals(expected) && reported.keySet().containsAll(
                        before.stream().filter(k -> k.startsWith("thinned/")).toList()),
                () -> reportedPresent().size() + " of " + expected.size() + " created files reported, "
                        + reported.values().stream().filter(v -> !v).count() + " of 1000 deletions; log: " + log);
        assertTrue(before.stream().filter(k -> k.startsWith("thinned/")).noneMatch(reported::get), "every deletion reported");
        assertTrue(log.stream().anyMatch(l -> l.contains("missed events")), "the watch queue overflowed: " + log);
        assertTrue(watcher.running());
    }

    @Test
    void changesTheIndexerCouldNotTakeAreSentAgainAndNewerOnesWin() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("served"));
        AtomicInteger calls = new AtomicInteger();
        DirectoryWatcher.Sink recording = recording();
        watch(root, changes -> {
            if (calls.incrementAndGet() <= 2) throw new IOException("the catalog is busy");
            recording.accept(changes);
        }, dir -> {});
        write(root.resolve("kept.csv"));
        write(root.resolve("brief.csv"));
        awaitTrue(() -> calls.get() >= 1, () -> "no batch was sent");
        Files.delete(root.resolve("brief.csv")); // a newer change of a file whose creation is still waiting to be sent
        awaitReportedEqualsFolder(root, Set.of());
        assertTrue(calls.get() >= 3);
        assertEquals(Boolean.FALSE, reported.getOrDefault("brief.csv", Boolean.FALSE));
        assertTrue(log.stream().anyMatch(l -> l.contains("sent again later")), log.toString());
    }
}
