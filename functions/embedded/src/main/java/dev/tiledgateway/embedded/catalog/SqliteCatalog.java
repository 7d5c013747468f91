package dev.tiledgateway.embedded.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.CatalogJson;
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
import dev.tiledgateway.core.query.Distinct;
import dev.tiledgateway.core.query.Query;
import dev.tiledgateway.core.query.SearchPage;
import dev.tiledgateway.embedded.catalog.IndexTerms.Sql;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The embedded {@link Catalog}: one SQLite file, one row per node keyed by its joined path,
 * children found through an index on (parent, creation sequence). Metadata sorts use json_extract.
 * Search and distinct read the indexes of {@link SqliteIndex} ({@link SqliteSearch}), written in the same
 * transaction as the nodes they describe.
 *
 * <p>Concurrency is SQLite's own in WAL mode: one writer and any number of readers at once. All writes go through one
 * connection, held by one thread at a time for a whole transaction (begun IMMEDIATE, so it takes the file's write lock
 * first and never fails to upgrade a read; another process or connection writing waits at most the busy timeout).
 * Reads take a connection from a small pool and see the last committed state, never a write in progress, and never
 * wait for one. Reads inside a write transaction use the writer's connection, so they see its own writes.
 */
public final class SqliteCatalog implements Catalog, AutoCloseable {

    private static final Pattern METADATA_PATH = Pattern.compile("^[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*$");
    private static final String COLUMNS = "path, family, metadata, specs, structure, data_source, sorting, revision";
    /** {@link #COLUMNS} of {@code nodes n}, and its seq. */
    private static final String N_COLUMNS = "n.path, n.family, n.metadata, n.specs, n.structure, n.data_source, n.sorting, n.revision, n.seq";
    private static final int BUSY_TIMEOUT_MILLIS = 5000;
    /** Read connections kept open; more readers than this wait for one. */
    private static final int READERS = Math.max(4, Runtime.getRuntime().availableProcessors());

    /** Called inside each write transaction just before it commits; tests hold a transaction open with it. */
    @FunctionalInterface
    interface StepHook { void reached(String step); }

    private final String url;
    private final Connection writer;
    private final ReentrantLock writing = new ReentrantLock();
    private final BlockingQueue<Connection> idleReaders = new LinkedBlockingQueue<>();
    private final Semaphore readers = new Semaphore(READERS);
    private volatile boolean closed;
    private volatile StepHook hook = step -> {};
    /** Node rows decoded since the catalog opened: what a test reads to tell an index lookup from a scan. */
    private final LongAdder decoded = new LongAdder();
    private volatile Consumer<Sql> searchStatements = sql -> {};

