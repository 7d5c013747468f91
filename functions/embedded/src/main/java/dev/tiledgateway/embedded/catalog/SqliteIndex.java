package dev.tiledgateway.embedded.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.CatalogJson;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.query.Words;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The search indexes of the embedded catalog, kept in the write transaction of every node they describe. Nodes are
 * named by {@code nodes.seq} (unique, and stable while the node exists: replacing a node keeps its row), their
 * container by the parent's {@code seq}, so that every index lookup is confined to one container.
 *
 * <ul>
 *   <li>{@code node_values}: one row per value a dotted key reaches in a node's metadata and per distinct element
 *       of an array there ({@link IndexedValue}), with B-tree indexes by (container, key, kind, number) and by
 *       (container, key, kind, text). This is a table rather than expression indexes on {@code json_extract}
 *       because an expression index needs a fixed key, and the keys are the user's.</li>
 *   <li>{@code node_words}: FTS5, one document per node holding its full-text words ({@link Words}), each prefixed
 *       with the container's seq so that a word's posting list is that of one container. The words are tokenised
 *       in Java and joined by spaces; FTS5's ascii tokenizer splits them back exactly, since no word holds an ASCII
 *       character that is not a letter or a digit.</li>
 *   <li>{@code node_specs}: (container, spec name, node). Structure families and keys are columns of
 *       {@code nodes}, indexed by (parent, family, seq) and by path.</li>
 * </ul>
 */
final class SqliteIndex {

    /** {@code PRAGMA user_version} of a catalog whose indexes are built; older catalogs are indexed at open. */
    static final int VERSION = 1;

    /** Separates a container's number from a word in a full-text token: neither a letter nor a digit, nor ASCII. */
    static final String WORD_SEPARATOR = "\u00b7";

    private SqliteIndex() {}

    /** Creates the index tables and, for a catalog written before they existed, fills them (inside the caller's transaction). */
    static void migrate(Connection c) throws SQLException, IOException {
        int version;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            rs.next();
            version = rs.getInt(1);
        }
        if (version >= VERSION) return;
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS node_values (node INTEGER NOT NULL, container INTEGER NOT NULL, "
                    + "key TEXT NOT NULL, elem INTEGER NOT NULL, kind INTEGER NOT NULL, num REAL, txt TEXT, json TEXT, "
                    + "loose INTEGER NOT NULL)");
            s.execute("CREATE INDEX IF NOT EXISTS values_by_number ON node_values(container, key, elem, kind, num, node)");
            s.execute("CREATE INDEX IF NOT EXISTS values_by_text ON node_values(container, key, elem, kind, txt, node)");
            s.execute("CREATE INDEX IF NOT EXISTS values_by_node ON node_values(node, key, elem)");
            s.execute("CREATE INDEX IF NOT EXISTS values_loose ON node_values(container, key) WHERE loose = 1");
            s.execute("CREATE TABLE IF NOT EXISTS node_specs (container INTEGER NOT NULL, name TEXT NOT NULL, node INTEGER NOT NULL, "
                    + "PRIMARY KEY (container, name, node)) WITHOUT ROWID");
            s.execute("CREATE INDEX IF NOT EXISTS specs_by_node ON node_specs(node, name)");
            // detail=none: only "which documents hold the token" is asked; contentless: the words are kept once, in the index.
            s.execute("CREATE VIRTUAL TABLE IF NOT EXISTS node_words USING fts5(tokens, tokenize='ascii', detail=none, "
                    + "content='', contentless_delete=1)");
            s.execute("CREATE INDEX IF NOT EXISTS nodes_by_family ON nodes(parent, family, seq)");
            // Index rows name nodes by seq, so it must be unique (it always was: MAX + 1 under the write lock); the
            // index also turns that MAX, read on every creation, from a walk through all nodes into one seek.
            s.execute("CREATE UNIQUE INDEX IF NOT EXISTS nodes_by_seq ON nodes(seq)");
            // A catalog of the previous version: its nodes have no index rows yet.
            s.execute("DELETE FROM node_values");
            s.execute("DELETE FROM node_specs");
            s.execute("DELETE FROM node_words");
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT n.seq, p.seq, n.metadata, n.specs FROM nodes n JOIN nodes p ON p.path = n.parent ORDER BY n.seq");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                List<Spec> specs = CatalogJson.readSpecs(Json.parse(rs.getString(4)));
                index(c, rs.getLong(1), rs.getLong(2), rs.getString(3), specs);
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + VERSION);
        }
    }

    /**
     * Writes the index rows of a node whose row was just inserted or replaced (after {@link #unindex} for a
     * replacement). {@code metadataJson} is the text stored in {@code nodes.metadata}: the rows describe what a read
     * of the node returns, so the text is parsed from the UTF-8 that SQLite keeps (a lone surrogate becomes '?' there).
     */
    static void index(Connection c, long node, long container, String metadataJson, List<Spec> specs) throws SQLException, IOException {
        JsonNode parsed = Json.parse(metadataJson.getBytes(StandardCharsets.UTF_8));
        ObjectNode metadata = parsed instanceof ObjectNode o ? o : Json.object();
        List<IndexedValue> rows = IndexedValue.of(metadata, metadataJson.length());
        if (!rows.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO node_values(node, container, key, elem, kind, num, txt, json, loose) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (IndexedValue v : rows) {
                    ps.setLong(1, node);
                    ps.setLong(2, container);
                    ps.setString(3, v.key());
                    ps.setInt(4, v.element() ? 1 : 0);
                    ps.setInt(5, v.kind());
                    ps.setObject(6, v.num());
                    ps.setString(7, v.txt());
                    ps.setString(8, v.json());
                    ps.setInt(9, v.loose() ? 1 : 0);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        Set<String> names = new LinkedHashSet<>();
        for (Spec s : specs) names.add(s.name());
        if (!names.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO node_specs(container, name, node) VALUES (?, ?, ?)")) {
                for (String name : names) {
                    ps.setLong(1, container);
                    ps.setString(2, name);
                    ps.setLong(3, node);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        Set<String> words = Words.of(metadata);
        if (!words.isEmpty()) {
            StringBuilder tokens = new StringBuilder();
            for (String w : words) tokens.append(token(container, w)).append(' ');
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO node_words(rowid, tokens) VALUES (?, ?)")) {
                ps.setLong(1, node);
                ps.setString(2, tokens.toString());
                ps.executeUpdate();
            }
        }
    }

    /** Removes the index rows of the nodes whose seq {@code nodes} (a SELECT of one column, with {@code params}) yields. */
    static void unindex(Connection c, String nodes, List<Object> params) throws SQLException {
        for (String sql : List.of("DELETE FROM node_values WHERE node IN (" + nodes + ")",
                "DELETE FROM node_specs WHERE node IN (" + nodes + ")",
                "DELETE FROM node_words WHERE rowid IN (" + nodes + ")")) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
                ps.executeUpdate();
            }
        }
    }

    /** The full-text token of a word in a container. */
    static String token(long container, String word) { return container + WORD_SEPARATOR + word; }

    /** The condition on {@code nodes} that selects a node's subtree (itself and everything below) by primary key. */
    static String subtree(List<Object> params, String joinedPath) {
        params.add(joinedPath);
        params.add(joinedPath + "/");
        params.add(joinedPath + "0"); // '0' follows '/': every path below lies between "p/" and "p0"
        return "path = ? OR (path > ? AND path < ?)";
    }
}
