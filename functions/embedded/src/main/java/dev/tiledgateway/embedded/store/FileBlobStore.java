package dev.tiledgateway.embedded.store;

import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.BlobWriter;
import dev.tiledgateway.core.store.ByteRange;
import dev.tiledgateway.core.store.ObjectVersion;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A {@link BlobStore} over a folder: key {@code a/b/c} is the file {@code root/a/b/c}.
 * Writes (whole or streamed) go to a temporary file renamed into place, so readers never see a partial object.
 * Presigned URLs come from an optional {@link UrlSigner} (the local server signs its own).
 *
 * <p>Nothing outside the folder is ever read, listed or written. The root's own real path is resolved once;
 * below it the store never follows a symbolic link, whether it points out of the folder or back into it:
 * a key whose path passes a link (or a file where a folder should be) names no object, exactly as a key
 * that names nothing, so no answer tells a client what lies beyond the link. Links inside the folder are
 * skipped rather than followed because they would show the same data under two names, or loop.
 * (Someone who can already write into the folder could still swap a folder for a link between the check
 * and the open of a read; the last name is opened without following links, the folders above it are not.)
 */
public final class FileBlobStore implements BlobStore {

    /** Turns a key and a lifetime into a URL the local server will honour without credentials. */
    @FunctionalInterface
    public interface UrlSigner {
        URI sign(String key, Duration ttl);
    }

    private static final String TMP_PREFIX = ".tmp-";

    /** The root as given (absolute, normalized): data URIs may name files under it. */
    private final Path root;
    /** The root with its links resolved: every path this store touches lies under it. */
    private final Path realRoot;
    private final UrlSigner signer;

    public FileBlobStore(Path root) {
        this(root, null);
    }