    public SqliteCatalog(Path file) {
        url = "jdbc:sqlite:" + file.toAbsolutePath();
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            writer = SqliteConnections.open(url, config.toProperties());
            try (Statement s = writer.createStatement()) {
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
                SqliteRevisions.create(s);
            }
            inTransaction(c -> {
                SqliteIndex.migrate(c);
                return null;
            });
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open catalog " + file + ": " + e.getMessage(), e);
        }
    }

    void stepHook(StepHook h) { hook = h == null ? step -> {} : h; }

    /** How many node rows reads have decoded so far. */
    long rowsDecoded() { return decoded.sum(); }

    /** Shows each statement of search and distinct to {@code observer} before it runs; tests explain their plans. */
    void observeSearches(Consumer<Sql> observer) { searchStatements = observer == null ? sql -> {} : observer; }

    // ---- connections

    /** One unit of work on a connection. */
    @FunctionalInterface
    private interface Work<T> { T run(Connection c) throws SQLException, IOException; }

    private Connection openReader() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        Connection c = SqliteConnections.open(url, config.toProperties());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA query_only = 1");
        }
        return c;
    }

    /** Runs {@code work} on a read connection: the last committed state, whatever a writer is doing meanwhile. */
    private <T> T read(Work<T> work) {
        readers.acquireUninterruptibly();
        Connection c = null;
        boolean reusable = false;
        try {
            if (closed) throw new IllegalStateException("the catalog is closed");
            c = idleReaders.poll();
            if (c == null) c = openReader();
            T result = work.run(c);
            reusable = true;
            return result;
        } catch (SQLException | IOException e) {
            throw new UncheckedIOException(new IOException(e));
        } finally {
            if (c != null) {
                if (reusable && !closed) {
                    idleReaders.offer(c);
                    if (closed) closeIdleReaders(); // closed meanwhile: close() may have drained the pool before this one came back
                } else {
                    quietlyClose(c); // after a failure its state is unknown: a fresh one replaces it
                }
            }
            readers.release();
        }
    }

    /** Runs {@code work} on a read connection inside one read transaction: all its statements see one committed state. */
    private <T> T readSnapshot(Work<T> work) {
        return read(c -> {
            c.setAutoCommit(false);
            try {
                return work.run(c);
            } finally {
                c.commit();
                c.setAutoCommit(true);
            }
        });
    }

    /** Runs {@code work} in one write transaction: all of its writes commit together or none does. */
    private <T> T inTransaction(Work<T> work) {
        writing.lock();
        try {
            if (closed) throw new IllegalStateException("the catalog is closed");
            writer.setAutoCommit(false);
            try {
                T result = work.run(writer);
                hook.reached("before-commit");
                writer.commit();
                return result;
            } catch (RuntimeException | SQLException | IOException e) {
                writer.rollback();
                throw e;
            } finally {
                writer.setAutoCommit(true);
            }
        } catch (SQLException | IOException e) {
            throw new UncheckedIOException(new IOException(e));
        } finally {
            writing.unlock();
        }
    }

    private static void quietlyClose(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing more to do with it
        }
    }

    // ---- reads

    @Override
    public Optional<Node> get(NodePath path) { return read(c -> find(c, path)); }

    @Override
    public long countChildren(NodePath parent) { return read(c -> count(c, parent)); }

    @Override
    public List<Node> children(NodePath parent, List<SortKey> sort, long offset, int limit) {
        Sql order = orderBy(sort);
        List<Object> params = new ArrayList<>();
        params.add(parent.joined());
        params.addAll(order.params());
        params.add(limit);
        params.add(offset);
        String sql = "SELECT " + N_COLUMNS + " FROM nodes n WHERE n.parent = ? ORDER BY " + order.text() + " LIMIT ? OFFSET ?";
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
                List<Node> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(row(rs));
                }
                return out;
            }
        });
    }

    /**
     * The ORDER BY of a listing of {@code nodes n} in {@code sort} order (see {@link dev.tiledgateway.core.catalog.SortOrder},
     * which orders as this does), ties by creation.
     *
     * @throws TiledException (400) for a metadata key that is not a dotted path of letters, digits and underscores
     */
    static Sql orderBy(List<SortKey> sort) {
        StringBuilder order = new StringBuilder();
        List<Object> params = new ArrayList<>();
        int tieDirection = 1;
        for (SortKey k : sort) {
            if (k.isDefaultOrder()) {
                tieDirection = k.direction();
                continue;
            }
            String dir = k.direction() > 0 ? "ASC" : "DESC";
            if (k.key().equals("id")) order.append("n.key ").append(dir).append(", ");
            else {
                String mp = k.metadataPath();
                if (!METADATA_PATH.matcher(mp).matches()) throw TiledException.badRequest("Cannot sort by '" + k.key() + "'");
                // Nodes lacking the key sort last in either direction, as upstream's in-memory trees do.
                order.append("(json_extract(n.metadata, ?) IS NULL) ASC, json_extract(n.metadata, ?) ").append(dir).append(", ");
                String jp = "$." + mp;
                params.add(jp);
                params.add(jp);
            }
        }
        order.append("n.seq ").append(tieDirection > 0 ? "ASC" : "DESC");
        return new Sql(order.toString(), params);
    }

    @Override
    public SearchPage search(NodePath parent, List<Query> filters, List<SortKey> sort, long offset, int limit) {
        return readSnapshot(c -> new SqliteSearch(c, this::row, N_COLUMNS, searchStatements).search(parent, filters, sort, offset, limit));
    }

    @Override
    public Distinct distinct(NodePath parent, List<Query> filters, Distinct.Request request) {
        return readSnapshot(c -> new SqliteSearch(c, this::row, N_COLUMNS, searchStatements).distinct(parent, filters, request));
    }

    private Optional<Node> find(Connection c, NodePath path) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM nodes WHERE path = ?")) {
            ps.setString(1, path.joined());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static long count(Connection c, NodePath parent) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM nodes WHERE parent = ?")) {
            ps.setString(1, parent.joined());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    // ---- writes

    @Override
    public Node put(Node node) {
        if (node.path().isRoot()) throw TiledException.conflict("The root cannot be replaced");
        node.checkedForWrite();
        return inTransaction(c -> node.withRevision(write(c, node)));
    }

    /**
     * Inserts or replaces the node's row inside the caller's transaction, and its index rows with it; returns the new
     * revision. A replaced node keeps its seq (its position, and the name its index rows use).
     */
    private static long write(Connection c, Node node) throws SQLException, IOException {
        long container;
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, family FROM nodes WHERE path = ?")) {
            ps.setString(1, node.path().parent().joined());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw TiledException.notFound("No such entry: " + node.path().parent());
                if (!StructureFamily.CONTAINER.wire().equals(rs.getString(2)))
                    throw TiledException.conflict("Parent " + node.path().parent() + " is not a container");
                container = rs.getLong(1);
            }
        }
        long revision;
        long seq;
        try (PreparedStatement ps = c.prepareStatement("SELECT revision, seq FROM nodes WHERE path = ?")) {
            ps.setString(1, node.path().joined());
            try (ResultSet rs = ps.executeQuery()) {
                boolean exists = rs.next();
                revision = exists ? rs.getLong(1) + 1 : 1;
                seq = exists ? rs.getLong(2) : 0;
            }
        }
        if (revision == 1) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM nodes")) {
                rs.next();
                seq = rs.getLong(1);
            }
        } else {
            SqliteIndex.unindex(c, "?", List.of(seq));
        }
        String sql = revision == 1
                ? "INSERT INTO nodes(family, metadata, specs, structure, data_source, sorting, revision, parent, key, path, seq) "
                  + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                : "UPDATE nodes SET family = ?, metadata = ?, specs = ?, structure = ?, data_source = ?, sorting = ?, revision = ? "
                  + "WHERE parent = ? AND key = ? AND path = ?";
        String metadata = Json.text(node.metadata() == null ? Json.object() : node.metadata());
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, node.family().wire());
            ps.setString(2, metadata);
            ps.setString(3, Json.text(CatalogJson.specs(node.specs())));
            ps.setString(4, node.structure() == null ? null : Json.text(node.structure()));
            ps.setString(5, node.dataSource() == null ? null : Json.text(CatalogJson.dataSource(node.dataSource())));
            ps.setString(6, node.sorting() == null ? null : Json.text(CatalogJson.sorting(node.sorting())));
            ps.setLong(7, revision);
            ps.setString(8, node.path().parent().joined());
            ps.setString(9, node.path().key());
            ps.setString(10, node.path().joined());
            if (revision == 1) ps.setLong(11, seq);
            ps.executeUpdate();
        }
        SqliteIndex.index(c, seq, container, metadata, node.specs());
        return revision;
    }

    @Override
    public boolean delete(NodePath path) {
        if (path.isRoot()) throw TiledException.conflict("The root cannot be deleted");
        return inTransaction(c -> deleteSubtree(c, path));
    }

    /** Deletes a node, everything below it, their index rows and their revisions. */
    private static boolean deleteSubtree(Connection c, NodePath path) throws SQLException {
        SqliteRevisions.deleteSubtree(c, path);
        List<Object> params = new ArrayList<>();
        String subtree = SqliteIndex.subtree(params, path.joined());
        SqliteIndex.unindex(c, "SELECT seq FROM nodes WHERE " + subtree, params);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM nodes WHERE " + subtree)) {
            for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
            return ps.executeUpdate() > 0;
        }
    }

    // ---- registration from storage events

    /** The last event applied for (path, source): its normalized sequencer and whether it removed; null if none. */
    private record Applied(String sequencer, boolean removed) {}

    private static Applied applied(Connection c, NodePath path, String source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT sequencer, removed FROM registrations WHERE path = ? AND source = ?")) {
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

    private static void record(Connection c, NodePath path, String source, String sequencer, boolean removed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO registrations(path, source, sequencer, removed) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT(path, source) DO UPDATE SET sequencer = excluded.sequencer, removed = excluded.removed")) {
            ps.setString(1, path.joined());
            ps.setString(2, source);
            ps.setString(3, sequencer);
            ps.setInt(4, removed ? 1 : 0);
            ps.executeUpdate();
        }
    }

    @Override
    public Optional<Node> putIfNewer(Node node, String source, String sequencer) {
        if (node.path().isRoot()) throw TiledException.conflict("The root cannot be replaced");
        node.checkedForWrite();
        String s = Sequencers.normalize(sequencer);
        return inTransaction(c -> {
            if (stale(applied(c, node.path(), source), s)) return Optional.empty();
            Optional<Node> existing = find(c, node.path());
            Node incoming = existing.isPresent() && SqliteRevisions.edited(c, node.path()) ? SqliteRevisions.keepEdits(node, existing.get()) : node;
            Node stored = existing.isPresent() && existing.get().sameContent(incoming) ? existing.get() : incoming.withRevision(write(c, incoming));
            record(c, node.path(), source, s, false);
            return Optional.of(stored);
        });
    }

    @Override
    public boolean removeIfNewer(NodePath path, String source, String sequencer) {
        if (path.isRoot()) throw TiledException.conflict("The root cannot be deleted");
        String s = Sequencers.normalize(sequencer);
        return inTransaction(c -> {
            if (stale(applied(c, path, source), s)) return false;
            deleteSubtree(c, path);
            record(c, path, source, s, true);
            return true;
        });
    }

    @Override
    public Optional<Node> replaceIfRevision(Node node, long revision) {
        if (node.path().isRoot()) throw TiledException.conflict("The root cannot be replaced");
        node.checkedForWrite();
        return inTransaction(c -> {
            Optional<Node> existing = find(c, node.path());
            if (existing.isEmpty() || existing.get().revision() != revision) return Optional.<Node>empty();
            if (existing.get().isContainer() && !node.isContainer() && count(c, node.path()) > 0)
                throw TiledException.conflict("Cannot replace container " + node.path() + " that has children with a non-container");
            return Optional.of(node.withRevision(write(c, node)));
        });
    }

    // ---- metadata updates and revisions (SqliteRevisions)

    @Override
    public Optional<Node> updateMetadata(NodePath path, long expectedRevision, ObjectNode metadata, List<Spec> specs, boolean saveRevision) {
        if (path.isRoot()) throw TiledException.conflict("The root's metadata cannot be changed");
        return inTransaction(c -> {
            Optional<Node> existing = find(c, path);
            if (existing.isEmpty() || existing.get().revision() != expectedRevision) return Optional.<Node>empty();
            Node old = existing.get();
            Node updated = new Node(path, old.family(), metadata, specs, old.structure(), old.dataSource(), old.sorting(), old.revision()).checkedForWrite();
            SqliteRevisions.record(c, old, saveRevision, java.time.Instant.now());
            return Optional.of(updated.withRevision(write(c, updated)));
        });
    }

    @Override
    public List<dev.tiledgateway.core.catalog.Revision> revisions(NodePath path, long offset, int limit) {
        return read(c -> SqliteRevisions.list(c, path, offset, limit));
    }

    @Override
    public long countRevisions(NodePath path) { return read(c -> SqliteRevisions.count(c, path)); }

    @Override
    public boolean deleteRevision(NodePath path, long number) { return inTransaction(c -> SqliteRevisions.delete(c, path, number)); }

    @Override
    public List<Registration> registrations(NodePath path) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT source, sequencer, removed FROM registrations WHERE path = ?")) {
                ps.setString(1, path.joined());
                List<Registration> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new Registration(rs.getString(1), rs.getString(2), rs.getInt(3) != 0));
                }
                return out;
            }
        });
    }

    @Override
    public Optional<Node> createIfAbsent(Node node) {
        if (node.path().isRoot()) return Optional.empty();
        node.checkedForWrite();
        return inTransaction(c -> find(c, node.path()).isPresent() ? Optional.<Node>empty() : Optional.of(node.withRevision(write(c, node))));
    }

    @Override
    public boolean removeIfEmptyContainer(NodePath path) {
        if (path.isRoot()) return false;
        return inTransaction(c -> {
            Optional<Node> n = find(c, path);
            if (n.isEmpty() || !n.get().isBareContainer() || count(c, path) > 0) return false;
            return deleteSubtree(c, path);
        });
    }

    private Node row(ResultSet rs) throws SQLException {
        decoded.increment();
        try {
            String structure = rs.getString("structure");
            String ds = rs.getString("data_source");
            String sorting = rs.getString("sorting");
            return new Node(
                    NodePath.of(rs.getString("path")),
                    StructureFamily.fromWire(rs.getString("family")),
                    (ObjectNode) Json.parse(rs.getString("metadata")),
                    CatalogJson.readSpecs(Json.parse(rs.getString("specs"))),
                    structure == null ? null : Json.parse(structure),
                    ds == null ? null : CatalogJson.readDataSource(Json.parse(ds)),
                    sorting == null ? null : CatalogJson.readSorting(Json.parse(sorting)),
                    rs.getLong("revision"));
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            throw new SQLException("corrupt catalog row: " + e.getMessage(), e);
        }
    }

    /** Closes the writer (after the transaction in progress, if any) and the read connections (as each read ends). */
    @Override
    public void close() throws SQLException {
        writing.lock();
        try {
            if (closed) return;
            closed = true;
            writer.close();
        } finally {
            writing.unlock();
        }
        closeIdleReaders();
    }

    private void closeIdleReaders() {
        for (Connection c; (c = idleReaders.poll()) != null; ) quietlyClose(c);
    }

}
