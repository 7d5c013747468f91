package dev.tiledgateway.bench.jmh;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.query.Comparison;
import dev.tiledgateway.core.query.Distinct;
import dev.tiledgateway.core.query.Eq;
import dev.tiledgateway.core.query.FullText;
import dev.tiledgateway.core.query.Query;
import dev.tiledgateway.core.query.Regex;
import dev.tiledgateway.core.query.Scan;
import dev.tiledgateway.core.query.SearchPage;
import dev.tiledgateway.embedded.catalog.SqliteCatalog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Search on the SQLite catalog: selective filters answered from its indexes against the same filter answered by
 * the bounded scan every catalog inherits ({@link Scan}), in one container of {@code children} children. The
 * catalog is built once per size under the temporary directory and reused by later forks and runs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SearchBenchmarks {

    private static final NodePath BASE = NodePath.of("base");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Param("20000")
    public int children;

    private SqliteCatalog catalog;
    private List<Query> eq;
    private List<Query> fullText;
    private List<Query> range;
    private List<Query> regex;

    @Setup
    public void setup() throws Exception {
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "tiled-gateway-bench-search-v1-" + children + ".db");
        if (!Files.exists(file)) {
            Path building = Files.createTempFile(file.getParent(), "tiled-gateway-bench-search-", ".db");
            Files.delete(building);
            try (SqliteCatalog c = new SqliteCatalog(building)) {
                c.put(Node.container(BASE, Json.object(), List.of()));
                for (int i = 0; i < children; i++) c.put(child(i));
            }
            Files.move(building, file, StandardCopyOption.ATOMIC_MOVE);
        }
        catalog = new SqliteCatalog(file);
        int middle = children / 2;
        eq = List.of(new Eq("i", F.numberNode(middle)));
        fullText = List.of(new FullText("word" + middle));
        range = List.of(new Comparison(Comparison.Operator.GE, "i", F.numberNode(children - 10)));
        regex = List.of(new Regex("name", "-" + middle + "$", true));
        check(catalog.search(BASE, eq, List.of(), 0, 10), 1);
        check(Scan.search(catalog, BASE, eq, List.of(), 0, 10), 1);
        check(catalog.search(BASE, fullText, List.of(), 0, 10), 1);
        check(catalog.search(BASE, range, List.of(), 0, 10), 10);
        check(catalog.search(BASE, regex, List.of(), 0, 10), 1);
    }

    private static Node child(int i) {
        ObjectNode m = Json.object().put("i", i).put("name", "item-" + i).put("group", i % 10).put("text", "word" + i + " common words");
        m.putArray("tags").add("t" + (i % 7));
        m.putObject("sample").put("temp", i * 0.5);
        return new Node(BASE.child("c" + i), StructureFamily.ARRAY, m, List.of(), Json.object(), null, null, 0);
    }

    private static void check(SearchPage p, long count) {
        if (p.count() != count) throw new IllegalStateException("expected " + count + " matches, got " + p.count());
    }

    @TearDown
    public void close() throws Exception {
        catalog.close();
    }

    /** {@code eq} on a key every child has, one match: the value index. */
    @Benchmark
    public SearchPage eqIndexed() { return catalog.search(BASE, eq, List.of(), 0, 100); }

    /** The same {@code eq} evaluated on every child, as a catalog without indexes does. */
    @Benchmark
    public SearchPage eqScanned() { return Scan.search(catalog, BASE, eq, List.of(), 0, 100); }

    /** {@code fulltext} of a word one child has: FTS5. */
    @Benchmark
    public SearchPage fullTextIndexed() { return catalog.search(BASE, fullText, List.of(), 0, 100); }

    /** {@code comparison} selecting the last 10 children, sorted by a metadata key. */
    @Benchmark
    public SearchPage rangeIndexedSorted() { return catalog.search(BASE, range, List.of(new SortKey("sample.temp", -1)), 0, 100); }

    /** {@code regex}, which no index serves: every child is decoded and matched. */
    @Benchmark
    public SearchPage regexScanned() { return catalog.search(BASE, regex, List.of(), 0, 100); }

    /** {@code distinct} of one key over the whole container: a GROUP BY on the value index. */
    @Benchmark
    public Distinct distinctIndexed() { return catalog.distinct(BASE, List.of(), new Distinct.Request(List.of("group"), false, false, true)); }
}
