package dev.tiledgateway.aws.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.aws.catalog.SearchIndex.Kind;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.catalog.SortOrder;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.query.Comparison;
import dev.tiledgateway.core.query.Distinct;
import dev.tiledgateway.core.query.Eq;
import dev.tiledgateway.core.query.FullText;
import dev.tiledgateway.core.query.In;
import dev.tiledgateway.core.query.KeyLookup;
import dev.tiledgateway.core.query.KeysFilter;
import dev.tiledgateway.core.query.Query;
import dev.tiledgateway.core.query.Regex;
import dev.tiledgateway.core.query.Scan;
import dev.tiledgateway.core.query.SearchPage;
import dev.tiledgateway.core.query.SpecsQuery;
import dev.tiledgateway.core.query.StructureFamilyQuery;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import static dev.tiledgateway.aws.catalog.CatalogTable.CHILD;
import static dev.tiledgateway.aws.catalog.CatalogTable.DOC;
import static dev.tiledgateway.aws.catalog.CatalogTable.IXD;
import static dev.tiledgateway.aws.catalog.CatalogTable.KIDS;
import static dev.tiledgateway.aws.catalog.CatalogTable.PK;
import static dev.tiledgateway.aws.catalog.CatalogTable.SEQ;
import static dev.tiledgateway.aws.catalog.CatalogTable.SK;
import static dev.tiledgateway.aws.catalog.CatalogTable.childPk;
import static dev.tiledgateway.aws.catalog.CatalogTable.nodeKey;
import static dev.tiledgateway.aws.catalog.CatalogTable.number;
import static dev.tiledgateway.aws.catalog.CatalogTable.s;
import static dev.tiledgateway.aws.catalog.CatalogTable.string;

/**
 * {@code search} and {@code distinct} on the DynamoDB catalog (TABLE-DESIGN.md, "Search index"): candidates from the index items of the
 * most selective filters (intersected), each candidate read and every filter evaluated on it with
 * {@link Query#matches}, so the result is the reference semantics whatever the index over-includes. Without a usable
 * index the container is read once and evaluated child by child, up to {@link Scan#MAX_SCANNED} children.
 */
final class IndexedSearch {

    /** The most candidates a search reads and evaluates one by one (as many as a scan may). */
    static final int MAX_CANDIDATES = Scan.MAX_SCANNED;
    /** Candidates few enough to stop intersecting more index reads and read them. */
    static final int ENOUGH = 1000;
    /** Matches kept in the page window with their whole node when their document is at most this large. */
    private static final int KEEP_DOC_CHARS = 64 * 1024;
    private static final int BATCH_GET_MAX = 100;

    private final DynamoDbCatalog catalog;

    IndexedSearch(DynamoDbCatalog catalog) { this.catalog = catalog; }

    /** What a search needs of its container's item: its number of children, and whether they are indexed ({@code ixd}). */
    record Container(long children, boolean indexed) {}

    /**
     * @param knownCount the container's number of children as read with it, or a negative number when not read
     * @param known the container as read with the request's node, or null: a filtered search then reads it
     */
    SearchPage search(NodePath parent, long knownCount, Container known, List<Query> filters, List<SortKey> sort, long offset, int limit) {
        ChildOrder.of(sort); // 400 for a key the catalog cannot sort by, as children() says
        if (filters.isEmpty()) { // a listing: its own access paths, whatever the size of the container
            long count = knownCount >= 0 ? knownCount : catalog.countChildren(parent);
            return new SearchPage(limit > 0 && offset < count ? catalog.children(parent, sort, offset, limit) : List.of(), count);
        }
        try (Regex.Budget ignored = Regex.budget()) {
            return filtered(parent, known, filters, sort, offset, limit);
        }
    }

    private SearchPage filtered(NodePath parent, Container known, List<Query> filters, List<SortKey> sort, long offset, int limit) {
        Window window = new Window(sort, Math.max(0, offset), Math.max(0, limit));
        forEachMatch(parent, known, filters, window::offer);
        return window.page(parent);
    }

