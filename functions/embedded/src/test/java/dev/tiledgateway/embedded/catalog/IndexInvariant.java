package dev.tiledgateway.embedded.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.query.Words;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks, through a connection of its own, that a catalog file's indexes describe exactly its nodes: every node's
 * value rows, spec rows and full-text words are those its stored metadata and specs give, under its parent's seq,
 * and no index row names a node that is gone.
 */
final class IndexInvariant {

    private IndexInvariant() {}

    static void check(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            for (String orphans : List.of(
                    "SELECT COUNT(*) FROM node_values WHERE node NOT IN (SELECT seq FROM nodes)",
                    "SELECT COUNT(*) FROM node_specs WHERE node NOT IN (SELECT seq FROM nodes)",
                    "SELECT COUNT(*) FROM node_words WHERE rowid NOT IN (SELECT seq FROM nodes)")) {
                assertEquals(0, single(c, orphans), orphans);
            }
            long withWords = 0;
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT n.seq, p.seq, n.metadata, n.specs, n.path FROM nodes n JOIN nodes p ON p.path = n.parent")) {
                while (rs.next()) {
                    long node = rs.getLong(1), container = rs.getLong(2);
                    String text = rs.getString(3), path = rs.getString(5);
                    ObjectNode metadata = (ObjectNode) Json.parse(text.getBytes(StandardCharsets.UTF_8));
                    TreeSet<String> expected = new TreeSet<>();
                    for (IndexedValue v : IndexedValue.of(metadata, text.length())) expected.add(describe(container, v));
                    assertEquals(expected, values(c, node), "value rows of " + path);
                    TreeSet<String> names = new TreeSet<>();
                    for (Spec spec : Json.mapper().readValue(rs.getString(4), Spec[].class)) names.add(container + "/" + spec.name());
                    assertEquals(names, specs(c, node), "spec rows of " + path);
                    if (!Words.of(metadata).isEmpty()) withWords++;
                    for (String w : Words.of(metadata)) {
                        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM node_words WHERE node_words MATCH ? AND rowid = ?")) {
                            ps.setString(1, "\"" + SqliteIndex.token(container, w) + "\"");
                            ps.setLong(2, node);
                            try (ResultSet m = ps.executeQuery()) {
                                m.next();
                                assertEquals(1, m.getLong(1), "word " + w + " of " + path);
                            }
                        }
                    }
                }
            }
            assertEquals(withWords, single(c, "SELECT COUNT(*) FROM node_words"), "full-text documents");
            assertTrue(single(c, "PRAGMA user_version") >= SqliteIndex.VERSION);
        }
    }

    private static String describe(long container, IndexedValue v) {
        return container + "|" + v.key() + "|" + (v.element() ? 1 : 0) + "|" + v.kind() + "|" + v.num() + "|"
                + v.txt() + "|" + v.json() + "|" + (v.loose() ? 1 : 0);
    }

    private static TreeSet<String> values(Connection c, long node) throws Exception {
        TreeSet<String> out = new TreeSet<>();
        List<String> duplicates = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT container, key, elem, kind, num, txt, json, loose FROM node_values WHERE node = ?")) {
            ps.setLong(1, node);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object num = rs.getObject(5);
                    String row = rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getInt(3) + "|" + rs.getInt(4) + "|"
                            + (num == null ? null : ((Number) num).doubleValue()) + "|"
                            + rs.getString(6) + "|" + rs.getString(7) + "|" + rs.getInt(8);
                    if (!out.add(row)) duplicates.add(row);
                }
            }
        }
        assertEquals(List.of(), duplicates, "duplicate value rows of node " + node);
        return out;
    }

    private static TreeSet<String> specs(Connection c, long node) throws Exception {
        TreeSet<String> out = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT container, name FROM node_specs WHERE node = ?")) {
            ps.setLong(1, node);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getLong(1) + "/" + rs.getString(2));
            }
        }
        return out;
    }

    private static long single(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return Objects.requireNonNull(rs.getObject(1), sql) instanceof Number n ? n.longValue() : -1;
        }
    }
}
