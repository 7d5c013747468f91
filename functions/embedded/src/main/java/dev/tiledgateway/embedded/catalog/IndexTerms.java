package dev.tiledgateway.embedded.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.catalog.CatalogJson;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.query.Comparison;
import dev.tiledgateway.core.query.Contains;
import dev.tiledgateway.core.query.Eq;
import dev.tiledgateway.core.query.FullText;
import dev.tiledgateway.core.query.In;
import dev.tiledgateway.core.query.KeyLookup;
import dev.tiledgateway.core.query.KeyPresent;
import dev.tiledgateway.core.query.KeysFilter;
import dev.tiledgateway.core.query.Like;
import dev.tiledgateway.core.query.NotEq;
import dev.tiledgateway.core.query.NotIn;
import dev.tiledgateway.core.query.Query;
import dev.tiledgateway.core.query.SpecsQuery;
import dev.tiledgateway.core.query.StructureFamilyQuery;
import dev.tiledgateway.core.query.Values;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The filters of one search translated into conditions on the embedded catalog's indexes ({@link SqliteIndex}).
 * Each indexed filter becomes a {@link Term}; a filter the indexes cannot decide exactly (regex, a user's query
 * type, a decimal value, a key with {@link IndexedValue#loose loose} rows) is also kept as a residual, evaluated
 * with {@link Query#matches} on each node the terms select (its term, if any, selecting a superset).
 */
final class IndexTerms {

    /** The most values of one {@code in}, {@code notin} or {@code keys_filter} bound as SQL parameters (SQLite allows 32766). */
    static final int MAX_LISTED = 10_000;
    /** Full-text tokens longer than this (UTF-8 bytes) may be cut by FTS5, so a match on them is checked. */
    private static final int MAX_EXACT_TOKEN_BYTES = 1000;

    /** A piece of SQL and its parameters, in order. */
    record Sql(String text, List<Object> params) {
        Sql(String text, Object... params) { this(text, List.of(params)); }

        Sql and(Sql o) { return join(" AND ", this, o); }

        static Sql join(String separator, Sql a, Sql b) {
            List<Object> p = new ArrayList<>(a.params);
            p.addAll(b.params);
            return new Sql(a.text + separator + b.text, p);
        }

        Sql wrap(String before, String after) { return new Sql(before + text + after, params); }
    }

    /**
     * One indexed filter. {@code set} (null when the filter is negative and selects nothing by itself) is a SELECT of
     * one column {@code node}: the seqs of the container's children that may pass, each once, found through an index;
     * {@code probe} is a condition on the candidate {@code n} (a row of {@code nodes}) that holds when it may pass.
     */
    record Term(Sql set, Sql probe) {}

    final List<Term> terms = new ArrayList<>();
    final List<Query> residual = new ArrayList<>();
    /** A filter matches nothing: the search is empty whatever the rest says. */
    boolean nothing;

    private final Connection c;
    private final long container;
    private final NodePath parent;

    private IndexTerms(Connection c, long container, NodePath parent) {
        this.c = c;
        this.container = container;
        this.parent = parent;
    }

    /** Translates {@code filters} for the children of {@code parent} (whose seq is {@code container}). */
    static IndexTerms of(Connection c, long container, NodePath parent, List<Query> filters) throws SQLException {
        IndexTerms t = new IndexTerms(c, container, parent);
        for (Query q : filters) t.add(q);
        return t;
    }

    private void add(Query q) throws SQLException {
        if (!bindable(q)) {
            residual.add(q);
            return;
        }
        switch (q) {
            case KeyLookup k -> keys(List.of(k.key()), q);
            case KeysFilter k -> keys(k.keys(), q);
            case StructureFamilyQuery f -> terms.add(new Term(
                    new Sql("SELECT seq AS node FROM nodes WHERE parent = ? AND family = ?", parent.joined(), f.family().wire()),
                    new Sql("n.family = ?", f.family().wire())));
            case SpecsQuery s -> {
                for (String name : s.include()) terms.add(new Term(
                        new Sql("SELECT node FROM node_specs WHERE container = ? AND name = ?", container, name),
                        new Sql("EXISTS (SELECT 1 FROM node_specs s WHERE s.node = n.seq AND s.name = ?)", name)));
                for (String name : s.exclude())
                    terms.add(new Term(null, new Sql("NOT EXISTS (SELECT 1 FROM node_specs s WHERE s.node = n.seq AND s.name = ?)", name)));
            }
            case FullText f -> fullText(f);
            case Eq e -> values(e.key(), false, List.of(e.value()), true, q);
            case In i -> values(i.key(), false, i.values(), true, q);
            case Contains k -> values(k.key(), true, List.of(k.value()), true, q);
            case NotEq e -> values(e.key(), false, List.of(e.value()), false, q);
            case NotIn i -> {
                if (!i.values().isEmpty()) values(i.key(), false, i.values(), false, q); // NOT IN () holds for every child
            }
            case Comparison k -> {
                // A number SQL cannot compare exactly: the non-strict comparison selects a superset, checked node by node.
                if (k.value().isNumber() && !IndexedValue.exactNumber(k.value())) residual.add(q);
                valueTerm(k.key(), false, compare(k.operator(), k.value()), q);
            }
            case KeyPresent k -> {
                Sql present = new Sql("EXISTS (SELECT 1 FROM node_values v WHERE v.node = n.seq AND v.key = ? AND v.elem = 0)", k.key());
                terms.add(k.exists()
                        ? new Term(new Sql("SELECT node FROM node_values WHERE container = ? AND key = ? AND elem = 0", container, k.key()), present)
                        : new Term(null, present.wrap("NOT ", "")));
            }
            case Like l -> valueTerm(l.key(), false, new Sql("kind = " + IndexedValue.STRING + " AND txt GLOB ?", glob(l.pattern())), q);
            default -> residual.add(q); // regex, a user's query type: evaluated node by node
        }
    }

    /**
     * Whether every string of the filter reaches SQLite as itself: a lone surrogate is stored as '?' (so the index,
     * like the stored metadata, holds '?' there, and the filter would wrongly match it), and SQLite's GLOB stops at NUL.
     */
    private static boolean bindable(Query q) {
        return switch (q) {
            case KeyLookup k -> wellFormed(k.key());
            case KeysFilter k -> k.keys().stream().allMatch(IndexTerms::wellFormed);
            case SpecsQuery s -> s.include().stream().allMatch(IndexTerms::wellFormed) && s.exclude().stream().allMatch(IndexTerms::wellFormed);
            case Eq e -> wellFormed(e.key()) && wellFormed(e.value());
            case In i -> wellFormed(i.key()) && i.values().stream().allMatch(IndexTerms::wellFormed);
            case Contains k -> wellFormed(k.key()) && wellFormed(k.value());
            case NotEq e -> wellFormed(e.key()) && wellFormed(e.value());
            case NotIn i -> wellFormed(i.key()) && i.values().stream().allMatch(IndexTerms::wellFormed);
            case Comparison k -> wellFormed(k.key()) && wellFormed(k.value());
            case KeyPresent k -> wellFormed(k.key());
            case Like l -> wellFormed(l.key()) && wellFormed(l.pattern()) && l.pattern().indexOf('\0') < 0;
            default -> true; // full-text words are letters and digits; other filters bind nothing
        };
    }

    static boolean wellFormed(JsonNode v) {
        if (v.isTextual()) return wellFormed(v.textValue());
        if (v.isArray()) {
            for (JsonNode e : v) if (!wellFormed(e)) return false;
        } else if (v.isObject()) {
            for (var it = v.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!wellFormed(e.getKey()) || !wellFormed(e.getValue())) return false;
            }
        }
        return true;
    }

    /** No lone surrogate. */
    static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) i++;
            else if (Character.isSurrogate(ch)) return false;
        }
        return true;
    }

    private void keys(List<String> keys, Query q) {
        List<String> paths = new ArrayList<>();
        for (String k : keys) {
            if (k.isEmpty() || k.indexOf('/') >= 0) continue; // no child has such a key
            if (k.indexOf('\0') >= 0 || paths.size() >= MAX_LISTED) {
                residual.add(q);
                return;
            }
            paths.add(parent.child(k).joined());
        }
        if (paths.isEmpty()) {
            nothing = true;
            return;
        }
        String list = Json.text(CatalogJson.strings(paths));
        // One primary-key seek per key (the outer query checks the parent).
        terms.add(new Term(new Sql("SELECT nodes.seq AS node FROM json_each(?) j CROSS JOIN nodes ON nodes.path = j.value", list),
                new Sql("n.path IN (SELECT value FROM json_each(?))", list)));
    }

    private void fullText(FullText f) {
        StringBuilder match = new StringBuilder();
        boolean exact = true;
        for (String w : f.words()) {
            String token = SqliteIndex.token(container, w);
            if (token.getBytes(StandardCharsets.UTF_8).length > MAX_EXACT_TOKEN_BYTES) exact = false;
            if (!match.isEmpty()) match.append(" OR ");
            match.append('"').append(token.replace("\"", "\"\"")).append('"');
        }
        Sql set = new Sql("SELECT rowid AS node FROM node_words WHERE node_words MATCH ?", match.toString());
        terms.add(new Term(set, set.wrap("n.seq IN (", ")")));
        if (!exact) residual.add(f);
    }

    /**
     * {@code eq}, {@code in}, {@code contains} ({@code element}), and, with {@code positive} false, {@code noteq} and
     * {@code notin}: the key is present and equals none of the values.
     */
    private void values(String key, boolean element, List<JsonNode> values, boolean positive, Query q) throws SQLException {
        Sql cond = equalsAny(values);
        if (cond == null) {
            residual.add(q);
            return;
        }
        // A number SQL cannot compare exactly: its double's equality selects a superset, checked node by node.
        boolean exact = values.stream().allMatch(v -> !v.isNumber() || IndexedValue.exactNumber(v));
        if (positive) {
            if (!exact) residual.add(q);
            valueTerm(key, element, cond, q);
            return;
        }
        Sql present = new Sql("EXISTS (SELECT 1 FROM node_values v WHERE v.node = n.seq AND v.key = ? AND v.elem = 0)", key);
        if (!exact || hasLoose(key)) {
            terms.add(new Term(null, present));
            residual.add(q);
            return;
        }
        Sql equal = Sql.join("", new Sql("EXISTS (SELECT 1 FROM node_values v WHERE v.node = n.seq AND v.key = ? AND v.elem = 0 AND (", key),
                cond.wrap("", "))"));
        terms.add(new Term(null, new Sql(present.text() + " AND NOT " + equal.text(), concat(present.params(), equal.params()))));
    }

    /** A filter on the rows at {@code key}: the nodes having a row there that meets {@code cond}. */
    private void valueTerm(String key, boolean element, Sql cond, Query q) throws SQLException {
        if (cond.text().equals("0")) {
            nothing = true;
            return;
        }
        int elem = element ? 1 : 0;
        Sql set = new Sql("SELECT node FROM node_values WHERE container = ? AND key = ? AND elem = ?", container, key, elem).and(cond.wrap("(", ")"));
        Sql probe = new Sql("EXISTS (SELECT 1 FROM node_values v WHERE v.node = n.seq AND v.key = ? AND v.elem = ? AND (", key, elem);
        if (hasLoose(key)) {
            // The rows SQL cannot decide are selected too, and every selected node is checked.
            set = Sql.join(" UNION ", set, new Sql("SELECT node FROM node_values WHERE container = ? AND key = ? AND loose = 1", container, key));
            probe = Sql.join("", probe, cond.wrap("(", ") OR v.loose = 1))"));
            if (!residual.contains(q)) residual.add(q);
        } else {
            probe = Sql.join("", probe, cond.wrap("", "))"));
        }
        terms.add(new Term(set, probe));
    }

    private boolean hasLoose(String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM node_values WHERE container = ? AND key = ? AND loose = 1 LIMIT 1")) {
            ps.setLong(1, container);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * The condition on a row of {@code node_values} that its value equals one of {@code values} (for a number that is
     * not {@link IndexedValue#exactNumber}, that its double does), grouped by kind so that each group is a few index
     * seeks; "0" when the list is empty, null when the list is too long.
     */
    static Sql equalsAny(List<JsonNode> values) {
        if (values.size() > MAX_LISTED) return null;
        List<Object> bools = new ArrayList<>(), numbers = new ArrayList<>(), strings = new ArrayList<>(), arrays = new ArrayList<>(), objects = new ArrayList<>();
        boolean nulls = false;
        for (JsonNode v : values) {
            if (v.isNull()) nulls = true;
            else if (v.isBoolean()) bools.add(v.booleanValue() ? 1.0 : 0.0);
            else if (v.isNumber()) numbers.add(IndexedValue.number(v));
            else if (v.isTextual()) strings.add(v.textValue());
            else (v.isArray() ? arrays : objects).add(Values.canonical(v));
        }
        List<Sql> any = new ArrayList<>();
        if (nulls) any.add(new Sql("kind = " + IndexedValue.NULL));
        if (!bools.isEmpty()) any.add(in("kind = " + IndexedValue.BOOLEAN + " AND num", bools));
        if (!numbers.isEmpty()) any.add(in("kind = " + IndexedValue.NUMBER + " AND num", numbers));
        if (!strings.isEmpty()) any.add(in("kind = " + IndexedValue.STRING + " AND txt", strings));
        if (!arrays.isEmpty()) any.add(in("kind = " + IndexedValue.ARRAY + " AND txt", arrays));
        if (!objects.isEmpty()) any.add(in("kind = " + IndexedValue.OBJECT + " AND txt", objects));
        if (any.isEmpty()) return new Sql("0");
        Sql out = any.get(0).wrap("(", ")");
        for (int i = 1; i < any.size(); i++) out = Sql.join(" OR ", out, any.get(i).wrap("(", ")"));
        return out;
    }

    private static Sql in(String column, List<Object> values) {
        StringBuilder b = new StringBuilder(column).append(values.size() == 1 ? " = ?" : " IN (");
        if (values.size() > 1) {
            for (int i = 0; i < values.size(); i++) b.append(i == 0 ? "?" : ", ?");
            b.append(')');
        }
        return new Sql(b.toString(), values);
    }

    /**
     * An ordered comparison with {@code value}: numbers with numbers, strings with strings; "0" for anything else. For
     * a number that is not {@link IndexedValue#exactNumber} the comparison is not strict: rounding to doubles keeps
     * order but may make unequal numbers equal, so this selects a superset.
     */
    static Sql compare(Comparison.Operator op, JsonNode value) {
        boolean exact = !value.isNumber() || IndexedValue.exactNumber(value);
        String sqlOp = switch (op) {
            case LT -> exact ? "<" : "<=";
            case GT -> exact ? ">" : ">=";
            case LE -> "<=";
            case GE -> ">=";
        };
        if (value.isNumber()) return new Sql("kind = " + IndexedValue.NUMBER + " AND num " + sqlOp + " ?", IndexedValue.number(value));
        if (value.isTextual()) return new Sql("kind = " + IndexedValue.STRING + " AND txt " + sqlOp + " ?", value.textValue());
        return new Sql("0");
    }

    /** A LIKE pattern ({@code %}, {@code _}, no escape, case-sensitive) as the GLOB pattern that means the same. */
    static String glob(String like) {
        StringBuilder b = new StringBuilder();
        like.codePoints().forEach(cp -> {
            switch (cp) {
                case '%' -> b.append('*');
                case '_' -> b.append('?');
                case '*', '?', '[' -> b.append('[').appendCodePoint(cp).append(']');
                default -> b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }

    private static List<Object> concat(List<Object> a, List<Object> b) {
        List<Object> p = new ArrayList<>(a);
        p.addAll(b);
        return p;
    }
}
