package dev.tiledgateway.embedded.catalog;

import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.query.Distinct;
import dev.tiledgateway.core.query.KeyLookup;
import dev.tiledgateway.core.query.KeysFilter;
import dev.tiledgateway.core.query.Query;
import dev.tiledgateway.core.query.Scan;
import dev.tiledgateway.core.query.SearchPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The indexed search equals the reference on random data: every child filtered with {@code Query.matches} and
 * sorted by {@code SortOrder}, for random filters of every type, sorts and pages; distinct equals the scan's. The
 * container has siblings with the same kind of data, so an index row of another container showing up would fail.
 * Between rounds children are replaced and deleted, so the indexes must follow.
 */
class SqliteSearchDifferentialTest {

    private static final int CHILDREN = 300;
    private static final int SEARCHES_PER_ROUND = 400;
    private static final int DISTINCTS_PER_ROUND = 60;

    @TempDir
    Path dir;

    private SqliteCatalog catalog;

    @BeforeEach
    void open() {
        catalog = new SqliteCatalog(dir.resolve("catalog.db"));
    }

    @AfterEach
    void close() throws Exception {
        catalog.close();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2})
    void searchAndDistinctEqualTheReferenceOnDataTheIndexDecides(long seed) {
        compare(seed, false);
    }

    @ParameterizedTest
    @ValueSource(longs = {3, 4})
    void searchAndDistinctEqualTheReferenceOnDataWithLooseValues(long seed) {
        compare(seed, true);
    }

    private void compare(long seed, boolean looseData) {
        RandomSearches r = new RandomSearches(seed, looseData);
        NodePath base = NodePath.of("base");
        catalog.put(Node.container(base, Json.object(), List.of()));
        List<String> keys = new ArrayList<>();
        for (String sibling : List.of("before", "after")) {
            NodePath other = base.child(sibling);
            if (sibling.equals("after")) populate(r, base, keys);
            catalog.put(Node.container(other, r.metadata(), r.specs()));
            for (int i = 0; i < 40; i++) catalog.put(r.child(other.child("k" + i)));
        }
        for (int round = 0; round < 3; round++) {
            List<Node> children = catalog.children(base, List.of(), 0, Integer.MAX_VALUE);
            for (int i = 0; i < SEARCHES_PER_ROUND; i++) {
                List<Query> filters = r.filters(keys);
                List<SortKey> sort = r.sort();
                long offset = r.nextInt(4) == 0 ? r.nextInt(CHILDREN) : r.nextInt(20);
                int limit = r.nextInt(6) == 0 ? 0 : 1 + r.nextInt(40);
                String what = "seed " + seed + " round " + round + " #" + i + ": " + filters + " sort " + sort + " offset " + offset + " limit " + limit;
                SearchPage expected = RandomSearches.reference(children, filters, sort, offset, limit);
                SearchPage got = catalog.search(base, filters, sort, offset, limit);
                assertEquals(expected.count(), got.count(), what);
                assertEquals(paths(expected), paths(got), what);
            }
            for (int i = 0; i < DISTINCTS_PER_ROUND; i++) {
                List<Query> filters = r.filters(keys);
                List<String> metadataKeys = new ArrayList<>();
                for (int k = r.nextInt(3); k > 0; k--) metadataKeys.add(r.pick(RandomSearches.QUERY_KEYS));
                Distinct.Request request = new Distinct.Request(metadataKeys.stream().distinct().toList(), r.nextBoolean(), r.nextBoolean(), r.nextBoolean());
                String what = "seed " + seed + " round " + round + " distinct #" + i + ": " + filters + " " + request;
                Distinct got = catalog.distinct(base, filters, request);
                assertEquals(RandomSearches.referenceDistinct(children, filters, request), got, what);
                if (filters.stream().noneMatch(q -> q instanceof KeyLookup || q instanceof KeysFilter))
                    assertEquals(Scan.distinct(catalog, base, filters, request), got, what + " (the scan)");
            }
            mutate(r, base, keys);
        }
    }

    private void populate(RandomSearches r, NodePath base, List<String> keys) {
        for (int i = 0; i < CHILDREN; i++) {
            String k = "c" + i + (i % 3 == 0 ? "x" : "");
            keys.add(k);
            catalog.put(r.child(base.child(k)));
            if (i % 25 == 0) catalog.put(r.child(base.child(k))); // replaced at once: keeps its place
        }
    }

    /** Replaces some children, deletes others (with their subtrees) and creates new ones. */
    private void mutate(RandomSearches r, NodePath base, List<String> keys) {
        for (int i = 0; i < 40; i++) {
            String k = keys.get(r.nextInt(keys.size()));
            switch (r.nextInt(3)) {
                case 0 -> catalog.put(r.child(base.child(k)));
                case 1 -> catalog.delete(base.child(k));
                default -> {
                    String fresh = "n" + keys.size();
                    keys.add(fresh);
                    catalog.put(r.child(base.child(fresh)));
                }
            }
        }
        for (String k : List.copyOf(keys)) {
            if (catalog.get(base.child(k)).isEmpty() && r.nextInt(2) == 0) catalog.put(r.child(base.child(k))); // re-created at the end
        }
    }

    private static List<String> paths(SearchPage p) {
        List<String> out = new ArrayList<>();
        for (Node n : p.nodes()) out.add(n.path().joined() + "@" + n.revision());
        return out;
    }
}