    /** {@code distinct} over the same matches as a search (no filters: every child, up to {@link Scan#MAX_SCANNED}). */
    Distinct distinct(NodePath parent, List<Query> filters, Distinct.Request request) {
        Scan.DistinctValues values = new Scan.DistinctValues(request);
        try (Regex.Budget ignored = Regex.budget()) {
            forEachMatch(parent, null, filters, (node, item) -> values.add(node));
        }
        return values.result();
    }

    /**
     * Offers each child that passes every filter, with its item, in no particular order. The container's item is read
     * (its number of children and {@code ixd}) unless {@code known} holds them.
     */
    private void forEachMatch(NodePath parent, Container known, List<Query> filters, BiConsumer<Node, Map<String, AttributeValue>> offer) {
        if (known == null) {
            Map<String, AttributeValue> item;
            try {
                item = catalog.getItem(nodeKey(parent), String.join(",", KIDS, IXD));
            } catch (TiledException tooLong) {
                return;
            }
            if (item == null) return;
            known = new Container(number(item, KIDS), item.get(IXD) != null);
        }
        long children = known.children();
        if (children == 0) return;
        Set<String> candidates = candidates(parent, known.indexed(), filters);
        if (candidates != null && candidates.size() > BATCH_GET_MAX && candidates.size() > children / 10 && children <= Scan.MAX_SCANNED)
            candidates = null; // a tenth of the container or more: one read of it is fewer requests (1 MB each) and read units
        if (candidates == null) scan(parent, children, filters, offer);
        else verify(parent, candidates, filters, offer);
    }

    // ---- candidates

    /** The keys of a superset of the matches, from the named keys or the index; null when neither bounds them. */
    private Set<String> candidates(NodePath parent, boolean indexed, List<Query> filters) {
        Set<String> named = named(filters);
        if (named != null) {
            if (named.size() > MAX_CANDIDATES) throw tooMany(named.size());
            return named;
        }
        if (!indexed || !SearchIndex.indexable(parent)) return null;
        List<Source> sources = sources(filters);
        if (sources.isEmpty()) return null;
        Markers markers = new Markers(parent);
        if (sources.size() > 1) {
            // The first source (by rank) that names at most ENOUGH children, found with reads of at most that many
            // entries each: a common value ranked first does not cost a read of all its entries.
            for (Source source : sources) {
                Set<String> got = read(parent, source, ENOUGH);
                Set<String> partial = got == null ? null : markers.of(source.kind());
                if (partial == null) continue;
                got.addAll(partial);
                if (got.size() <= ENOUGH) return got;
            }
        }
        Set<String> out = null;
        for (Source source : sources) {
            Set<String> got = read(parent, source, MAX_CANDIDATES);
            if (got == null) continue; // too broad to bound anything
            Set<String> partial = markers.of(source.kind());
            if (partial == null) continue;
            got.addAll(partial);
            if (got.size() > MAX_CANDIDATES) continue;
            if (out == null) out = got;
            else out.retainAll(got);
            if (out.size() <= ENOUGH) break;
        }
        return out;
    }

    /** The keys that {@code lookup} and {@code keys_filter} filters leave (their intersection); null when there are none. */
    private static Set<String> named(List<Query> filters) {
        Set<String> keys = null;
        for (Query q : filters) {
            List<String> these = q instanceof KeyLookup k ? List.of(k.key()) : q instanceof KeysFilter f ? f.keys() : null;
            if (these == null) continue;
            Set<String> next = new TreeSet<>();
            for (String k : these) if ((keys == null || keys.contains(k)) && !k.isEmpty() && k.indexOf('/') < 0) next.add(k);
            keys = next;
        }
        return keys;
    }

    /** One index read: a partition, and the part of it (all when {@code lo} is null; a prefix when {@code hi} is null). */
    record Read(String term, String lo, String hi) {}

    /** The candidates of one filter: the union of its reads, plus the children marked partial for its kind. */
    record Source(int rank, Kind kind, List<Read> reads) {}

