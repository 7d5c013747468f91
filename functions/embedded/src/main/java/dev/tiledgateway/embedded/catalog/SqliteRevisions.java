package dev.tiledgateway.embedded.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.CatalogJson;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Revision;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The revisions of {@link SqliteCatalog}: one row per revision, keyed by (node path, number), and one head row per node
 * whose metadata was ever updated through the API, holding the last number handed out (so numbers are never reused,
 * even after the last revision is deleted) and saying that registration keeps the node's metadata. Every statement
 * runs inside the caller's transaction, beside the node write it belongs to.
 */
final class SqliteRevisions {


    private SqliteRevisions() {}

    static void create(Statement s) throws SQLException {
        s.execute("CREATE TABLE IF NOT EXISTS revisions (path TEXT NOT NULL, number INTEGER NOT NULL, metadata TEXT NOT NULL, "
                + "specs TEXT NOT NULL, time_updated TEXT NOT NULL, PRIMARY KEY (path, number)) WITHOUT ROWID");
        s.execute("CREATE TABLE IF NOT EXISTS revision_heads (path TEXT PRIMARY KEY, last INTEGER NOT NULL) WITHOUT ROWID");
    }

    /** Whether the node's metadata was ever updated through the API (it has a head row). */
    static boolean edited(Connection c, NodePath path) throws SQLException {
        return last(c, path) >= 0;
    }

    /** {@code registered} with the metadata and specs of {@code stored}: what registration writes over an edited node. */
    static Node keepEdits(Node registered, Node stored) {
        return new Node(registered.path(), registered.family(), stored.metadata(), stored.specs(), registered.structure(),
                registered.dataSource(), registered.sorting(), registered.revision());
    }

    /** The last revision number handed out for the node, 0 when none was, -1 when it was never updated. */
    private static long last(Connection c, NodePath path) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT last FROM revision_heads WHERE path = ?")) {
            ps.setString(1, path.joined());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /** Marks the node as updated and, when {@code save}, stores its current metadata and specs as its next revision. */
    static void record(Connection c, Node current, boolean save, Instant when) throws SQLException, IOException {
        long last = Math.max(0, last(c, current.path()));
        long number = save ? last + 1 : last;
        if (save) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO revisions(path, number, metadata, specs, time_updated) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, current.path().joined());
                ps.setLong(2, number);
                ps.setString(3, Json.text(current.metadata() == null ? Json.object() : current.metadata()));
                ps.setString(4, Json.text(CatalogJson.specs(current.specs())));
                ps.setString(5, when.toString());
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO revision_heads(path, last) VALUES (?, ?) "
                + "ON CONFLICT(path) DO UPDATE SET last = excluded.last")) {
            ps.setString(1, current.path().joined());
            ps.setLong(2, number);
            ps.executeUpdate();
        }
    }

    static List<Revision> list(Connection c, NodePath path, long offset, int limit) throws SQLException, IOException {
        List<Revision> out = new ArrayList<>();
        if (limit <= 0) return out;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT number, metadata, specs, time_updated FROM revisions WHERE path = ? ORDER BY number LIMIT ? OFFSET ?")) {
            ps.setString(1, path.joined());
            ps.setInt(2, limit);
            ps.setLong(3, Math.max(0, offset));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Revision(rs.getLong(1), (ObjectNode) Json.parse(rs.getString(2)), CatalogJson.readSpecs(Json.parse(rs.getString(3))),
                            Instant.parse(rs.getString(4))));
                }
            }
        }
        return out;
    }

    static long count(Connection c, NodePath path) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM revisions WHERE path = ?")) {
            ps.setString(1, path.joined());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static boolean delete(Connection c, NodePath path, long number) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM revisions WHERE path = ? AND number = ?")) {
            ps.setString(1, path.joined());
            ps.setLong(2, number);
            return ps.executeUpdate() > 0;
        }
    }

    /** Removes the revisions and heads of the node at {@code path} and of everything below it. */
    static void deleteSubtree(Connection c, NodePath path) throws SQLException {
        for (String table : List.of("revisions", "revision_heads")) {
            List<Object> params = new ArrayList<>();
            String subtree = SqliteIndex.subtree(params, path.joined());
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE " + subtree)) {
                for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
                ps.executeUpdate();
            }
        }
    }
}
