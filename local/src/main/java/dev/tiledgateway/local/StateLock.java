package dev.tiledgateway.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive lock on a command's state folder (a served folder's catalog, the demo's data), held for as long as
 * the command runs: a second command on the same state is refused before it touches anything. The operating system
 * releases the lock when the process ends, however it ends, so a crash leaves nothing to clean up. The lock file
 * names the process holding it, for the refusal's message.
 */
final class StateLock implements AutoCloseable {

    /** The state is in use by another command (of this or another process). */
    static final class HeldException extends IOException {
        HeldException(String message) { super(message); }
    }

    static final String FILE = "lock";

    /**
     * Lock files this process holds. A second channel on a locked file is never opened in the same process: on
     * POSIX systems closing any descriptor of a file drops every lock the process has on it.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private StateLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code folder} (created if missing), or refuses.
     *
     * @param what what the state is, for the refusal ("the catalog of /data")
     * @throws HeldException when another command holds it
     */
    static StateLock take(Path folder, String what) throws IOException {
        Files.createDirectories(folder);
        Path file = folder.toRealPath().resolve(FILE);
        if (!HELD.add(file)) throw held(what, file);
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException | IOException e) {
                ch.close();
                throw e;
            }
            if (l == null) {
                ch.close();
                throw held(what, file);
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(("process " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(false);
            return new StateLock(file, ch, l);
        } catch (IOException | RuntimeException e) {
            HELD.remove(file);
            throw e;
        }
    }

    private static HeldException held(String what, Path file) {
        String holder = "";
        try {
            holder = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException unreadable) {
            // the message does without it
        }
        return new HeldException(what + " is in use by another tiled-gateway" + (holder.isEmpty() ? "" : " (" + holder + ")")
                + "; stop it first (its lock: " + file + ")");
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
            HELD.remove(file);
        }
    }
}