    /** The filters the index serves, most selective first (by kind of filter, then by number of reads). */
    static List<Source> sources(List<Query> filters) {
        List<Source> out = new ArrayList<>();
        Map<String, String[]> ranges = new LinkedHashMap<>();
        Map<String, int[]> sides = new HashMap<>();
        for (Query q : filters) {
            switch (q) {
                case Eq e -> {
                    String p = SearchIndex.valuePrefix(e.value());
                    if (p != null) out.add(new Source(1, Kind.VALUES, List.of(new Read(SearchIndex.valueTerm(e.key()), p, null))));
                }
                case In in -> {
                    Set<Read> reads = new LinkedHashSet<>();
                    boolean all = true;
                    for (JsonNode v : in.values()) {
                        String p = SearchIndex.valuePrefix(v);
                        if (p == null) all = false;
                        else reads.add(new Read(SearchIndex.valueTerm(in.key()), p, null));
                    }
                    if (all) out.add(new Source(reads.isEmpty() ? 0 : 2, Kind.VALUES, List.copyOf(reads)));
                }
                case FullText f -> {
                    List<Read> reads = new ArrayList<>();
                    for (String w : new LinkedHashSet<>(f.words().stream().map(SearchIndex::wordTerm).toList())) reads.add(new Read(w, null, null));
                    out.add(new Source(3, Kind.WORDS, reads));
                }
                case Comparison c -> {
                    boolean below = c.operator() == Comparison.Operator.LT || c.operator() == Comparison.Operator.LE;
                    String[] r = SearchIndex.range(c.value(), below);
                    if (r == null) {
                        out.add(new Source(0, Kind.VALUES, List.of())); // nothing is ordered against it
                        continue;
                    }
                    String group = c.key() + "\u0000" + r[0].charAt(0); // one range per path and type
                    String[] have = ranges.get(group);
                    if (have == null) ranges.put(group, r);
                    else ranges.put(group, new String[] {
                            SearchIndex.compare(have[0], r[0]) >= 0 ? have[0] : r[0],
                            SearchIndex.compare(have[1], r[1]) <= 0 ? have[1] : r[1]});
                    sides.computeIfAbsent(group, g -> new int[2])[below ? 0 : 1]++;
                }
                case SpecsQuery sp -> {
                    for (String name : new LinkedHashSet<>(sp.include()))
                        out.add(new Source(5, Kind.BASE, List.of(new Read(SearchIndex.specTerm(name), null, null))));
                }
                case StructureFamilyQuery sf ->
                        out.add(new Source(7, Kind.BASE, List.of(new Read(SearchIndex.familyTerm(sf.family().wire()), null, null))));
                default -> {
                    // evaluated on the candidates only
                }
            }
        }
        ranges.forEach((group, r) -> {
            String key = group.substring(0, group.indexOf('\u0000'));
            int[] s = sides.get(group);
            boolean empty = SearchIndex.compare(r[0], r[1]) > 0;
            out.add(new Source(s[0] > 0 && s[1] > 0 ? 4 : 6, Kind.VALUES,
                    empty ? List.of() : List.of(new Read(SearchIndex.valueTerm(key), r[0], r[1]))));
        });
        out.sort(Comparator.comparingInt(Source::rank).thenComparingInt(src -> src.reads().size()));
        return out;
    }

