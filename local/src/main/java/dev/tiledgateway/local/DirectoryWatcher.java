package dev.tiledgateway.local;

import com.sun.nio.file.SensitivityWatchEventModifier;
import dev.tiledgateway.indexer.IndexerHandler;
import dev.tiledgateway.indexer.event.ClockSequencer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches a served folder and turns what changes in it into S3 event notifications for the indexer's handler:
 * the local stand-in for a bucket's notifications. Changes are gathered for a short quiet period (a copy makes
 * many events per file) and sent as one multi-record event.
 *
 * <p>The watcher keeps what it knows of the folder (each file's size and modification time). Whenever it may have
 * missed something (the watch service overflowed, or handling an event failed) it rescans: walks the folder, compares
 * it with what it knows and reports the differences as events. Nothing but closing stops it: a folder that vanishes
 * during a walk is skipped, an error is logged and followed by a rescan, and a batch the indexer could not handle is
 * sent again later (newer changes of the same file win).
 *
 * <p>Symbolic links are neither watched nor reported, whether they point out of the folder or back into it
 * (the file store does not read through them either): a linked folder is not entered, so no cycle is walked.
 */
final class DirectoryWatcher implements AutoCloseable {

    private static final long QUIET_MILLIS = 300;
    private static final long MAX_RETRY_MILLIS = 30_000;

    /** Where the watcher's changes go, one batch per call; a throw means "not handled, send again later". */
    interface Sink {
        void accept(List<S3EventJson.Change> changes) throws IOException;
    }

    /** What the watcher knows of one file, enough to tell at a rescan whether it changed. */
    private record Stamp(long size, long modified) {
        static Stamp of(BasicFileAttributes a) { return new Stamp(a.size(), a.lastModifiedTime().toMillis()); }
    }

    private final Path root;
    private final Sink sink;
    private final Consumer<String> log;
    /** Called as a walk enters each folder, before it is watched; a seam for tests that change the folder mid-walk. */
    private final Consumer<Path> entering;
    private final WatchService watcher;
    private final Map<WatchKey, Path> dirs = new ConcurrentHashMap<>();
    /** Files known to be there, by key, so a deleted folder is reported file by file (as S3 would) and a rescan finds what changed. Loop thread only. */
    private final TreeMap<String, Stamp> known = new TreeMap<>();
    private final Thread thread;
    private volatile boolean closed;

    DirectoryWatcher(Path root, IndexerHandler handler, String bucket, Consumer<String> log) throws IOException {
        this(root, changes -> handler.handleRequest(new ByteArrayInputStream(S3EventJson.of(bucket, changes)), new ByteArrayOutputStream(), null),
                log, dir -> {});
    }

    DirectoryWatcher(Path root, Sink sink, Consumer<String> log, Consumer<Path> entering) throws IOException {
        this.root = root.toRealPath();
        this.sink = sink;
        this.log = log;
        this.entering = entering;
        this.watcher = FileSystems.getDefault().newWatchService();
        walk(this.root, new LinkedHashMap<>(), null); // what is there now is the backfill's to register
        this.thread = new Thread(this::loop, "directory-watcher");
        this.thread.setDaemon(true);
    }

    void start() { thread.start(); }

    /** Whether the watcher's thread still runs (it stops only when closed). */
    boolean running() { return thread.isAlive(); }

    private String keyOf(Path p) { return root.relativize(p).toString().replace('\\', '/'); }

    private void loop() {
        Map<String, Boolean> pending = new LinkedHashMap<>();
        boolean rescanDue = false;
        long retryAt = 0;
        long retryDelay = QUIET_MILLIS;
        while (!closed) {
            try {
                WatchKey key = pending.isEmpty() && !rescanDue ? watcher.take() : watcher.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS);
                if (key != null) {
                    rescanDue |= handle(key, pending);
                    continue;
                }
                if (rescanDue) {
                    rescanDue = false;
                    rescan(pending);
                }
                if (pending.isEmpty() || System.currentTimeMillis() < retryAt) continue;
                if (flush(pending)) {
                    retryDelay = QUIET_MILLIS;
                } else {
                    retryAt = System.currentTimeMillis() + retryDelay;
                    retryDelay = Math.min(retryDelay * 2, MAX_RETRY_MILLIS);
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (closed) return;
                log.accept("the folder watcher met " + e + "; it rescans " + root);
                rescanDue = true;
            }
        }
    }

    /** Takes the events of one watch key into {@code pending}; true when a rescan is due (they overflowed). */
    private boolean handle(WatchKey key, Map<String, Boolean> pending) throws IOException {
        Path dir = dirs.get(key);
        boolean overflowed = false;
        try {
            for (WatchEvent<?> ev : key.pollEvents()) {
                if (ev.kind() == StandardWatchEventKinds.OVERFLOW) {
                    overflowed = true;
                } else if (dir != null) {
                    event(dir.resolve((Path) ev.context()), ev.kind(), pending);
                }
            }
        } finally {
            if (!key.reset()) dirs.remove(key);
        }
        if (overflowed) log.accept("the folder watcher missed events (too many at once); it rescans " + root);
        return overflowed;
    }

    private void event(Path p, WatchEvent.Kind<?> kind, Map<String, Boolean> pending) throws IOException {
        String k = keyOf(p);
        if (kind == StandardWatchEventKinds.ENTRY_DELETE) {
            forgetUnder(k, pending);
            return;
        }
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
            return; // its delete event follows
        }
        if (a.isDirectory()) {
            walk(p, pending, null);
        } else if (a.isRegularFile()) {
            known.put(k, Stamp.of(a));
            pending.put(k, true);
        }
    }

    /** Reports as deleted every known file that is {@code k} or lies under it. */
    private void forgetUnder(String k, Map<String, Boolean> pending) {
        List<String> gone = new ArrayList<>();
        if (known.containsKey(k)) gone.add(k);
        gone.addAll(known.subMap(k + "/", k + "0").keySet()); // '0' follows '/': every key under the folder k
        for (String f : gone) {
            known.remove(f);
            pending.put(f, false);
        }
    }

    /** Compares the folder with what the watcher knows and reports each difference as an event. */
    void rescan(Map<String, Boolean> pending) throws IOException {
        Set<String> seen = new HashSet<>();
        walk(root, pending, seen);
        List<String> gone = new ArrayList<>();
        for (String k : known.keySet()) if (!seen.contains(k)) gone.add(k);
        for (String k : gone) {
            known.remove(k);
            pending.put(k, false);
        }
    }

    /**
     * Watches every folder under {@code dir} and reports the files there that are new or changed (a folder copied in).
     * Whatever vanishes during the walk is skipped (its delete events follow); {@code seen} collects the files found.
     */
    private void walk(Path dir, Map<String, Boolean> pending, Set<String> seen) throws IOException {
        Files.walkFileTree(dir, EnumSet.noneOf(java.nio.file.FileVisitOption.class), Integer.MAX_VALUE, new FileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                entering.accept(d);
                try {
                    WatchKey k = d.register(watcher, new WatchEvent.Kind<?>[] {StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE}, SensitivityWatchEventModifier.HIGH);
                    dirs.put(k, d);
                } catch (NoSuchFileException | NotDirectoryException gone) {
                    return FileVisitResult.SKIP_SUBTREE;
                } catch (IOException e) {
                    log.accept("cannot watch " + d + " (" + e.getMessage() + "); its files are found at the next rescan only");
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                if (!attrs.isRegularFile()) return FileVisitResult.CONTINUE; // links and the rest are not served
                String k = keyOf(f);
                if (seen != null) seen.add(k);
                Stamp now = Stamp.of(attrs);
                if (!now.equals(known.put(k, now))) pending.put(k, true);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
                return unreadable(f, e); // vanished since it was listed, or not ours to read
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) {
                return e == null ? FileVisitResult.CONTINUE : unreadable(d, e); // vanished while listed
            }
        });
    }

    /**
     * A file or folder the walk could not read is passed over: gone (its delete events follow, and a later rescan
     * finds it gone) or unreadable (logged; the file store cannot read it either). The walk goes on either way.
     */
    private FileVisitResult unreadable(Path p, IOException e) {
        if (!(e instanceof NoSuchFileException)) log.accept("cannot read " + p + ": " + e);
        return FileVisitResult.CONTINUE;
    }

    /** Sends the pending changes; false (and they stay pending, behind newer ones) when the sink failed. */
    private boolean flush(Map<String, Boolean> pending) {
        List<S3EventJson.Change> changes = new ArrayList<>();
        Map<String, Boolean> batch = new HashMap<>(pending);
        pending.clear();
        for (var e : batch.entrySet()) {
            Path p = root.resolve(e.getKey());
            long size = 0;
            try {
                if (e.getValue()) size = Files.size(p);
            } catch (IOException gone) {
                continue; // created then removed before the quiet period ended: its delete follows
            }
            changes.add(new S3EventJson.Change(e.getValue(), e.getKey(), size, ClockSequencer.next()));
        }
        if (changes.isEmpty()) return true;
        try {
            sink.accept(changes);
            return true;
        } catch (IOException | RuntimeException e) {
            log.accept("indexing " + changes.size() + " change(s) failed, they are sent again later: " + e.getMessage());
            for (var e2 : batch.entrySet()) pending.putIfAbsent(e2.getKey(), e2.getValue());
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        watcher.close();
        thread.interrupt();
    }
}
