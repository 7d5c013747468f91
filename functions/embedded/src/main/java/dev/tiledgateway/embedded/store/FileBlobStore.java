package dev.tiledgateway.embedded.store;

import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.BlobWriter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A {@link BlobStore} over a folder: key {@code a/b/c} is the file {@code root/a/b/c}.
 * Writes (whole or streamed) go to a temporary file renamed into place, so readers never see a partial object.
 * Presigned URLs come from an optional {@link UrlSigner} (the local server signs its own).
 */
public final class FileBlobStore implements BlobStore {

    /** Turns a key and a lifetime into a URL the local server will honour without credentials. */
    @FunctionalInterface
    public interface UrlSigner {
        URI sign(String key, Duration ttl);
    }

    private static final String TMP_PREFIX = ".tmp-";

    private final Path root;
    private final UrlSigner signer;

    public FileBlobStore(Path root) {
        this(root, null);
    }

    public FileBlobStore(Path root, UrlSigner signer) {
        this.root = root.toAbsolutePath().normalize();
        this.signer = signer;
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() { return root; }

    /** The file holding {@code key}; refuses keys that would escape the root. */
    public Path fileOf(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.contains("\\")) throw new IllegalArgumentException("invalid key: " + key);
        for (String part : key.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..") || part.startsWith(TMP_PREFIX))
                throw new IllegalArgumentException("invalid key: " + key);
        }
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root)) throw new IllegalArgumentException("invalid key: " + key);
        return p;
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        Path p = fileOf(key);
        try {
            if (Files.isDirectory(p)) return Optional.empty();
            return Optional.of(Files.readAllBytes(p));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<byte[]> getRange(String key, long offset, long length) throws IOException {
        Path p = fileOf(key);
        if (Files.isDirectory(p)) return Optional.empty();
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long size = ch.size();
            long start = offset < 0 ? Math.max(0, size + offset) : Math.min(offset, size);
            long end = offset < 0 ? size : Math.min(size, start + Math.max(0, length));
            ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(end - start));
            while (buf.hasRemaining()) {
                if (ch.read(buf, start + buf.position()) < 0) break;
            }
            return Optional.of(buf.array());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<Long> size(String key) throws IOException {
        Path p = fileOf(key);
        try {
            if (Files.isDirectory(p)) return Optional.empty();
            return Optional.of(Files.size(p));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void put(String key, byte[] bytes) throws IOException {
        Path p = fileOf(key);
        Files.createDirectories(p.getParent());
        Path tmp = p.resolveSibling(TMP_PREFIX + UUID.randomUUID());
        try {
            Files.write(tmp, bytes);
            moveIntoPlace(tmp, p);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Streams into a temporary file beside the object's, renamed into place on commit and deleted when abandoned. */
    @Override
    public BlobWriter openWrite(String key) throws IOException {
        Path p = fileOf(key);
        Files.createDirectories(p.getParent());
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

    private static void moveIntoPlace(Path tmp, Path p) throws IOException {
        try {
            Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        Path p = fileOf(key);
        if (!Files.isDirectory(p)) Files.deleteIfExists(p);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        // Walk only the deepest folder the prefix names, then filter by the full prefix.
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash)).normalize();
        if (!start.startsWith(root) || !Files.isDirectory(start)) return List.of();
        List<String> keys = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(start)) {
            walk.filter(Files::isRegularFile).forEach(f -> {
                String key = root.relativize(f).toString().replace('\\', '/');
                if (key.startsWith(prefix) && !f.getFileName().toString().startsWith(TMP_PREFIX)) keys.add(key);
            });
        }
        keys.sort(null);
        return keys;
    }

    /** {@code file://localhost/abs/path} or {@code file:///abs/path} inside the root; never outside it. */
    @Override
    public Optional<String> keyOf(URI dataUri) {
        if (!"file".equalsIgnoreCase(dataUri.getScheme())) return Optional.empty();
        String host = dataUri.getHost();
        if (host != null && !host.isEmpty() && !host.equals("localhost")) return Optional.empty();
        try {
            Path p = Path.of(dataUri.getPath()).toAbsolutePath().normalize();
            if (!p.startsWith(root) || p.equals(root)) return Optional.empty();
            String key = root.relativize(p).toString().replace('\\', '/');
            fileOf(key);
            return Optional.of(key);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public URI uriOf(String key) {
        String k = key;
        while (k.endsWith("/")) k = k.substring(0, k.length() - 1);
        return k.isEmpty() ? root.toUri() : fileOf(k).toUri();
    }

    @Override
    public Optional<URI> presignGet(String key, Duration ttl) {
        return signer == null ? Optional.empty() : Optional.of(signer.sign(key, ttl));
    }
}
