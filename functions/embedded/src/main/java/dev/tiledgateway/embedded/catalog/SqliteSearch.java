package dev.tiledgateway.embedded.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.CatalogJson;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.query.Distinct;
import dev.tiledgateway.core.query.Query;
import dev.tiledgateway.core.query.Regex;
import dev.tiledgateway.core.query.Scan;
import dev.tiledgateway.core.query.SearchPage;
import dev.tiledgateway.core.query.Values;
import dev.tiledgateway.embedded.catalog.IndexTerms.Sql;
import dev.tiledgateway.embedded.catalog.IndexTerms.Term;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Search and distinct of the embedded catalog, answered from its indexes ({@link SqliteIndex}).
 *
 * <p>The filters become {@link IndexTerms}. One term with a set drives: the set is read through its index (for
 * several, the one with the fewest rows, measured up to {@value #ESTIMATE_CAP}) and each node it names is looked up
 * by (parent, seq); every other term is a probe on that node (an index seek), so a selective filter costs about its
 * matches, whatever the container's size. Without a set the container's children are walked by index and probed,
 * nodes still not decoded. The count is SQL's, the page SQL's ORDER BY (the listing's order, {@code json_extract}
 * for metadata keys) with LIMIT and OFFSET. Filters left residual are evaluated on the decoded candidates in that
 * order, which are then bounded as {@link Scan} bounds a container.
 */
final class SqliteSearch {

    /** A set is counted up to this many rows to choose the driving term. */
    static final int ESTIMATE_CAP = 1024;

    /** Decodes a row of {@code nodes} read with the catalog's columns. */
    @FunctionalInterface
    interface Rows {
        Node decode(ResultSet rs) throws SQLException;
    }

    /** The candidates of a search: {@code FROM} and {@code WHERE} over {@code nodes n}, and what is left to evaluate. */
    private record Plan(Sql from, Sql where, List<Query> residual, boolean nothing, boolean filtered) {
        static final Plan NOTHING = new Plan(null, null, List.of(), true, true);

        Sql select(String columns) { return Sql.join(" WHERE ", from.wrap("SELECT " + columns + " FROM ", ""), where); }
    }

    private final Connection c;
    private final Rows rows;
    private final String columns;
    private final Consumer<Sql> observer;

    /** {@code observer} sees each statement before it runs (tests explain their plans). */
    SqliteSearch(Connection c, Rows rows, String columns, Consumer<Sql> observer) {
        this.c = c;
        this.rows = rows;
        this.columns = columns;
        this.observer = observer;
    }

    SearchPage search(NodePath parent, List<Query> filters, List<SortKey> sort, long offset, int limit) throws SQLException {
        Sql order = SqliteCatalog.orderBy(sort);
        Plan plan = plan(parent, filters);
        if (plan.nothing) return new SearchPage(List.of(), 0);
        long count = count(plan);
        int window = Math.max(0, limit);
        if (plan.residual.isEmpty()) {
            if (window == 0 || offset >= count) return new SearchPage(List.of(), count);
            Sql page = Sql.join(" ", Sql.join(" ORDER BY ", plan.select(columns), order), new Sql("LIMIT ? OFFSET ?", window, offset));
            return new SearchPage(query(page), count);
        }
        bound(count, plan);
        List<Node> page = new ArrayList<>();
        long matches = 0;
        try (Regex.Budget ignored = Regex.budget();
             PreparedStatement ps = prepare(Sql.join(" ORDER BY ", plan.select(columns), order)); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Node n = rows.decode(rs);
                if (!passes(n, plan.residual)) continue;
                if (matches >= offset && page.size() < window) page.add(n);
                matches++;
            }
        }
        return new SearchPage(page, matches);
    }

    Distinct distinct(NodePath parent, List<Query> filters, Distinct.Request request) throws SQLException, IOException {
        for (String k : request.metadataKeys()) Values.path(k);
        Plan plan = plan(parent, filters);
        Map<String, List<Distinct.Value>> metadata = new LinkedHashMap<>();
        if (plan.nothing) {
            for (String k : request.metadataKeys()) metadata.put(k, List.of());
            return new Distinct(metadata, request.structureFamilies() ? List.of() : null, request.specs() ? List.of() : null);
        }
        Long container = seq(parent);
        boolean inSql = plan.residual.isEmpty();
        for (String k : request.metadataKeys()) inSql &= !hasUnencoded(container, k);
        if (!inSql) return distinctOfDecoded(plan, request);
        for (String k : request.metadataKeys()) metadata.put(k, metadataValues(plan, container, k, request.counts()));
        List<Distinct.Value> families = null, specs = null;
        if (request.structureFamilies()) {
            List<Group> groups = new ArrayList<>();
            try (PreparedStatement ps = prepare(plan.select("n.family, COUNT(*), MIN(n.seq)").wrap("", " GROUP BY n.family"));
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) groups.add(new Group(JsonNodeFactory.instance.textNode(rs.getString(1)), rs.getLong(2), rs.getLong(3)));
            }
            families = ranked(groups, request.counts());
        }
        if (request.specs()) {
            List<Group> groups = new ArrayList<>();
            try (PreparedStatement ps = prepare(plan.select("n.specs, COUNT(*), MIN(n.seq)").wrap("", " GROUP BY n.specs"));
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<Spec> list = CatalogJson.readSpecs(Json.parse(rs.getString(1)));
                    groups.add(new Group(specsValue(list), rs.getLong(2), rs.getLong(3)));
                }
            }
            specs = ranked(groups, request.counts());
        }
        return new Distinct(metadata, families, specs);
    }

    private List<Distinct.Value> metadataValues(Plan plan, long container, String key, boolean counts) throws SQLException, IOException {
        String columns = "SELECT v.kind, v.txt, v.num, v.json, COUNT(*), MIN(v.node) FROM ";
        String atKey = "v.key = ? AND v.elem = 0 AND v.kind <> " + IndexedValue.NULL;
        // All the container's values at the key, or those of the matching nodes, each found by (node, key).
        Sql sql = !plan.filtered ? new Sql(columns + "node_values v WHERE v.container = ? AND " + atKey, container, key)
                : Sql.join("", plan.select("n.seq AS node").wrap(columns + "(", ") m CROSS JOIN node_values v INDEXED BY values_by_node "),
                        new Sql("WHERE v.node = m.node AND " + atKey, key));
        List<Group> groups = new ArrayList<>();
        try (PreparedStatement ps = prepare(sql.wrap("", " GROUP BY v.kind, v.txt")); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                JsonNode value = switch (rs.getInt(1)) {
                    case IndexedValue.BOOLEAN -> JsonNodeFactory.instance.booleanNode(rs.getDouble(3) != 0);
                    case IndexedValue.STRING -> JsonNodeFactory.instance.textNode(rs.getString(2));
                    default -> Json.parse(rs.getString(4)); // numbers, arrays and objects: their JSON as read
                };
                groups.add(new Group(value, rs.getLong(5), rs.getLong(6)));
            }
        }
        return ranked(groups, counts);
    }

    /** Distinct by reading the matching children, for filters or values the indexes cannot group; bounded as a scan. */
    private Distinct distinctOfDecoded(Plan plan, Distinct.Request request) throws SQLException {
        bound(count(plan), plan);
        Map<String, Tally> metadata = new LinkedHashMap<>();
        for (String k : request.metadataKeys()) metadata.put(k, new Tally());
        Tally families = new Tally(), specs = new Tally();
        try (Regex.Budget ignored = Regex.budget();
             PreparedStatement ps = prepare(plan.select(columns).wrap("", " ORDER BY n.seq")); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Node n = rows.decode(rs);
                if (!passes(n, plan.residual)) continue;
                long seq = rs.getLong("seq");
                for (Map.Entry<String, Tally> e : metadata.entrySet()) {
                    JsonNode v = Values.lookup(n, Values.path(e.getKey()));
                    if (v != null && !v.isNull()) e.getValue().add(v, seq);
                }
                families.add(JsonNodeFactory.instance.textNode(n.family().wire()), seq);
                specs.add(specsValue(n.specs()), seq);
            }
        }
        Map<String, List<Distinct.Value>> m = new LinkedHashMap<>();
        metadata.forEach((k, t) -> m.put(k, ranked(t.groups(), request.counts())));
        return new Distinct(m, request.structureFamilies() ? ranked(families.groups(), request.counts()) : null,
                request.specs() ? ranked(specs.groups(), request.counts()) : null);
    }

    // ---- planning

    private Plan plan(NodePath parent, List<Query> filters) throws SQLException {
        Long container = seq(parent);
        if (container == null) return Plan.NOTHING;
        IndexTerms t = IndexTerms.of(c, container, parent, filters);
        if (t.nothing) return Plan.NOTHING;
        List<Term> sets = t.terms.stream().filter(x -> x.set() != null).toList();
        Term driver = sets.size() == 1 ? sets.get(0) : null;
        long fewest = Long.MAX_VALUE;
        for (Term term : sets.size() > 1 ? sets : List.<Term>of()) {
            long n = estimate(term.set());
            if (n == 0) return Plan.NOTHING;
            if (n < fewest) {
                fewest = n;
                driver = term;
            }
        }
        Sql from;
        Sql where = new Sql("n.parent = ?", parent.joined());
        if (driver == null) {
            from = new Sql("nodes n");
        } else {
            // CROSS JOIN keeps the driving set outside, and each of its nodes is one seek on (parent, seq): without
            // INDEXED BY, a GROUP BY family may walk the container by nodes_by_family for each of them.
            from = driver.set().wrap("(SELECT DISTINCT node FROM (", ")) d CROSS JOIN nodes n INDEXED BY nodes_by_parent");
            where = where.and(new Sql("n.seq = d.node"));
        }
        for (Term term : t.terms) if (term != driver) where = where.and(term.probe().wrap("(", ")"));
        return new Plan(from, where, List.copyOf(t.residual), false, !filters.isEmpty());
    }

    private long estimate(Sql set) throws SQLException {
        try (PreparedStatement ps = prepare(set.wrap("SELECT COUNT(*) FROM (SELECT node FROM (", ") LIMIT " + ESTIMATE_CAP + ")"));
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long count(Plan plan) throws SQLException {
        try (PreparedStatement ps = prepare(plan.select("COUNT(*)")); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Residual filters are evaluated node by node: on at most {@link Scan#MAX_SCANNED} candidates, as a scan would. */
    private static void bound(long candidates, Plan plan) {
        if (candidates <= Scan.MAX_SCANNED) return;
        List<String> names = new ArrayList<>();
        for (Query q : plan.residual) names.add(q.name());
        throw TiledException.badRequest("This search would evaluate " + String.join(", ", names) + " on each of " + candidates
                + " children, and at most " + Scan.MAX_SCANNED + " are; add a filter the catalog indexes "
                + "(eq, in, comparison, contains, keypresent, like, fulltext, specs, structure_family, lookup or keys_filter).");
    }

    private Long seq(NodePath path) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM nodes WHERE path = ?")) {
            ps.setString(1, path.joined());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private boolean hasUnencoded(long container, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM node_values WHERE container = ? AND key = ? AND loose = 1 "
                + "AND elem = 0 AND kind IN (" + IndexedValue.ARRAY + ", " + IndexedValue.OBJECT + ") AND txt IS NULL LIMIT 1")) {
            ps.setLong(1, container);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    // ---- helpers

    private PreparedStatement prepare(Sql sql) throws SQLException {
        observer.accept(sql);
        PreparedStatement ps = c.prepareStatement(sql.text());
        try {
            for (int i = 0; i < sql.params().size(); i++) ps.setObject(i + 1, sql.params().get(i));
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
        return ps;
    }

    private List<Node> query(Sql sql) throws SQLException {
        List<Node> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rows.decode(rs));
        }
        return out;
    }

    private static boolean passes(Node n, List<Query> filters) {
        for (Query q : filters) if (!q.matches(n)) return false;
        return true;
    }

    private static ArrayNode specsValue(List<Spec> specs) {
        ArrayNode list = Json.array();
        for (Spec s : specs) {
            ObjectNode o = list.addObject();
            o.put("name", s.name());
            if (s.version() == null) o.putNull("version");
            else o.put("version", s.version());
        }
        return list;
    }

    /** A distinct value, how many matching children have it, and the seq of the first (earliest created) of them. */
    private record Group(JsonNode value, long count, long first) {}

    /** Most frequent first, then in order of first appearance (creation order), as the scan ranks them. */
    private static List<Distinct.Value> ranked(List<Group> groups, boolean counts) {
        List<Group> sorted = new ArrayList<>(groups);
        sorted.sort(Comparator.comparingLong(Group::count).reversed().thenComparingLong(Group::first));
        List<Distinct.Value> out = new ArrayList<>();
        for (Group g : sorted) out.add(new Distinct.Value(g.value(), counts ? g.count() : null));
        return out;
    }

    /** Groups values by {@link IndexedValue#canonical}, as the index's GROUP BY does. */
    private static final class Tally {
        private final Map<String, Group> groups = new LinkedHashMap<>();

        void add(JsonNode v, long seq) {
            groups.merge(Values.canonical(v), new Group(v, 1, seq), (a, b) -> new Group(a.value(), a.count() + 1, a.first()));
        }

        List<Group> groups() { return new ArrayList<>(groups.values()); }
    }
}
