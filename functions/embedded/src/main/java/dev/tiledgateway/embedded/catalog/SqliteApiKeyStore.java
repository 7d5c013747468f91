package dev.tiledgateway.embedded.catalog;

import dev.tiledgateway.core.auth.ApiKeyStore;
import dev.tiledgateway.core.catalog.CatalogJson;
import dev.tiledgateway.core.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The embedded {@link ApiKeyStore}: a table of the catalog's SQLite file, keyed by the secret's hash. */
public final class SqliteApiKeyStore implements ApiKeyStore, AutoCloseable {

    private final Connection db;

    public SqliteApiKeyStore(Path file) {
        try {
            db = SqliteConnections.open("jdbc:sqlite:" + file.toAbsolutePath(), new java.util.Properties());
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("CREATE TABLE IF NOT EXISTS api_keys (hash TEXT PRIMARY KEY, first_eight TEXT NOT NULL, owner TEXT NOT NULL, "
                        + "scopes TEXT NOT NULL, expires INTEGER, note TEXT, created INTEGER NOT NULL, access_tags TEXT NOT NULL)");
                s.execute("CREATE INDEX IF NOT EXISTS api_keys_by_owner ON api_keys(owner, created)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the API keys in " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized boolean create(ApiKey k) {
        try {
            db.setAutoCommit(false);
            try {
                try (PreparedStatement ps = db.prepareStatement("SELECT COUNT(*) FROM api_keys WHERE owner = ?")) {
                    ps.setString(1, k.owner());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) >= MAX_KEYS_PER_OWNER) {
                            db.rollback();
                            return false;
                        }
                    }
                }
                try (PreparedStatement ps = db.prepareStatement("INSERT INTO api_keys(hash, first_eight, owner, scopes, expires, note, created, access_tags) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, k.hash());
                    ps.setString(2, k.firstEight());
                    ps.setString(3, k.owner());
                    ps.setString(4, Json.text(CatalogJson.strings(k.scopes())));
                    if (k.expires() == null) ps.setNull(5, Types.INTEGER);
                    else ps.setLong(5, k.expires().toEpochMilli());
                    ps.setString(6, k.note());
                    ps.setLong(7, k.created().toEpochMilli());
                    ps.setString(8, Json.text(CatalogJson.strings(k.accessTags())));
                    ps.executeUpdate();
                }
                db.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    @Override
    public synchronized Optional<ApiKey> byHash(String hash) {
        return query("SELECT * FROM api_keys WHERE hash = ?", hash).stream().findFirst();
    }

    @Override
    public synchronized List<ApiKey> byOwner(String owner) {
        return query("SELECT * FROM api_keys WHERE owner = ? ORDER BY created, hash", owner);
    }

    @Override
    public synchronized boolean revoke(String owner, String firstEight) {
        try (PreparedStatement ps = db.prepareStatement("DELETE FROM api_keys WHERE owner = ? AND first_eight = ?")) {
            ps.setString(1, owner);
            ps.setString(2, firstEight);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    private List<ApiKey> query(String sql, String arg) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setString(1, arg);
            List<ApiKey> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long expires = rs.getLong("expires");
                    boolean never = rs.wasNull();
                    out.add(new ApiKey(rs.getString("hash"), rs.getString("first_eight"), rs.getString("owner"),
                            CatalogJson.readStrings(Json.parse(rs.getString("scopes"))), never ? null : Instant.ofEpochMilli(expires),
                            rs.getString("note"), Instant.ofEpochMilli(rs.getLong("created")), CatalogJson.readStrings(Json.parse(rs.getString("access_tags")))));
                }
            }
            return out;
        } catch (SQLException | IOException | IllegalArgumentException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    @Override
    public synchronized void close() throws SQLException { db.close(); }
}
