package dev.tiledgateway.embedded.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Registration;
import dev.tiledgateway.core.catalog.Sequencers;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The embedded {@link Catalog}: one SQLite file, one row per node keyed by its joined path,
 * children found through an index on (parent, creation sequence). Metadata sorts use json_extract.
 */
public final class SqliteCatalog implements Catalog, AutoCloseable {

    private static final Pattern METADATA_PATH = Pattern.compile("^[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*$");
    private static final String COLUMNS = "path, family, metadata, specs, structure, data_source, sorting, revision";

    private final Connection db;

    public SqliteCatalog(Path file) {
        try {
            db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("CREATE TABLE IF NOT EXISTS nodes (path TEXT PRIMARY KEY, parent TEXT, key TEXT NOT NULL, "
                        + "seq INTEGER NOT NULL, revision INTEGER NOT NULL, family TEXT NOT NULL, metadata TEXT NOT NULL, "
                        + "specs TEXT NOT NULL, structure TEXT, data_source TEXT, sorting TEXT)");
                s.execute("CREATE INDEX IF NOT EXISTS nodes_by_parent ON nodes(parent, seq)");
                s.execute("INSERT OR IGNORE INTO nodes(path, parent, key, seq, revision, family, metadata, specs) "
                        + "VALUES ('', NULL, '', 0, 1, 'container', '{}', '[]')");
                // The last storage event applied per (node path, source object): sequencer normalized to a fixed
                // width (so text order is numeric order) and whether it was a removal (a tombstone). Rows outlive nodes.
                s.execute("CREATE TABLE IF NOT EXISTS registrations (path TEXT NOT NULL, source TEXT NOT NULL, "
                        + "sequencer TEXT NOT NULL, removed INTEGER NOT NULL, PRIMARY KEY (path, source)) WITHOUT ROWID");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open catalog " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Optional<Node> get(NodePath path) {
        try (PreparedStatement ps = db.prepareStatement("SELECT " + COLUMNS + " FROM nodes WHERE path = ?")) {
            ps.setString(1, path.joined());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    @Override
    public synchronized long countChildren(NodePath parent) {
        try (PreparedStatement ps = db.prepareStatement("SELECT COUNT(*) FROM nodes WHERE parent = ?")) {
            ps.setString(1, parent.joined());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    @Override
    public synchronized List<Node> children(NodePath parent, List<SortKey> sort, long offset, int limit) {
        StringBuilder order = new StringBuilder();
        List<String> params = new ArrayList<>();
        int tieDirection = 1;
        for (SortKey k : sort) {
            if (k.isDefaultOrder()) {
                tieDirection = k.direction();
                continue;
            }
            String dir = k.direction() > 0 ? "ASC" : "DESC";
            if (k.key().equals("id")) order.append("key ").append(dir).append(", ");
            else {
                String mp = k.metadataPath();
                if (!METADATA_PATH.matcher(mp).matches()) throw TiledException.badRequest("Cannot sort by '" + k.key() + "'");
                // Nodes lacking the key sort last in either direction, as upstream's in-memory trees do.
                order.append("(json_extract(metadata, ?) IS NULL) ASC, json_extract(metadata, ?) ").append(dir).append(", ");
                String jp = "$." + mp;
                params.add(jp);
                params.add(jp);
            }
        }
        order.append("seq ").append(tieDirection > 0 ? "ASC" : "DESC");
        String sql = "SELECT " + COLUMNS + " FROM nodes WHERE parent = ? ORDER BY " + order + " LIMIT ? OFFSET ?";
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, parent.joined());
            for (String p : params) ps.setString(i++, p);
            ps.setLong(i++, limit);
            ps.setLong(i, offset);
            List<Node> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(row(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    @Override
    public synchronized Node put(Node node) {
        if (node.path().isRoot()) throw TiledException.conflict("The root cannot be replaced");
        node.checkedForWrite();
        return inTransaction(() -> node.withRevision(write(node)));
    }

    /** Inserts or replaces the node's row inside the caller's transaction; returns the new revision. */
    private long write(Node node) throws SQLException, IOException {
        Node parent = get(node.path().parent()).orElseThrow(() -> TiledException.notFound("No such entry: " + node.path().parent()));
        if (!parent.isContainer()) throw TiledException.conflict("Parent " + parent.path() + " is not a container");
        long revision;
        try (PreparedStatement ps = db.prepareStatement("SELECT revision FROM nodes WHERE path = ?")) {
            ps.setString(1, node.path().joined());
            try (ResultSet rs = ps.executeQuery()) {
                revision = rs.next() ? rs.getLong(1) + 1 : 1;
            }
        }
        String sql = revision == 1
                ? "INSERT INTO nodes(family, metadata, specs, structure, data_source, sorting, revision, parent, key, path, seq) "
                  + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM nodes))"
                : "UPDATE nodes SET family = ?, metadata = ?, specs = ?, structure = ?, data_source = ?, sorting = ?, revision = ? "
                  + "WHERE parent = ? AND key = ? AND path = ?";
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setString(1, node.family().wire());
            ps.setString(2, Json.MAPPER.writeValueAsString(node.metadata() == null ? Json.object() : node.metadata()));
            ps.setString(3, Json.MAPPER.writeValueAsString(node.specs()));
            ps.setString(4, node.structure() == null ? null : Json.MAPPER.writeValueAsString(node.structure()));
            ps.setString(5, node.dataSource() == null ? null : Json.MAPPER.writeValueAsString(node.dataSource()));
            ps.setString(6, node.sorting() == null ? null : Json.MAPPER.writeValueAsString(node.sorting()));
            ps.setLong(7, revision);
            ps.setString(8, node.path().parent().joined());
            ps.setString(9, node.path().key());
            ps.setString(10, node.path().joined());
            ps.executeUpdate();
        }
        return revision;
    }

    /** One unit of work inside a transaction. */
    @FunctionalInterface
    private interface Work<T> { T run() throws SQLException, IOException; }

    /** Runs {@code work} in one transaction: all of its writes commit together or none does. */
    private <T> T inTransaction(Work<T> work) {
        try {
            db.setAutoCommit(false);
            try {
                T result = work.run();
                db.commit();
                return result;
            } catch (RuntimeException | SQLException | IOException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException | IOException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    @Override
    public synchronized boolean delete(NodePath path) {
        if (path.isRoot()) throw TiledException.conflict("The root cannot be deleted");
        try {
            return deleteSubtree(path);
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    private boolean deleteSubtree(NodePath path) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("DELETE FROM nodes WHERE path = ? OR substr(path, 1, ?) = ?")) {
            String p = path.joined();
            ps.setString(1, p);
            ps.setInt(2, p.length() + 1);
            ps.setString(3, p + "/");
            return ps.executeUpdate() > 0;
        }
    }

    // ---- registration from storage events

    /** The last event applied for (path, source): its normalized sequencer and whether it removed; null if none. */
    private record Applied(String sequencer, boolean removed) {}

    private Applied applied(NodePath path, String source) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT sequencer, removed FROM registrations WHERE path = ? AND source = ?")) {
            ps.setString(1, path.joined());
            ps.setString(2, source);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Applied(rs.getString(1), rs.getInt(2) != 0) : null;
            }
        }
    }

    /** Stale: an event after this one was applied, or this very one as a removal. */
    private static boolean stale(Applied last, String sequencer) {
        if (last == null) return false;
        int c = sequencer.compareTo(last.sequencer());
        return c < 0 || (c == 0 && last.removed());
    }

    private void record(NodePath path, String source, String sequencer, boolean removed) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO registrations(path, source, sequencer, removed) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT(path, source) DO UPDATE SET sequencer = excluded.sequencer, removed = excluded.removed")) {
            ps.setString(1, path.joined());
            ps.setString(2, source);
            ps.setString(3, sequencer);
            ps.setInt(4, removed ? 1 : 0);
            ps.executeUpdate();
        }
    }

    @Override
    public synchronized Optional<Node> putIfNewer(Node node, String source, String sequencer) {
        if (node.path().isRoot()) throw TiledException.conflict("The root cannot be replaced");
        node.checkedForWrite();
        String s = Sequencers.normalize(sequencer);
        return inTransaction(() -> {
            if (stale(applied(node.path(), source), s)) return Optional.empty();
            Optional<Node> existing = get(node.path());
            Node stored = existing.isPresent() && existing.get().sameContent(node) ? existing.get() : node.withRevision(write(node));
            record(node.path(), source, s, false);
            return Optional.of(stored);
        });
    }

    @Override
    public synchronized boolean removeIfNewer(NodePath path, String source, String sequencer) {
        if (path.isRoot()) throw TiledException.conflict("The root cannot be deleted");
        String s = Sequencers.normalize(sequencer);
        return inTransaction(() -> {
            if (stale(applied(path, source), s)) return false;
            deleteSubtree(path);
            record(path, source, s, true);
            return true;
        });
    }

    @Override
    public synchronized Optional<Node> replaceIfRevision(Node node, long revision) {
        if (node.path().isRoot()) throw TiledException.conflict("The root cannot be replaced");
        node.checkedForWrite();
        return inTransaction(() -> {
            Optional<Node> existing = get(node.path());
            if (existing.isEmpty() || existing.get().revision() != revision) return Optional.<Node>empty();
            if (existing.get().isContainer() && !node.isContainer() && countChildren(node.path()) > 0)
                throw TiledException.conflict("Cannot replace container " + node.path() + " that has children with a non-container");
            return Optional.of(node.withRevision(write(node)));
        });
    }

    @Override
    public synchronized List<Registration> registrations(NodePath path) {
        try (PreparedStatement ps = db.prepareStatement("SELECT source, sequencer, removed FROM registrations WHERE path = ?")) {
            ps.setString(1, path.joined());
            List<Registration> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new Registration(rs.getString(1), rs.getString(2), rs.getInt(3) != 0));
            }
            return out;
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    @Override
    public synchronized Optional<Node> createIfAbsent(Node node) {
        if (node.path().isRoot()) return Optional.empty();
        node.checkedForWrite();
        return inTransaction(() -> get(node.path()).isPresent() ? Optional.<Node>empty() : Optional.of(node.withRevision(write(node))));
    }

    @Override
    public synchronized boolean removeIfEmptyContainer(NodePath path) {
        if (path.isRoot()) return false;
        return inTransaction(() -> {
            Optional<Node> n = get(path);
            if (n.isEmpty() || !n.get().isBareContainer() || countChildren(path) > 0) return false;
            return deleteSubtree(path);
        });
    }

    private static Node row(ResultSet rs) throws SQLException {
        try {
            String structure = rs.getString("structure");
            String ds = rs.getString("data_source");
            String sorting = rs.getString("sorting");
            return new Node(
                    NodePath.of(rs.getString("path")),
                    StructureFamily.fromWire(rs.getString("family")),
                    (ObjectNode) Json.parse(rs.getString("metadata")),
                    Json.MAPPER.readValue(rs.getString("specs"), new TypeReference<List<Spec>>() {}),
                    structure == null ? null : Json.parse(structure),
                    ds == null ? null : Json.MAPPER.readValue(ds, DataSource.class),
                    sorting == null ? null : Json.MAPPER.readValue(sorting, new TypeReference<List<SortKey>>() {}),
                    rs.getLong("revision"));
        } catch (IOException e) {
            throw new SQLException("corrupt catalog row: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        db.close();
    }

}