    /** The keys a source names, or null when they are more than {@code cap}. */
    private Set<String> read(NodePath parent, Source source, int cap) {
        Set<String> out = new HashSet<>();
        for (Read r : source.reads()) {
            Map<String, String> names = new HashMap<>(Map.of("#pk", PK, "#c", CHILD));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(SearchIndex.pk(parent, r.term()))));
            String cond = "#pk = :pk";
            if (r.lo() != null) {
                names.put("#sk", SK);
                values.put(":lo", s(r.lo()));
                if (r.hi() == null) {
                    cond += " AND begins_with(#sk, :lo)";
                } else {
                    values.put(":hi", s(r.hi()));
                    cond += " AND #sk BETWEEN :lo AND :hi";
                }
            }
            QueryRequest.Builder q = QueryRequest.builder().tableName(catalog.table()).consistentRead(true).keyConditionExpression(cond)
                    .expressionAttributeNames(names).expressionAttributeValues(values).projectionExpression("#c");
            int max = cap + 1 - out.size();
            if (cap < MAX_CANDIDATES) q.limit(max); // a probe reads no more than it may keep
            if (!query(q.build(), item -> out.add(string(item, CHILD)), max)) return null;
            if (out.size() > cap) return null;
        }
        return out;
    }

    /** The children of one container marked partial, by kind; read once per search, on first use. */
    private final class Markers {
        private final NodePath parent;
        private Map<Kind, Set<String>> byKind;

        Markers(NodePath parent) { this.parent = parent; }

        /** The children missing the index of {@code kind}; null when there are too many to add to a candidate set. */
        Set<String> of(Kind kind) {
            if (byKind == null) {
                Map<Kind, Set<String>> m = new EnumMap<>(Kind.class);
                for (Kind k : Kind.values()) m.put(k, new HashSet<>());
                QueryRequest q = QueryRequest.builder().tableName(catalog.table()).consistentRead(true).keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", PK))
                        .expressionAttributeValues(Map.of(":pk", s(SearchIndex.pk(parent, SearchIndex.MARKERS)))).build();
                boolean all = query(q, item -> {
                    Kind k = Kind.of(string(item, SK).charAt(0));
                    if (k != null) m.get(k).add(string(item, CHILD));
                }, 3 * MAX_CANDIDATES + 1);
                if (!all) m.replaceAll((k, v) -> null); // too many to add to any candidate set: no source is usable
                byKind = m;
            }
            Set<String> s = byKind.get(kind);
            return s == null ? null : new HashSet<>(s);
        }
    }

    /** Runs a Query through all its pages; false when it stopped after {@code max} items. */
    private boolean query(QueryRequest q, Consumer<Map<String, AttributeValue>> each, int max) {
        Map<String, AttributeValue> from = null;
        int seen = 0;
        do {
            QueryRequest page = from == null ? q : q.toBuilder().exclusiveStartKey(from).build();
            QueryResponse r = catalog.io("Query", () -> catalog.dynamo().query(page));
            for (Map<String, AttributeValue> item : r.items()) {
                each.accept(item);
                if (++seen >= max) return false;
            }
            from = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (from != null);
        return true;
    }

    // ---- evaluation

    /** Reads each candidate and offers the matches to the window. */
    private void verify(NodePath parent, Set<String> candidates, List<Query> filters, BiConsumer<Node, Map<String, AttributeValue>> offer) {
        fetch(parent, candidates, item -> {
            Optional<Node> node = decode(parent, item);
            if (node.isPresent() && passes(node.get(), filters)) offer.accept(node.get(), item);
        });
    }

    /** Reads the whole container once and offers every child that passes. */
    private void scan(NodePath parent, long children, List<Query> filters, BiConsumer<Node, Map<String, AttributeValue>> offer) {
        if (children > Scan.MAX_SCANNED)
            throw TiledException.badRequest("This search would evaluate its filters on each of the " + children
                    + " children of this container, and at most " + Scan.MAX_SCANNED + " are; add a filter the catalog indexes "
                    + "(eq, in, comparison, fulltext, specs, structure_family, lookup or keys_filter).");
        QueryRequest q = QueryRequest.builder().tableName(catalog.table()).consistentRead(true).keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", PK)).expressionAttributeValues(Map.of(":pk", s(childPk(parent)))).build();
        query(q, item -> {
            Optional<Node> node = decode(parent, item);
            if (node.isPresent() && passes(node.get(), filters)) offer.accept(node.get(), item);
        }, Integer.MAX_VALUE);
    }

    private static boolean passes(Node node, List<Query> filters) {
        for (Query q : filters) if (!q.matches(node)) return false;
        return true;
    }

    /** Strongly consistent BatchGetItem of the children named, 100 keys per request; absent ones are skipped. */
    private void fetch(NodePath parent, Collection<String> keys, Consumer<Map<String, AttributeValue>> each) {
        AttributeValue pk = s(childPk(parent));
        List<String> all = new ArrayList<>(keys);
        for (int i = 0; i < all.size(); i += BATCH_GET_MAX) {
            List<Map<String, AttributeValue>> chunk = new ArrayList<>();
            for (String k : all.subList(i, Math.min(all.size(), i + BATCH_GET_MAX))) {
                if (SearchIndex.utf8(k) <= 1024) chunk.add(Map.of(PK, pk, SK, s(k)));
            }
            if (chunk.isEmpty()) continue;
            Map<String, KeysAndAttributes> request = Map.of(catalog.table(), KeysAndAttributes.builder().keys(chunk).consistentRead(true).build());
            for (int attempt = 0; !request.isEmpty(); attempt++) {
                Map<String, KeysAndAttributes> req = request;
                var r = catalog.io("BatchGetItem", () -> catalog.dynamo().batchGetItem(b -> b.requestItems(req)));
                for (Map<String, AttributeValue> item : r.responses().getOrDefault(catalog.table(), List.of())) each.accept(item);
                request = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
                if (!request.isEmpty()) DynamoDbCatalog.backoff(attempt);
            }
        }
    }

    private Optional<Node> decode(NodePath parent, Map<String, AttributeValue> item) {
        NodePath path = parent.child(string(item, SK));
        Optional<Node> n = catalog.codec().decode(path, item);
        return n.isPresent() ? n : catalog.get(path); // its spilled document was replaced under us
    }

    private static TiledException tooMany(long n) {
        return TiledException.badRequest("This search names " + n + " children, and at most " + MAX_CANDIDATES + " are read one by one");
    }

    // ---- sort and page

    /**
     * The best {@code offset + limit} matches so far in the search's order (ties by creation order), and how many
     * matched. Entries keep their node when its document is small, else only what the order compares.
     */
    private final class Window {
        private final Comparator<SortOrder.Entry> order;
        private final List<SortKey> sort;
        private final long offset;
        private final int limit;
        private final long size;
        private final PriorityQueue<SortOrder.Entry> worstFirst;
        private final Set<String> slim = new HashSet<>();
        private long count;

        Window(List<SortKey> sort, long offset, int limit) {
            this.order = SortOrder.comparator(sort);
            this.sort = sort;
            this.offset = offset;
            this.limit = limit;
            this.size = limit == 0 ? 0 : offset + limit;
            this.worstFirst = new PriorityQueue<>(order.reversed());
        }

        void offer(Node node, Map<String, AttributeValue> item) {
            count++;
            if (size == 0) return;
            String doc = string(item, DOC);
            boolean keep = doc != null && doc.length() <= KEEP_DOC_CHARS;
            SortOrder.Entry e = new SortOrder.Entry(keep ? node : SortOrder.slim(node, sort), number(item, SEQ));
            if (worstFirst.size() < size) {
                worstFirst.add(e);
            } else if (order.compare(e, worstFirst.peek()) < 0) {
                worstFirst.poll();
                worstFirst.add(e);
            } else {
                return;
            }
            if (!keep) slim.add(node.path().key());
        }

        SearchPage page(NodePath parent) {
            List<SortOrder.Entry> best = new ArrayList<>(worstFirst);
            best.sort(order);
            List<Node> page = new ArrayList<>();
            for (long i = offset; i < best.size() && page.size() < limit; i++) page.add(best.get((int) i).node());
            List<String> reload = new ArrayList<>();
            for (Node n : page) if (slim.contains(n.path().key())) reload.add(n.path().key());
            if (!reload.isEmpty()) {
                Map<String, Node> read = new HashMap<>();
                fetch(parent, reload, item -> decode(parent, item).ifPresent(n -> read.put(n.path().key(), n)));
                List<Node> whole = new ArrayList<>();
                for (Node n : page) {
                    if (!slim.contains(n.path().key())) whole.add(n);
                    else if (read.containsKey(n.path().key())) whole.add(read.get(n.path().key())); // removed meanwhile: one shorter
                }
                page = whole;
            }
            return new SearchPage(page, count);
        }
    }
}
