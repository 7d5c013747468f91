package dev.tiledgateway.embedded.catalog;

import org.sqlite.JDBC;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connections to the embedded catalog's SQLite files, and the driver's native library loaded once, quickly.
 *
 * <p>Left to itself, sqlite-jdbc extracts its library into the shared temporary folder and then compares the copy with
 * the original one byte at a time through two streams: about 60 ms of a cold start's construction of the handler
 * (443–460 ms with it, 393–405 ms without, C1). Here the library's bytes are read from the driver's jar in one go,
 * written into a folder of this process's own (created private, so no other user can swap the file before it is
 * loaded), loaded from there through the driver's documented {@code org.sqlite.lib.path} and {@code org.sqlite.lib.name},
 * and deleted as soon as it is loaded (a loaded library stays mapped), so that even a killed process leaves nothing
 * behind. When anything in that fails, or the library's location is already configured, the driver loads it as it
 * would have.
 *
 * <p>On Linux on x86-64 or ARM64 with the GNU C library, the library's folder in the jar is named here: the driver
 * would find it by running {@code uname -o} in a new process (to tell Termux on Android apart) and listing the
 * process's mapped files (to tell musl apart), which took about 40 ms of a cold start. Anywhere else, including any
 * system with a musl loader or an Android environment, the driver names it. The private folder's name is made of the
 * process id, the clock and a counter, and created in one step that fails when anything already has that name, so
 * that no {@code SecureRandom} is started for it (about 25 ms).
 */
final class SqliteConnections {

    private static final String PATH = "org.sqlite.lib.path", NAME = "org.sqlite.lib.name";
    private static volatile boolean loaded;

    private SqliteConnections() {}

    /** A connection to {@code url} ({@code jdbc:sqlite:...}) with the driver's {@code properties}. */
    static Connection open(String url, Properties properties) throws SQLException {
        if (!loaded) load();
        Connection c = JDBC.createConnection(url, properties);
        if (c == null) throw new SQLException("not an SQLite address: " + url);
        return c;
    }

    private static synchronized void load() {
        if (loaded) return;
        if (System.getProperty(PATH) == null && System.getProperty(NAME) == null) {
            String name = LibraryLoaderUtil.getNativeLibName();
            Path folder = null, library = null;
            try {
                byte[] bytes;
                try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resourceFolder() + "/" + name)) {
                    bytes = in == null ? null : in.readAllBytes();
                }
                if (bytes != null) {
                    folder = privateFolder();
                    library = Files.write(folder.resolve(name), bytes);
                    System.setProperty(PATH, folder.toString());
                    System.setProperty(NAME, name);
                }
            } catch (IOException | RuntimeException e) {
                if (folder != null) { // the driver extracts it its own way
                    delete(folder.resolve(name));
                    delete(folder);
                }
                library = null;
            }
            try {
                SQLiteJDBCLoader.initialize();
            } catch (Exception e) {
                // the first connection reports what is wrong with the library
            } finally {
                if (library != null) {
                    System.clearProperty(PATH);
                    System.clearProperty(NAME);
                    delete(library);
                    delete(folder);
                }
            }
        }
        loaded = true;
    }

    /** The library's folder in the driver's jar: named here for plain Linux on x86-64 and ARM64, else by the driver. */
    static String resourceFolder() {
        String arch = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64" -> "aarch64";
            default -> null;
        };
        boolean plainLinux = "Linux".equals(System.getProperty("os.name")) && arch != null
                && !System.getProperty("java.runtime.name", "").toLowerCase(Locale.ROOT).contains("android")
                && System.getenv("ANDROID_ROOT") == null && System.getenv("ANDROID_DATA") == null
                && !Files.exists(Path.of("/lib/ld-musl-" + arch + ".so.1"));
        return plainLinux ? "/org/sqlite/native/Linux/" + arch : LibraryLoaderUtil.getNativeLibResourcePath();
    }

    private static final AtomicLong FOLDERS = new AtomicLong();

    /** A new folder only this user can enter, in the temporary folder; it never reuses anything already there. */
    private static Path privateFolder() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        FileAttribute<?> owner = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        for (int attempt = 0; ; attempt++) {
            Path p = tmp.resolve("tiled-gateway-sqlite-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-" + FOLDERS.incrementAndGet());
            try {
                return Files.createDirectory(p, owner);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 9) throw e;
            } catch (UnsupportedOperationException e) { // not a POSIX file system: the JDK's own private temporary folder
                return Files.createTempDirectory("tiled-gateway-sqlite-");
            }
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            p.toFile().deleteOnExit(); // a system that cannot delete a loaded library
        }
    }
}
