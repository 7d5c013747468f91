package dev.tiledgateway.local;

import com.sun.nio.file.SensitivityWatchEventModifier;
import dev.tiledgateway.indexer.IndexerHandler;
import dev.tiledgateway.indexer.event.ClockSequencer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Watches a served folder and turns what changes in it into S3 event notifications for the indexer's handler:
 * the local stand-in for a bucket's notifications. Changes are gathered for a short quiet period (a copy makes
 * many events per file) and sent as one multi-record event.
 *
 * <p>Symbolic links are neither watched nor reported, whether they point out of the folder or back into it
 * (the file store does not read through them either): a linked folder is not entered, so no cycle is walked.
 */
final class DirectoryWatcher implements AutoCloseable {

    private static final long QUIET_MILLIS = 300;

    private final Path root;
    private final IndexerHandler handler;
    private final String bucket;
    private final WatchService watcher;
    private final Map<WatchKey, Path> dirs = new ConcurrentHashMap<>();
    /** Files seen, so a deleted folder can be reported file by file, as S3 would. */
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final Thread thread;

    DirectoryWatcher(Path root, IndexerHandler handler, String bucket) throws IOException {
        this.root = root.toRealPath();
        this.handler = handler;
        this.bucket = bucket;
        this.watcher = FileSystems.getDefault().newWatchService();
        registerTree(this.root, new LinkedHashMap<>());
        this.thread = new Thread(this::loop, "directory-watcher");
        this.thread.setDaemon(true);
    }

    void start() { thread.start(); }

    private String keyOf(Path p) { return root.relativize(p).toString().replace('\\', '/'); }

    /**
     * Watches every folder under {@code dir}; files found there (a folder copied in) are reported as created.
     * The walk does not follow links, and links are neither folders nor files here.
     */
    private void registerTree(Path dir, Map<String, Boolean> changes) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    WatchKey k = p.register(watcher, new WatchEvent.Kind<?>[] {StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE}, SensitivityWatchEventModifier.HIGH);
                    dirs.put(k, p);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    String key = keyOf(p);
                    if (known.add(key)) changes.put(key, true);
                }
            }
        }
    }

    private void loop() {
        Map<String, Boolean> pending = new LinkedHashMap<>();
        try {
            while (true) {
                WatchKey key = pending.isEmpty() ? watcher.take() : watcher.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS);
                if (key == null) {
                    flush(pending);
                    continue;
                }
                Path dir = dirs.get(key);
                for (WatchEvent<?> ev : key.pollEvents()) {
                    if (dir == null || ev.kind() == StandardWatchEventKinds.OVERFLOW) continue;
                    Path p = dir.resolve((Path) ev.context());
                    String k = keyOf(p);
                    if (ev.kind() == StandardWatchEventKinds.ENTRY_DELETE) {
                        List<String> gone = new ArrayList<>();
                        for (String f : known) if (f.equals(k) || f.startsWith(k + "/")) gone.add(f);
                        for (String f : gone) {
                            known.remove(f);
                            pending.put(f, false);
                        }
                    } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        registerTree(p, pending);
                    } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        known.add(k);
                        pending.put(k, true);
                    }
                }
                if (!key.reset()) dirs.remove(key);
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        } catch (IOException | RuntimeException e) {
            System.err.println("tiled-gateway: the folder watcher stopped: " + e);
        }
    }

    private void flush(Map<String, Boolean> pending) {
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
        if (changes.isEmpty()) return;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(S3EventJson.of(bucket, changes)), out, null);
        } catch (IOException | RuntimeException e) {
            System.err.println("tiled-gateway: indexing " + changes.size() + " change(s) failed: " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        watcher.close();
        thread.interrupt();
    }
}
