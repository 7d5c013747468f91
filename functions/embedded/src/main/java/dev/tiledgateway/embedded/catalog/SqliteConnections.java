package dev.tiledgateway.embedded.catalog;

import org.sqlite.JDBC;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

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
                try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name)) {
                    bytes = in == null ? null : in.readAllBytes();
                }
                if (bytes != null) {
                    folder = Files.createTempDirectory("tiled-gateway-sqlite-");
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

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            p.toFile().deleteOnExit(); // a system that cannot delete a loaded library
        }
    }
}
