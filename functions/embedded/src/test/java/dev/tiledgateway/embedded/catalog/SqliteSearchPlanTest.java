package dev.tiledgateway.embedded.catalog;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.query.Comparison;
import dev.tiledgateway.core.query.Contains;
import dev.tiledgateway.core.query.Distinct;
import dev.tiledgateway.core.query.Eq;
import dev.tiledgateway.core.query.FullText;
import dev.tiledgateway.core.query.In;
import dev.tiledgateway.core.query.KeyPresent;
import dev.tiledgateway.core.query.KeysFilter;
import dev.tiledgateway.core.query.Like;
import dev.tiledgateway.core.query.NotEq;
import dev.tiledgateway.core.query.Query;
import dev.tiledgateway.core.query.Regex;
import dev.tiledgateway.core.query.SearchPage;
import dev.tiledgateway.core.query.SpecsQuery;
import dev.tiledgateway.core.query.StructureFamilyQuery;
import dev.tiledgateway.embedded.catalog.IndexTerms.Sql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Selective searches do not scan: in a container of {@value #CHILDREN} children (and a sibling like it), each
 * indexed filter decodes only the page's nodes, and the plan SQLite chooses for every statement searches indexes
 * (no full scan of a table or of an index). Filters the index cannot answer are evaluated only on the candidates
 * the indexed ones leave.
 */
class SqliteSearchPlanTest {

    private static final int CHILDREN = 3000;
    private static final NodePath BIG = NodePath.of("big");
    /**
     * In EXPLAIN QUERY PLAN's words, a full scan of a table or index ("SCAN n", "SCAN v USING INDEX …"; not of the
     * driving set, json_each or FTS5), or a walk through all the children of the container ("… (parent=?)").
     */
    private static final Pattern FULL_SCAN = Pattern.compile("^SCAN (n|nodes|v|s|node_values|node_specs)\\b.*|.*\\(parent=\\?\\)$");

    @TempDir
    static Path dir;
    private static SqliteCatalog catalog;

    @BeforeAll
    static void fill() {
        catalog = new SqliteCatalog(dir.resolve("catalog.db"));
        for (NodePath container : List.of(NodePath.of("sibling"), BIG)) {
            catalog.put(Node.container(container, Json.object(), List.of()));
            for (int i = 0; i < CHILDREN; i++) catalog.put(child(container.child("c" + i), i));
        }
    }

    @AfterAll
    static void close() throws Exception {
        catalog.close();
    }

    private static Node child(NodePath path, int i) {
        ObjectNode m = Json.object().put("i", i).put("name", "item-" + i).put("group", i % 10).put("text", "word" + i + " common");
        m.putArray("tags").add("t" + (i % 7)).add(i % 7);
        m.putObject("sample").put("temp", i * 0.5);
        if (i % 1000 == 7) m.put("rare", true);
        List<Spec> specs = i % 500 == 3 ? List.of(new Spec("rare_spec", null)) : List.of(new Spec("common", "1"));
        StructureFamily family = i % 100 == 0 ? StructureFamily.TABLE : StructureFamily.ARRAY;
        return new Node(path, family, m, specs, Json.object(), null, null, 0);
    }

    /** Selective filters, each matching a handful of the children. */
    private static List<List<Query>> selective() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return List.of(
                List.of(new Eq("i", f.numberNode(1234))),
                List.of(new Eq("sample.temp", f.numberNode(617))),
                List.of(new In("name", List.of(f.textNode("item-5"), f.textNode("item-2999"), f.textNode("nope")))),
                List.of(new FullText("word1234 word17")),
                List.of(new Comparison(Comparison.Operator.GE, "i", f.numberNode(2995))),
                List.of(new Comparison(Comparison.Operator.LT, "name", f.textNode("item-10"))),
                List.of(new Contains("tags", f.textNode("t3")), new Eq("group", f.numberNode(3)), new Comparison(Comparison.Operator.LT, "i", f.numberNode(100))),
                List.of(new KeysFilter(List.of("c10", "c2000", "c-none"))),
                List.of(new Like("name", "item-123_")),
                List.of(new SpecsQuery(List.of("rare_spec"), List.of())),
                List.of(new StructureFamilyQuery(StructureFamily.TABLE), new Eq("group", f.numberNode(0)), new Comparison(Comparison.Operator.GT, "i", f.numberNode(2500))),
                List.of(new KeyPresent("rare", true)),
                List.of(new KeyPresent("rare", true), new NotEq("i", f.numberNode(7))),
                // the common filter comes first: the planner must still drive from the rare one
                List.of(new FullText("common"), new StructureFamilyQuery(StructureFamily.ARRAY), new Eq("i", f.numberNode(42))));
    }

    @Test
    void selectiveFiltersDecodeOnlyThePageAndEqualTheReference() {
        for (List<Query> filters : selective()) {
            for (List<SortKey> sort : List.of(List.<SortKey>of(), List.of(new SortKey("sample.temp", -1)), List.of(new SortKey("id", 1)))) {
                long before = catalog.rowsDecoded();
                SearchPage got = catalog.search(BIG, filters, sort, 0, 5);
                long decoded = catalog.rowsDecoded() - before;
                assertEquals(got.nodes().size(), decoded, filters + " decoded " + decoded + " rows for a page of " + got.nodes().size());
                SearchPage expected = RandomSearches.reference(catalog, BIG, filters, sort, 0, 5);
                assertEquals(expected.count(), got.count(), filters.toString());
                assertEquals(expected.nodes(), got.nodes(), filters.toString());
                assertTrue(got.count() < 400, filters + " is not selective: " + got.count());
            }
        }
    }

    @Test
    void everyStatementOfASelectiveSearchSearchesIndexes() throws Exception {
        for (List<Query> filters : selective()) {
            List<String> plan = explain(() -> catalog.search(BIG, filters, List.of(new SortKey("i", 1)), 0, 5));
            for (String step : plan) assertFalse(FULL_SCAN.matcher(step).matches(), filters + " scans: " + plan);
        }
    }

    @Test
    void distinctGroupsInTheIndexWithoutDecodingNodes() throws Exception {
        Distinct.Request request = new Distinct.Request(List.of("group", "tags", "sample.temp"), true, true, true);
        for (List<Query> filters : List.of(List.<Query>of(), selective().get(6), selective().get(3))) {
            long before = catalog.rowsDecoded();
            List<String> plan = explain(() -> catalog.distinct(BIG, filters, request));
            assertEquals(0, catalog.rowsDecoded() - before, filters.toString());
            if (!filters.isEmpty()) for (String step : plan) assertFalse(FULL_SCAN.matcher(step).matches(), filters + " scans: " + plan);
            assertEquals(RandomSearches.referenceDistinct(catalog, BIG, filters, request), catalog.distinct(BIG, filters, request));
        }
    }

    @Test
    void aFilterTheIndexCannotAnswerReadsOnlyTheCandidatesOfTheIndexedOnes() {
        List<Query> filters = List.of(new Eq("group", JsonNodeFactory.instance.numberNode(3)), new Regex("name", "5$", true));
        long before = catalog.rowsDecoded();
        SearchPage got = catalog.search(BIG, filters, List.of(), 0, 10);
        assertEquals(CHILDREN / 10, catalog.rowsDecoded() - before, "the regex is evaluated on the children of group 3 only");
        assertEquals(RandomSearches.reference(catalog, BIG, filters, List.of(), 0, 10), got);
    }

    @Test
    void withoutAnIndexedFilterEveryChildIsDecoded() {
        long before = catalog.rowsDecoded();
        catalog.search(BIG, List.of(new Regex("name", "5$", true)), List.of(), 0, 10);
        assertEquals(CHILDREN, catalog.rowsDecoded() - before);
    }

    /** EXPLAIN QUERY PLAN of every statement {@code search} runs, as one list of steps. */
    private static List<String> explain(Runnable search) throws Exception {
        List<Sql> statements = new ArrayList<>();
        catalog.observeSearches(statements::add);
        try {
            search.run();
        } finally {
            catalog.observeSearches(null);
        }
        List<String> steps = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("catalog.db"))) {
            for (Sql sql : statements) {
                try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql.text())) {
                    for (int i = 0; i < sql.params().size(); i++) ps.setObject(i + 1, sql.params().get(i));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) steps.add(rs.getString("detail"));
                    }
                }
            }
        }
        if (Boolean.getBoolean("explain.print")) {
            for (Sql sql : statements) System.out.println("PLAN SQL " + sql.text());
            System.out.println("PLAN " + String.join("\nPLAN ", steps));
        }
        return steps;
    }

}
