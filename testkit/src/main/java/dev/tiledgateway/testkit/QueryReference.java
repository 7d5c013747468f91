package dev.tiledgateway.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.catalog.SortOrder;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.query.Distinct;
import dev.tiledgateway.core.query.Query;
import dev.tiledgateway.core.query.Values;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What a search and a distinct must return, computed the plain way: every child read in creation order
 * ({@link Catalog#children} in default order), each filter's {@link Query#matches} applied, {@link SortOrder}
 * to sort. A catalog's indexes are right when they agree with this.
 */
public final class QueryReference {

    private QueryReference() {}

    /** Every child of {@code parent}, in creation order. */
    public static List<Node> children(Catalog catalog, NodePath parent) {
        List<Node> all = new ArrayList<>();
        while (true) {
            List<Node> page = catalog.children(parent, List.of(), all.size(), 1000);
            all.addAll(page);
            if (page.size() < 1000) return all;
        }
    }

    /** The children that pass every filter, sorted, before paging. */
    public static List<Node> search(List<Node> children, List<Query> filters, List<SortKey> sort) {
        List<SortOrder.Entry> passing = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            Node c = children.get(i);
            boolean ok = true;
            for (Query q : filters) ok &= q.matches(c);
            if (ok) passing.add(new SortOrder.Entry(c, i));
        }
        passing.sort(SortOrder.comparator(sort));
        List<Node> out = new ArrayList<>();
        for (SortOrder.Entry e : passing) out.add(e.node());
        return out;
    }

    /** The distinct values among the children that pass every filter, most frequent first (ties in no set order). */
    public static Distinct distinct(List<Node> children, List<Query> filters, Distinct.Request request) {
        List<Node> passing = search(children, filters, List.of());
        Map<String, List<Distinct.Value>> metadata = new java.util.LinkedHashMap<>();
        for (String k : request.metadataKeys()) {
            List<JsonNode> values = new ArrayList<>();
            for (Node c : passing) {
                JsonNode v = Values.lookup(c, Values.path(k));
                if (v != null && !v.isNull()) values.add(v);
            }
            metadata.put(k, tally(values, request.counts()));
        }
        List<Distinct.Value> families = null;
        if (request.structureFamilies()) {
            List<JsonNode> values = new ArrayList<>();
            for (Node c : passing) values.add(Json.mapper().getNodeFactory().textNode(c.family().wire()));
            families = tally(values, request.counts());
        }
        List<Distinct.Value> specs = null;
        if (request.specs()) {
            List<JsonNode> values = new ArrayList<>();
            for (Node c : passing) values.add(specsJson(c.specs()));
            specs = tally(values, request.counts());
        }
        return new Distinct(metadata, families, specs);
    }

    /** A node's specs as distinct lists them: {@code [{"name": ..., "version": ...}, ...]}. */
    public static ArrayNode specsJson(List<Spec> specs) {
        ArrayNode list = Json.mapper().createArrayNode();
        for (Spec s : specs) {
            ObjectNode o = list.addObject();
            o.put("name", s.name());
            if (s.version() == null) o.putNull("version");
            else o.put("version", s.version());
        }
        return list;
    }

    private static List<Distinct.Value> tally(List<JsonNode> values, boolean counts) {
        List<JsonNode> distinct = new ArrayList<>();
        List<Long> n = new ArrayList<>();
        for (JsonNode v : values) {
            int at = -1;
            for (int i = 0; i < distinct.size() && at < 0; i++) if (Values.equal(distinct.get(i), v)) at = i;
            if (at < 0) {
                distinct.add(v);
                n.add(1L);
            } else n.set(at, n.get(at) + 1);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < distinct.size(); i++) order.add(i);
        order.sort(Comparator.comparingLong((Integer i) -> n.get(i)).reversed());
        List<Distinct.Value> out = new ArrayList<>();
        for (int i : order) out.add(new Distinct.Value(distinct.get(i), counts ? n.get(i) : null));
        return out;
    }

    /**
     * Asserts that two answers of distinct agree: the same lists requested, and in each the same values
     * ({@link Values#equal}) with the same counts, most frequent first; the order among equal counts is free.
     */
    public static void assertSameDistinct(Distinct expected, Distinct actual, String what) {
        assertEquals(expected.metadata().keySet(), actual.metadata().keySet(), what + ": metadata keys");
        for (String k : expected.metadata().keySet()) assertSameValues(expected.metadata().get(k), actual.metadata().get(k), what + ": metadata " + k);
        assertSameValues(expected.structureFamilies(), actual.structureFamilies(), what + ": structure families");
        assertSameValues(expected.specs(), actual.specs(), what + ": specs");
    }

    private static void assertSameValues(List<Distinct.Value> expected, List<Distinct.Value> actual, String what) {
        if (expected == null || actual == null) {
            assertEquals(expected == null, actual == null, what + ": requested lists are lists and the others null");
            return;
        }
        assertEquals(expected.size(), actual.size(), what + ": number of distinct values, expected " + show(expected) + " got " + show(actual));
        for (int i = 1; i < actual.size(); i++) {
            Long before = actual.get(i - 1).count();
            Long here = actual.get(i).count();
            if (before != null && here != null) assertTrue(before >= here, what + ": most frequent first: " + show(actual));
        }
        List<Distinct.Value> left = new ArrayList<>(actual);
        for (Distinct.Value e : expected) {
            int at = -1;
            for (int i = 0; i < left.size() && at < 0; i++)
                if (Values.equal(left.get(i).value(), e.value()) && java.util.Objects.equals(left.get(i).count(), e.count())) at = i;
            if (at < 0) fail(what + ": missing " + e.value() + " x" + e.count() + " in " + show(actual));
            left.remove(at);
        }
    }

    private static String show(List<Distinct.Value> vs) {
        StringBuilder b = new StringBuilder("[");
        for (Distinct.Value v : vs) b.append(b.length() > 1 ? ", " : "").append(v.value()).append(" x").append(v.count());
        return b.append(']').toString();
    }
}