    public FileBlobStore(Path root, UrlSigner signer) {
        this.root = root.toAbsolutePath().normalize();
        this.signer = signer;
        try {
            Files.createDirectories(this.root);
            this.realRoot = this.root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The served folder, its links resolved. */
    public Path root() { return realRoot; }

    /** The path of {@code key} under the root (it may not exist); refuses keys that would escape the root. */
    public Path fileOf(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.contains("\\")) throw new IllegalArgumentException("invalid key: " + key);
        for (String part : key.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..") || part.startsWith(TMP_PREFIX))
                throw new IllegalArgumentException("invalid key: " + key);
        }
        Path p = realRoot.resolve(key).normalize();
        if (!p.startsWith(realRoot) || p.equals(realRoot)) throw new IllegalArgumentException("invalid key: " + key);
        return p;
    }

    /**
     * What lies at a path under the real root, reached one name at a time without following a link:
     * {@code attributes} when something is there, {@code throughLink} when a symbolic link stands on the way
     * (or at the path itself). Something missing, or a file where a folder should be, is neither.
     */
    private record Reach(BasicFileAttributes attributes, boolean throughLink) {
        static final Reach NOTHING = new Reach(null, false);

        boolean isFile() { return attributes != null && attributes.isRegularFile(); }

        boolean isFolder() { return attributes != null && attributes.isDirectory(); }
    }

    private Reach reach(Path p) throws IOException {
        Path rel = realRoot.relativize(p);
        Path at = realRoot;
        BasicFileAttributes a = null;
        for (int i = 0; i < rel.getNameCount(); i++) {
            if (a != null && !a.isDirectory()) return Reach.NOTHING;
            at = at.resolve(rel.getName(i));
            try {
                a = Files.readAttributes(at, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return Reach.NOTHING;
            }
            if (a.isSymbolicLink()) return new Reach(null, true);
        }
        return new Reach(a, false);
    }

    /**
     * The regular file holding {@code key}, when there is one that this store may read (inside the root,
     * reached without a link); what the local server streams presigned downloads from.
     */
    public Optional<Path> regularFile(String key) throws IOException {
        Path p = fileOf(key);
        return reach(p).isFile() ? Optional.of(p) : Optional.empty();
    }

    @FunctionalInterface
    private interface Read<T> {
        T from(FileChannel ch) throws IOException;
    }

    /** Reads the object at {@code key} if it is a regular file this store may read; empty otherwise. */
    private <T> Optional<T> read(String key, Read<T> read) throws IOException {
        Optional<Path> file = regularFile(key);
        if (file.isEmpty()) return Optional.empty();
        try (FileChannel ch = FileChannel.open(file.get(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(read.from(ch));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (FileSystemException e) {
            // Replaced by a link or a folder since it was looked at: as absent as it now is.
            if (regularFile(key).isEmpty()) return Optional.empty();
            throw e;
        }
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        return read(key, ch -> readFully(ch, 0, ch.size()));
    }

    /** The size of the pieces a file is read in: small enough to stay in cache between the kernel's copy and the JDK's. */
    private static final int PIECE = 256 * 1024;

    /**
     * {@code length} bytes from {@code position} (fewer if the file ends first), read piece by piece. A heap buffer is
     * filled through a temporary direct one: in pieces, the second copy reads what the first just left in cache,
     * where one read of megabytes copies them twice through memory.
     */
    private static byte[] readFully(FileChannel ch, long position, long length) throws IOException {
        if (length > Integer.MAX_VALUE - 8) throw new IOException("an object of " + length + " bytes is too large to read whole");
        byte[] out = new byte[(int) length];
        int n = 0;
        while (n < out.length) {
            int r = ch.read(ByteBuffer.wrap(out, n, Math.min(PIECE, out.length - n)), position + n);
            if (r < 0) break;
            n += r;
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    @Override
    public Optional<byte[]> getRange(String key, long offset, long length) throws IOException {
        return read(key, ch -> {
            long size = ch.size();
            long start = offset < 0 ? Math.max(0, size + offset) : Math.min(offset, size);
            long end = offset < 0 ? size : Math.min(size, start + Math.max(0, length));
            return readFully(ch, start, end - start);
        });
    }

    /** Every range by a positional read of one open file: one version of the object, one path check. */
    @Override
    public Optional<List<byte[]>> getRanges(String key, List<ByteRange> ranges) throws IOException {
        return read(key, ch -> {
            long size = ch.size();
            List<byte[]> out = new ArrayList<>(ranges.size());
            for (ByteRange r : ranges) {
                long start = Math.min(r.offset(), size), end = Math.min(size, r.end());
                out.add(readFully(ch, start, end - start));
            }
            return out;
        });
    }

    @Override
    public Optional<Long> size(String key) throws IOException {
        Reach r = reach(fileOf(key));
        return r.isFile() ? Optional.of(r.attributes().size()) : Optional.empty();
    }

    /**
     * Within this long of a file's last change, its times cannot tell that change from one more write in the
     * same clock tick (a few milliseconds on Linux; a second or two on file systems that keep whole seconds).
     */
    static final Duration FINE_TICK = Duration.ofMillis(50);
    static final Duration COARSE_TICK = Duration.ofMillis(2100);

    /**
     * The file's size, modification and status-change times (ns) and identity (device and inode): a write
     * changes the times, a replacement by rename the inode, and tools that restore an old modification time
     * still change the status-change time. A file changed within the last clock tick is looked at again once
     * the tick has passed, so that a second write in the same tick cannot keep the same times unnoticed.
     */
    @Override
    public Optional<ObjectVersion> version(String key) throws IOException {
        Path p = fileOf(key);
        for (int attempt = 0; ; attempt++) {
            Reach r = reach(p);
            if (!r.isFile()) return Optional.empty();
            BasicFileAttributes a = r.attributes();
            long modified = nanos(a.lastModifiedTime());
            long changed = modified;
            try {
                changed = nanos((FileTime) Files.getAttribute(p, "unix:ctime", LinkOption.NOFOLLOW_LINKS));
            } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
                // not a POSIX file system: the modification time alone
            } catch (NoSuchFileException gone) {
                return Optional.empty();
            }
            long newest = Math.max(modified, changed);
            boolean coarse = modified % 1_000_000_000L == 0 && changed % 1_000_000_000L == 0;
            long tick = (coarse ? COARSE_TICK : FINE_TICK).toNanos();
            Instant now = Instant.now();
            long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            long wait = newest + tick - nowNanos;
            if (wait > 0 && wait <= tick && attempt < 3) {
                sleep(wait);
                continue;
            }
            String tag = modified + "." + changed + (a.fileKey() == null ? "" : "." + a.fileKey());
            return Optional.of(new ObjectVersion(key, a.size(), tag));
        }
    }

    private static long nanos(FileTime t) {
        Instant i = t.toInstant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static void sleep(long nanos) throws IOException {
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading a file's version");
        }
    }

    @Override
    public void put(String key, byte[] bytes) throws IOException {
        Path p = fileOf(key);
        createFoldersFor(key, p);
        Path tmp = p.resolveSibling(TMP_PREFIX + UUID.randomUUID());
        try {
            Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            moveIntoPlace(tmp, p);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A hard link to the source's file, renamed into place: no bytes move, and since every write replaces a file
     * (a new one renamed over the key) and never changes one, the two keys stay independent objects. Where the file
     * system has no hard links, the bytes are copied.
     */
    @Override
    public boolean copy(String from, String to) throws IOException {
        Optional<Path> source = regularFile(from);
        if (source.isEmpty()) return false;
        Path p = fileOf(to);
        createFoldersFor(to, p);
        Path tmp = p.resolveSibling(TMP_PREFIX + UUID.randomUUID());
        try {
            try {
                Files.createLink(tmp, source.get());
            } catch (NoSuchFileException e) {
                return false;
            } catch (UnsupportedOperationException | FileSystemException e) {
                return BlobStore.super.copy(from, to);
            }
            moveIntoPlace(tmp, p);
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Streams into a temporary file beside the object's, renamed into place on commit and deleted when abandoned. */
    @Override
    public BlobWriter openWrite(String key) throws IOException {
        Path p = fileOf(key);
        createFoldersFor(key, p);
        Path tmp = p.resolveSibling(TMP_PREFIX + UUID.randomUUID());
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16);
        return new BlobWriter() {
            @Override
            protected void append(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }

            @Override
            protected void store() throws IOException {
                try {
                    out.close();
                    moveIntoPlace(tmp, p);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }

            @Override
            protected void abandon() throws IOException {
                try {
                    out.close();
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        };
    }

    /** The folders of a new object: every one on the way that exists already must be a real folder, never a link to elsewhere. */
    private void createFoldersFor(String key, Path p) throws IOException {
        Path parent = p.getParent();
        for (Path at = parent; !at.equals(realRoot); at = at.getParent()) {
            if (Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                if (!reach(at).isFolder())
                    throw new FileSystemException(key, null, "a symbolic link or a file lies on the path of this key");
                break;
            }
        }
        Files.createDirectories(parent);
    }

    private static void moveIntoPlace(Path tmp, Path p) throws IOException {
        try {
            Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        if (regularFile(key).isPresent()) Files.deleteIfExists(fileOf(key));
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        // Walk only the deepest folder the prefix names, then filter by the full prefix.
        int slash = prefix.lastIndexOf('/');
        Path start;
        if (slash < 0) start = realRoot;
        else {
            try {
                start = fileOf(prefix.substring(0, slash));
            } catch (IllegalArgumentException e) {
                return List.of();
            }
            if (!reach(start).isFolder()) return List.of();
        }
        List<String> keys = new ArrayList<>();
        // Without FOLLOW_LINKS the walk neither enters linked folders nor reports links as files, so it cannot loop.
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                if (!attrs.isRegularFile() || f.getFileName().toString().startsWith(TMP_PREFIX)) return FileVisitResult.CONTINUE;
                String key = realRoot.relativize(f).toString().replace('\\', '/');
                if (key.startsWith(prefix)) keys.add(key);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE; // removed while listing
                throw e;
            }
        });
        keys.sort(null);
        return keys;
    }

    /**
     * {@code file://localhost/abs/path} or {@code file:///abs/path} inside the root, reached without a symbolic
     * link; never anything outside it. Paths outside answer the same whether or not they exist.
     */
    @Override
    public Optional<String> keyOf(URI dataUri) {
        if (!"file".equalsIgnoreCase(dataUri.getScheme())) return Optional.empty();
        String ssp = dataUri.getRawSchemeSpecificPart();
        if (dataUri.isOpaque() || ssp == null || !ssp.startsWith("//")) return Optional.empty();
        String host = dataUri.getHost();
        if (host != null && !host.isEmpty() && !host.equals("localhost")) return Optional.empty();
        if (dataUri.getRawAuthority() != null && host == null) return Optional.empty(); // e.g. file://user@/x
        try {
            String path = dataUri.getPath();
            if (path == null || !path.startsWith("/")) return Optional.empty();
            Path p = Path.of(path).normalize();
            Path rel;
            if (p.startsWith(realRoot)) rel = realRoot.relativize(p);
            else if (p.startsWith(root)) rel = root.relativize(p);
            else return Optional.empty();
            if (rel.toString().isEmpty()) return Optional.empty();
            String key = rel.toString().replace('\\', '/');
            // A key that names nothing (yet) is the readers' to report; one through a link is refused here.
            return reach(fileOf(key)).throughLink() ? Optional.empty() : Optional.of(key);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public URI uriOf(String key) {
        String k = key;
        while (k.endsWith("/")) k = k.substring(0, k.length() - 1);
        return k.isEmpty() ? realRoot.toUri() : fileOf(k).toUri();
    }

    @Override
    public Optional<URI> presignGet(String key, Duration ttl) {
        return signer == null ? Optional.empty() : Optional.of(signer.sign(key, ttl));
    }
}
