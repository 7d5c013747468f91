package dev.tiledgateway.core.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.catalog.SortOrder;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Search and distinct by evaluating every filter on every child: what any catalog can do, and what the
 * catalogs fall back to for filters their indexes cannot serve. The container is read once, in creation order,
 * in pages of {@value #PAGE}; a container of more than {@value #MAX_SCANNED} children is refused (400) rather
 * than read whole. A lookup by key ({@link KeyLookup}, {@link KeysFilter}) reads only the children it names,
 * plus, when several of them match and the page's order depends on when they were created, the listing up to
 * the last of them.
 * Memory is bounded by the page window (offset + limit), not by the container: the window holds each match's
 * key, position and sort values only, and the page's nodes are read again at the end.
 */
public final class Scan {

    /** The most children a search evaluates one by one. */
    public static final int MAX_SCANNED = 100_000;
    /** Children read per catalog call while scanning. */
    public static final int PAGE = 1000;

    private Scan() {}

    /** The page and count of a search; without filters, straight from the catalog's listing and count. */
    public static SearchPage search(Catalog catalog, NodePath parent, List<Query> filters, List<SortKey> sort, long offset, int limit) {
        if (filters.isEmpty()) {
            long count = catalog.countChildren(parent);
            List<Node> page = limit > 0 && offset < count ? catalog.children(parent, sort, offset, limit) : List.of();
            return new SearchPage(page, count);
        }
        Comparator<SortOrder.Entry> order = SortOrder.comparator(sort);
        long window = offset + Math.max(0, limit);
        PriorityQueue<SortOrder.Entry> worstFirst = new PriorityQueue<>(order.reversed());
        long[] count = {0};
        boolean byId = !sort.isEmpty() && sort.get(0).key().equals("id");
        forEachCandidate(catalog, parent, filters, !byId, (child, position) -> {
            count[0]++;
            if (window <= 0) return;
            worstFirst.add(new SortOrder.Entry(SortOrder.slim(child, sort), position));
            if (worstFirst.size() > window) worstFirst.poll();
        });
        List<SortOrder.Entry> best = new ArrayList<>(worstFirst);
        best.sort(order);
        List<Node> page = new ArrayList<>();
        for (int i = (int) Math.min(offset, best.size()); i < best.size() && page.size() < limit; i++) {
            Optional<Node> n = catalog.get(best.get(i).node().path());
            n.ifPresent(page::add); // removed meanwhile: the page is one shorter
        }
        return new SearchPage(page, count[0]);
    }

    public static Distinct distinct(Catalog catalog, NodePath parent, List<Query> filters, Distinct.Request request) {
        DistinctValues values = new DistinctValues(request);
        forEachCandidate(catalog, parent, filters, false, (child, position) -> values.add(child));
        return values.result();
    }

    /**
     * The distinct values of matching children, counted as they come: what {@link #distinct} does with each child
     * that passes, for catalogs that find the matches their own way.
     */
    public static final class DistinctValues {
        private final Distinct.Request request;
        private final Map<String, Tally> metadata = new LinkedHashMap<>();
        private final Tally families = new Tally();
        private final Tally specs = new Tally();

        public DistinctValues(Distinct.Request request) {
            this.request = request;
            for (String k : request.metadataKeys()) metadata.put(k, new Tally());
        }

        /** Counts one child that passed every filter. */
        public void add(Node child) {
            for (Map.Entry<String, Tally> e : metadata.entrySet()) {
                JsonNode v = Values.lookup(child, Values.path(e.getKey()));
                if (v != null && !v.isNull()) e.getValue().add(v);
            }
            if (request.structureFamilies()) families.add(Json.NODES.textNode(child.family().wire()));
            if (request.specs()) {
                ArrayNode list = Json.array();
                for (Spec s : child.specs()) {
                    ObjectNode o = list.addObject();
                    o.put("name", s.name());
                    if (s.version() == null) o.putNull("version");
                    else o.put("version", s.version());
                }
                specs.add(list);
            }
        }

        public Distinct result() {
            Map<String, List<Distinct.Value>> m = new LinkedHashMap<>();
            metadata.forEach((k, t) -> m.put(k, t.values(request.counts())));
            return new Distinct(m, request.structureFamilies() ? families.values(request.counts()) : null,
                    request.specs() ? specs.values(request.counts()) : null);
        }
    }

    interface Visitor {
        void accept(Node child, long position);
    }

    /**
     * Calls {@code visit} with each child that passes every filter, with its creation position (the order of
     * {@link Catalog#children} in default order) when {@code positions} is asked for, else with any increasing
     * number. Regex matches share one {@link Regex#budget()}.
     */
    static void forEachCandidate(Catalog catalog, NodePath parent, List<Query> filters, boolean positions, Visitor visit) {
        try (Regex.Budget ignored = Regex.budget()) {
            List<String> named = named(filters);
            if (named != null) forEachNamed(catalog, parent, named, filters, positions, visit);
            else forEachChild(catalog, parent, filters, visit);
        }
    }

    private static void forEachChild(Catalog catalog, NodePath parent, List<Query> filters, Visitor visit) {
        long total = catalog.countChildren(parent);
        if (total > MAX_SCANNED)
            throw TiledException.badRequest("This search would evaluate its filters on each of the " + total
                    + " children of this container, and at most " + MAX_SCANNED + " are; add a filter the catalog indexes ("
                    + "eq, in, comparison, fulltext, specs, structure_family, lookup or keys_filter).");
        long position = 0;
        while (true) {
            List<Node> page = catalog.children(parent, List.of(), position, PAGE);
            for (Node child : page) {
                if (passes(child, filters)) visit.accept(child, position);
                position++;
            }
            if (page.size() < PAGE || position > MAX_SCANNED) break;
        }
    }

    /**
     * Only the named children are read and filtered. Their creation positions matter only when two or more
     * pass and the order may depend on them (a page in default order, ties of a metadata sort): then the listing is read in creation order until each has
     * been seen, within {@value #MAX_SCANNED} children.
     */
    private static void forEachNamed(Catalog catalog, NodePath parent, List<String> named, List<Query> filters, boolean positions, Visitor visit) {
        Map<String, Node> passing = new LinkedHashMap<>();
        for (String key : named) {
            Optional<Node> child = key.isEmpty() || key.contains("/") ? Optional.empty() : catalog.get(parent.child(key));
            if (child.isPresent() && passes(child.get(), filters)) passing.put(key, child.get());
        }
        if (passing.size() <= 1 || !positions) {
            long i = 0;
            for (Node n : passing.values()) visit.accept(n, i++);
            return;
        }
        long position = 0;
        int found = 0;
        while (found < passing.size()) {
            if (position >= MAX_SCANNED)
                throw TiledException.badRequest("The " + passing.size() + " children named by this search could not be placed in creation order within the first "
                        + MAX_SCANNED + " children of this container; sort by id, or name fewer keys.");
            List<Node> page = catalog.children(parent, List.of(), position, PAGE);
            for (Node child : page) {
                // The node as listed now, in case it changed since it was read by key.
                if (passing.containsKey(child.path().key()) && passes(child, filters)) {
                    visit.accept(child, position);
                    found++;
                }
                position++;
            }
            if (page.size() < PAGE) break;
        }
    }

    /** The keys a lookup restricts the search to, in a stable order; null when no filter names keys. */
    private static List<String> named(List<Query> filters) {
        TreeMap<String, Boolean> keys = null;
        for (Query q : filters) {
            List<String> these = q instanceof KeyLookup k ? List.of(k.key()) : q instanceof KeysFilter f ? f.keys() : null;
            if (these == null) continue;
            TreeMap<String, Boolean> next = new TreeMap<>();
            for (String k : these) if (keys == null || keys.containsKey(k)) next.put(k, true);
            keys = next;
        }
        return keys == null ? null : new ArrayList<>(keys.keySet());
    }

    private static boolean passes(Node child, List<Query> filters) {
        for (Query q : filters) if (!q.matches(child)) return false;
        return true;
    }

    /** Distinct values with counts, grouping equal values ({@link Values#equal}) by a canonical text. */
    private static final class Tally {
        private final Map<String, JsonNode> first = new LinkedHashMap<>();
        private final Map<String, Long> counts = new LinkedHashMap<>();

        void add(JsonNode v) {
            String c = Values.canonical(v);
            first.putIfAbsent(c, v);
            counts.merge(c, 1L, Long::sum);
        }

        /** Most frequent first, then in order of first appearance. */
        List<Distinct.Value> values(boolean withCounts) {
            List<String> keys = new ArrayList<>(first.keySet());
            keys.sort(Comparator.comparingLong((String k) -> counts.get(k)).reversed());
            List<Distinct.Value> out = new ArrayList<>();
            for (String k : keys) out.add(new Distinct.Value(first.get(k), withCounts ? counts.get(k) : null));
            return out;
        }
    }
}
