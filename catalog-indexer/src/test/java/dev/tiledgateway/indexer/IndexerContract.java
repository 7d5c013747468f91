package dev.tiledgateway.indexer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.indexer.apply.Applier;
import dev.tiledgateway.indexer.apply.Outcome;
import dev.tiledgateway.indexer.event.ObjectEvent;
import dev.tiledgateway.indexer.plan.RegistrationPlan;
import dev.tiledgateway.indexer.plan.Step;
import dev.tiledgateway.testkit.S3EventPayloads;
import dev.tiledgateway.testkit.S3EventPayloads.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The indexer end to end through its Lambda handler, with S3 event payloads in AWS's shapes, on one
 * storage backend (embedded or AWS emulated). Each test gets a fresh catalog and store.
 */
abstract class IndexerContract {

    /** A catalog and store; event keys are {@code keyPrefix + store key} in {@code bucket}. */
    record Env(Catalog catalog, BlobStore store, String bucket, String keyPrefix) {}

    protected abstract Env freshEnv() throws IOException;

    /** Uploads in the burst test. */
    protected abstract int burstSize();

    protected Env env;
    protected IndexerHandler handler;
    protected final List<Outcome> deadLettered = new CopyOnWriteArrayList<>();
    private static final AtomicLong SEQ = new AtomicLong(0x1000);

    @BeforeEach
    void setUp() throws IOException {
        env = freshEnv();
        handler = handler(env.store());
    }

    IndexerHandler handler(BlobStore store) {
        IndexerSettings settings = new IndexerSettings(env.bucket(), env.keyPrefix(), NodePath.ROOT, IndexerSettings.DEFAULT_IGNORED,
                IndexerSettings.DEFAULT_MAX_CSV_BYTES);
        return new IndexerHandler(new Indexer(env.catalog(), store, settings), (e, o) -> deadLettered.add(o), line -> {});
    }

    static String nextSeq() { return Long.toHexString(SEQ.incrementAndGet()).toUpperCase(); }

    Record put(String key) throws IOException {
        return Record.put(env.bucket(), env.keyPrefix() + key, env.store().size(key).orElse(0L), nextSeq());
    }

    Record put(String key, byte[] bytes) throws IOException {
        env.store().put(key, bytes);
        return put(key);
    }

    Record delete(String key) throws IOException {
        env.store().delete(key);
        return Record.delete(env.bucket(), env.keyPrefix() + key, nextSeq());
    }

    /** Delivers an SQS batch of one message per notification; returns the failed message ids. */
    List<String> deliver(List<List<Record>> messages) throws IOException {
        return deliver(handler, messages);
    }

    static List<String> deliver(IndexerHandler h, List<List<Record>> messages) throws IOException {
        byte[] payload = S3EventPayloads.sqsOfNotifications(messages).toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.handleRequest(new ByteArrayInputStream(payload), out, null);
        List<String> failed = new ArrayList<>();
        for (JsonNode f : Json.parse(out.toByteArray()).path("batchItemFailures")) failed.add(f.path("itemIdentifier").asText());
        return failed;
    }

    void deliverEach(Record... records) throws IOException {
        List<List<Record>> ms = new ArrayList<>();
        for (Record r : records) ms.add(List.of(r));
        assertEquals(List.of(), deliver(ms));
    }

    Optional<Node> node(String path) { return env.catalog().get(NodePath.of(path)); }

    List<String> keys(String path) {
        List<String> k = new ArrayList<>();
        for (Node n : env.catalog().children(NodePath.of(path), List.of(), 0, 100_000)) k.add(n.path().key());
        return k;
    }

    List<Record> putTree(java.nio.file.Path dir, String prefix) throws IOException {
        List<Record> rs = new ArrayList<>();
        for (String k : Fixtures.copyTree(dir, env.store(), prefix)) rs.add(put(k));
        return rs;
    }

    // ---- formats

    @Test
    void aZarrArrayRegistersOnceFromItsMetadataNotPerChunk() throws IOException {
        List<Record> rs = putTree(Fixtures.ZARR.resolve("v2/with_dims"), "arrays/image.zarr/");
        Collections.reverse(rs); // chunks first, metadata last: any order works
        deliverEach(rs.toArray(Record[]::new));
        assertEquals(List.of("image"), keys("arrays"));
        Node n = node("arrays/image").orElseThrow();
        assertEquals(StructureFamily.ARRAY, n.family());
        assertEquals(Json.mapper().readTree("{\"scale\":0.5,\"units\":\"m\"}"), n.metadata(), "attributes without _ARRAY_DIMENSIONS");
        assertEquals("[\"y\",\"x\"]", n.structure().get("dims").toString());
        assertEquals("arrays/image.zarr/", n.dataSource().asset("data_uri").key());
        assertEquals("application/x-zarr", n.dataSource().mimetype());
    }

    @Test
    void aNodeWrittenThroughTheApiIsNeverReplacedOrRemovedByStorageEvents() throws IOException {
        env.catalog().createIfAbsent(dev.tiledgateway.core.catalog.Node.container(NodePath.of("t"), Json.object(), List.of()));
        dev.tiledgateway.core.catalog.DataSource written = new dev.tiledgateway.core.catalog.DataSource("text/csv",
                List.of(new dev.tiledgateway.core.catalog.Asset("_managed/abc/partition-00000.parquet", false, "data_uris")), "written-1",
                dev.tiledgateway.core.catalog.DataSource.WRITABLE);
        Node mine = env.catalog().createIfAbsent(new Node(NodePath.of("t/one"), StructureFamily.TABLE, Json.object(), List.of(),
                Json.object().put("npartitions", 1), written, null, 0)).orElseThrow();
        // A file uploaded at the same path, then removed, and an object in the managed area: none touches the node.
        deliverEach(put("t/one.csv", Fixtures.csv("a\n5\n")), delete("t/one.csv"), put("_managed/abc/partition-00000.parquet", Fixtures.csv("x")));
        Node after = node("t/one").orElseThrow();
        assertEquals(mine.revision(), after.revision());
        assertEquals(written, after.dataSource());
        assertEquals(List.of("one"), keys("t"));
        assertEquals(List.of("t"), keys(""));
    }

    @Test
    void zarrV3ArraysAndGroupsRegister() throws IOException {
        List<Record> rs = new ArrayList<>(putTree(Fixtures.ZARR.resolve("v3/dtype_int32"), "v3/grp.zarr/a/"));
        env.store().put("v3/grp.zarr/zarr.json", Fixtures.csv("{\"zarr_format\":3,\"node_type\":\"group\",\"attributes\":{\"beamline\":\"8-ID\"}}"));
        rs.add(put("v3/grp.zarr/zarr.json"));
        deliver(List.of(rs));
        assertEquals("8-ID", node("v3/grp").orElseThrow().metadata().get("beamline").asText());
        assertTrue(node("v3/grp").orElseThrow().isContainer());
        assertEquals(StructureFamily.ARRAY, node("v3/grp/a").orElseThrow().family());
    }

    @Test
    void tablesRegisterFromParquetCsvAndFoldersOfParts() throws IOException {
        deliverEach(put("t/types.parquet", Fixtures.bytes(Fixtures.TABLE.resolve("types.parquet"))),
                put("t/simple.csv", Fixtures.bytes(Fixtures.TABLE.resolve("csv/simple.csv"))),
                put("t/parts.parquet/part.0.parquet", Fixtures.bytes(Fixtures.TABLE.resolve("parts/part.0.parquet"))),
                put("t/parts.parquet/part.1.parquet", Fixtures.bytes(Fixtures.TABLE.resolve("parts/part.1.parquet"))),
                put("t/parts.parquet/_SUCCESS", new byte[0]));
        assertEquals(List.of("types", "simple", "parts"), keys("t"));
        Node parquet = node("t/types").orElseThrow();
        assertEquals(StructureFamily.TABLE, parquet.family());
        assertEquals(1, parquet.structure().get("npartitions").asInt());
        assertEquals("application/x-parquet", parquet.dataSource().mimetype());
        assertEquals("text/csv", node("t/simple").orElseThrow().dataSource().mimetype());
        assertEquals("[\"id\",\"score\",\"ok\",\"name\"]", node("t/simple").orElseThrow().structure().get("columns").toString());
        Node parts = node("t/parts").orElseThrow();
        assertEquals(2, parts.structure().get("npartitions").asInt());
        assertTrue(parts.dataSource().assets().getFirst().directory());

        deliverEach(put("t/parts.parquet/part.2.parquet", Fixtures.bytes(Fixtures.TABLE.resolve("parts/part.2.parquet"))));
        assertEquals(3, node("t/parts").orElseThrow().structure().get("npartitions").asInt(), "a new part re-registers the folder");
        deliverEach(delete("t/parts.parquet/part.0.parquet"));
        assertEquals(2, node("t/parts").orElseThrow().structure().get("npartitions").asInt());
        deliverEach(delete("t/parts.parquet/part.1.parquet"), delete("t/parts.parquet/part.2.parquet"));
        assertTrue(node("t/parts").isEmpty(), "no parts left, no table");
    }

    @Test
    void aOneColumnCsvIsATableAsPandasReadsIt() throws IOException {
        deliverEach(put("t/one.csv", Fixtures.csv("a\n5\n7\n")));
        Node n = node("t/one").orElseThrow();
        assertEquals(StructureFamily.TABLE, n.family());
        assertEquals("[\"a\"]", n.structure().get("columns").toString());
        deliverEach(put("t/notes", Fixtures.csv("just\nwords\n")));
        assertTrue(node("t/notes").isEmpty(), "without the .csv name one column of text is not taken for a table");
    }

    @Test
    void tiffStacksRegisterAsOneArray() throws IOException {
        deliverEach(put("img/stack.tif", Fixtures.tiff(3, 8, 5, true)), put("img/single.tiff", Fixtures.tiff(1, 4, 2, false)));
        Node stack = node("img/stack").orElseThrow();
        assertEquals("[3,5,8]", stack.structure().get("shape").toString());
        assertEquals("u", stack.structure().get("data_type").get("kind").asText());
        assertEquals(2, stack.structure().get("data_type").get("itemsize").asInt());
        assertEquals("image/tiff", stack.dataSource().mimetype());
        assertEquals(8, stack.metadata().get("ImageWidth").asInt());
        assertEquals("[2,4]", node("img/single").orElseThrow().structure().get("shape").toString());
    }

    @Test
    void parquetKeyValueMetadataBecomesNodeMetadata() throws IOException {
        // pandas_index.parquet was written by pyarrow with pandas metadata (left out as a schema encoding)
        deliverEach(put("t/p.parquet", Fixtures.bytes(Fixtures.TABLE.resolve("pandas_index.parquet"))));
        Node n = node("t/p").orElseThrow();
        assertFalse(n.metadata().has("pandas"));
        assertFalse(n.metadata().has("ARROW:schema"));
    }

    // ---- the identity of the stored bytes: every change of the data is a new revision and fingerprint

    /** Registers {@code key}, overwrites it with {@code changed}, and checks the node moved on (and a redelivery does not). */
    private void overwriteMovesTheNodeOn(String key, byte[] first, byte[] changed, String path) throws IOException {
        deliverEach(put(key, first));
        Node before = node(path).orElseThrow();
        Record second = put(key, changed);
        deliverEach(second);
        Node after = node(path).orElseThrow();
        assertEquals(before.structure(), after.structure(), "the same columns or shape");
        assertNotEquals(before.dataSource().fingerprint(), after.dataSource().fingerprint(), path);
        assertTrue(after.revision() > before.revision(), path + ": a new revision");
        assertNotEquals(before.dataKey(), after.dataKey());
        deliverEach(second);
        assertEquals(after.revision(), node(path).orElseThrow().revision(), "a redelivered event with the same bytes changes nothing");
    }

    @Test
    void overwritingACsvWithTheSameColumnsAndSizeIsANewRevision() throws IOException {
        overwriteMovesTheNodeOn("o/a.csv", Fixtures.csv("x,y\n1,2\n"), Fixtures.csv("x,y\n3,4\n"), "o/a");
    }

    @Test
    void overwritingAParquetFileWithTheSameColumnsIsANewRevision() throws IOException {
        overwriteMovesTheNodeOn("o/p.parquet", Fixtures.bytes(Fixtures.TABLE.resolve("parts/part.0.parquet")),
                Fixtures.bytes(Fixtures.TABLE.resolve("parts/part.1.parquet")), "o/p");
    }

    @Test
    void overwritingAPartOfAPartitionedTableIsANewRevision() throws IOException {
        deliverEach(put("o/parts.parquet/part.1.parquet", Fixtures.bytes(Fixtures.TABLE.resolve("parts/part.1.parquet"))));
        overwriteMovesTheNodeOn("o/parts.parquet/part.0.parquet", Fixtures.bytes(Fixtures.TABLE.resolve("parts/part.0.parquet")),
                Fixtures.bytes(Fixtures.TABLE.resolve("parts/part.2.parquet")), "o/parts");
    }

    @Test
    void overwritingATiffWithTheSameShapeIsANewRevision() throws IOException {
        byte[] first = Fixtures.tiff(2, 4, 3, true);
        byte[] changed = first.clone();
        // Readers follow the file's offsets, so one more byte at the end keeps the image and changes the object.
        changed = java.util.Arrays.copyOf(changed, changed.length + 1);
        overwriteMovesTheNodeOn("o/s.tif", first, changed, "o/s");
    }

    @Test
    void aChunkWrittenOrRemovedMovesItsArrayOnWithoutTouchingItsStructure() throws IOException {
        List<Record> rs = putTree(Fixtures.ZARR.resolve("v2/with_dims"), "c/image.zarr/");
        deliverEach(rs.toArray(Record[]::new));
        Node before = node("c/image").orElseThrow();
        byte[] chunk = env.store().get("c/image.zarr/0.1").orElseThrow();
        byte[] rewritten = chunk.clone();
        for (int i = 0; i < rewritten.length; i++) rewritten[i] ^= 0x5a; // same size, other bytes
        deliverEach(put("c/image.zarr/0.1", rewritten));
        Node after = node("c/image").orElseThrow();
        assertEquals(before.structure(), after.structure());
        assertEquals(before.metadata(), after.metadata());
        assertNotEquals(before.dataSource().fingerprint(), after.dataSource().fingerprint());
        assertEquals(before.revision() + 1, after.revision());

        deliverEach(delete("c/image.zarr/1.1"));
        Node removed = node("c/image").orElseThrow();
        assertNotEquals(after.dataSource().fingerprint(), removed.dataSource().fingerprint(), "a removed chunk reads as fill values now");
    }

    @Test
    void aChunkFindsItsArrayThroughNestedAndV3ChunkKeysAndArraysNamedLikeChunks() throws IOException {
        // OME-Zarr names its arrays 0, 1, ...: the nearest folder with array metadata is the array, not the name.
        List<Record> rs = putTree(Fixtures.ZARR.resolve("v2/with_dims"), "ome.zarr/0/");
        deliverEach(rs.toArray(Record[]::new));
        long rev = node("ome/0").orElseThrow().revision();
        deliverEach(put("ome.zarr/0/1/1", Fixtures.csv("a nested chunk")));
        assertEquals(rev + 1, node("ome/0").orElseThrow().revision());

        List<Record> v3 = putTree(Fixtures.ZARR.resolve("v3/dtype_int32"), "v3c/a.zarr/");
        deliverEach(v3.toArray(Record[]::new));
        long rev3 = node("v3c/a").orElseThrow().revision();
        deliverEach(put("v3c/a.zarr/c/0/0", Fixtures.csv("a v3 chunk")));
        assertEquals(rev3 + 1, node("v3c/a").orElseThrow().revision());
    }

    @Test
    void aChunkWithoutItsArrayRegistersNothing() throws IOException {
        deliverEach(put("lonely.zarr/0.0", Fixtures.csv("no metadata yet")));
        assertTrue(node("lonely").isEmpty());
        assertTrue(keys("").stream().noneMatch(k -> k.equals("lonely")));
    }

    @Test
    void theChunkEventsOfOneBatchMoveTheirArrayOnOnce() throws IOException {
        List<Record> rs = putTree(Fixtures.ZARR.resolve("v2/with_dims"), "f/image.zarr/");
        deliverEach(rs.toArray(Record[]::new));
        long rev = node("f/image").orElseThrow().revision();
        List<List<Record>> batch = new ArrayList<>();
        for (String c : List.of("0.0", "0.1", "1.0", "1.1")) batch.add(List.of(put("f/image.zarr/" + c, Fixtures.csv("rewritten " + c))));
        assertEquals(List.of(), deliver(batch));
        assertEquals(rev + 1, node("f/image").orElseThrow().revision(), "one catalog write for the four chunks");
    }

    @Test
    void aBackfillSeesChunksChangedWithoutEvents() throws IOException {
        Fixtures.copyTree(Fixtures.ZARR.resolve("v2/with_dims"), env.store(), "s/image.zarr/");
        Indexer indexer = new Indexer(env.catalog(), env.store(), new IndexerSettings(env.bucket(), env.keyPrefix(), NodePath.ROOT, null, 1 << 20));
        new Backfill(indexer, env.store()).run("s/", p -> {});
        Node before = node("s/image").orElseThrow();
        Backfill.Summary same = new Backfill(indexer, env.store()).run("s/", p -> {});
        assertEquals(1, same.count(Outcome.Action.UNCHANGED), same.describe());
        env.store().put("s/image.zarr/1.0", Fixtures.csv("changed while nobody listened"));
        Backfill.Summary changed = new Backfill(indexer, env.store()).run("s/", p -> {});
        assertEquals(1, changed.count(Outcome.Action.REGISTERED), changed.describe());
        assertNotEquals(before.dataSource().fingerprint(), node("s/image").orElseThrow().dataSource().fingerprint());
    }

    // ---- at-least-once, any order, concurrent

    @Test
    void duplicateDeliveryRegistersOnce() throws IOException {
        Record r = put("d/a.csv", Fixtures.csv("x,y\n1,2\n"));
        deliverEach(r, r);
        long revision = node("d/a").orElseThrow().revision();
        assertEquals(List.of(), deliver(List.of(List.of(r), List.of(r), List.of(r, r))));
        assertEquals(List.of("a"), keys("d"));
        assertEquals(revision, node("d/a").orElseThrow().revision(), "nothing rewritten");
    }

    @Test
    void aDeleteDeliveredBeforeItsCreateEndsWithNoNode() throws IOException {
        Record created = put("d/a.csv", Fixtures.csv("x,y\n1,2\n"));
        Record deleted = delete("d/a.csv");
        deliverEach(deleted, created);
        assertTrue(node("d/a").isEmpty());
        assertTrue(node("d").isEmpty(), "the folder it would have needed is not left behind");
    }

    @Test
    void aCreateAppliedLateAfterItsDeleteIsRefused() throws IOException {
        // The create was planned while the object existed, and its write lands after the delete was applied.
        Record created = put("d/a.csv", Fixtures.csv("x,y\n1,2\n"));
        Indexer indexer = new Indexer(env.catalog(), env.store(), new IndexerSettings(env.bucket(), env.keyPrefix(), NodePath.ROOT, null, 1 << 20));
        RegistrationPlan stale = indexer.planner().plan(event(created));
        deliverEach(delete("d/a.csv"));
        Outcome o = new Applier(env.catalog(), env.store()).apply(stale);
        assertEquals(Outcome.Action.STALE, o.action());
        assertTrue(node("d/a").isEmpty());
        assertTrue(node("d").isEmpty());
    }

    @Test
    void ofTwoUploadsOfOneKeyTheNewerWinsInEitherOrder() throws IOException {
        Record first = put("d/a.csv", Fixtures.csv("one,two\n1,2\n"));
        Indexer indexer = new Indexer(env.catalog(), env.store(), new IndexerSettings(env.bucket(), env.keyPrefix(), NodePath.ROOT, null, 1 << 20));
        RegistrationPlan planOfFirst = indexer.planner().plan(event(first));
        Record second = put("d/a.csv", Fixtures.csv("three,four,five\n3,4,5\n"));
        deliverEach(second, first); // the old event re-reads the store: same content, nothing changes
        assertEquals(3, node("d/a").orElseThrow().structure().get("columns").size());
        assertEquals(Outcome.Action.STALE, new Applier(env.catalog(), env.store()).apply(planOfFirst).action(),
                "a write planned from the first upload's bytes cannot overwrite the second's");
        assertEquals(3, node("d/a").orElseThrow().structure().get("columns").size());
    }

    /** The six orders of three things. */
    static List<List<Integer>> permutations() {
        return List.of(List.of(0, 1, 2), List.of(0, 2, 1), List.of(1, 0, 2), List.of(1, 2, 0), List.of(2, 0, 1), List.of(2, 1, 0));
    }

    /**
     * One key created, deleted and created again with other bytes; its three events are delivered in {@code order}, each
     * in its own invocation of the handler and then, for a second key, all three in one batch. {@code stillThere}: the
     * object is in the bucket while they are delivered (else it went again, and its removal's event comes last).
     */
    private void createDeleteRecreate(List<Integer> order, boolean stillThere) throws IOException {
        for (String key : List.of("ooo/each.csv", "ooo/batch.csv")) {
            Record created = put(key, Fixtures.csv("x,y\n1,2\n"));
            Record deleted = delete(key);
            Record recreated = put(key, Fixtures.csv("x,y,z\n1,2,3\n4,5,6\n"));
            Record goneAgain = stillThere ? null : delete(key);
            List<Record> events = List.of(created, deleted, recreated);
            List<Record> delivered = new ArrayList<>();
            for (int i : order) delivered.add(events.get(i));
            if (key.contains("each")) deliverEach(delivered.toArray(Record[]::new));
            else assertEquals(List.of(), deliver(delivered.stream().map(List::of).toList()));
            String name = key.substring(0, key.length() - ".csv".length());
            if (stillThere) {
                // What the bucket holds now, as a registration from scratch would read it.
                Indexer fresh = new Indexer(env.catalog(), env.store(), new IndexerSettings(env.bucket(), env.keyPrefix(), NodePath.ROOT, null, 1 << 20));
                Step.Put now = fresh.planner().plan(event(put(key))).steps().stream()
                        .filter(Step.Put.class::isInstance).map(Step.Put.class::cast).findFirst().orElseThrow();
                Node n = node(name).orElseThrow(() -> new AssertionError(name + " is missing after the order " + order));
                assertTrue(n.sameContent(now.node()), "order " + order + ": the node is " + n.structure() + ", the bucket's object " + now.node().structure());
            } else {
                assertTrue(node(name).isEmpty(), name + " after the order " + order);
                deliverEach(goneAgain); // the last removal's own event, late
                assertTrue(node(name).isEmpty(), name + " after the order " + order + " and the last removal");
            }
        }
        if (stillThere) {
            assertEquals(List.of("batch", "each"), keys("ooo").stream().sorted().toList(), "order " + order);
            assertEquals(2, env.catalog().countChildren(NodePath.of("ooo")));
        } else {
            assertTrue(node("ooo").isEmpty(), "no folder left behind, order " + order);
        }
        assertEquals(List.of(), deadLettered);
    }

    @ParameterizedTest(name = "delivered in the order {0}")
    @MethodSource("permutations")
    void createDeleteRecreateInAnyOrderWhileTheObjectIsThereEndsWithTheRecreatedObject(List<Integer> order) throws IOException {
        createDeleteRecreate(order, true);
    }

    @ParameterizedTest(name = "delivered in the order {0}")
    @MethodSource("permutations")
    void createDeleteRecreateInAnyOrderWhileTheObjectIsGoneEndsWithNoNode(List<Integer> order) throws IOException {
        createDeleteRecreate(order, false);
    }

    /**
     * The same three events, each planned as the bucket was when it fired (a handler that read the object and was then
     * delayed) and applied in {@code order}: re-reading the store cannot help here, the sequencers alone must. With the
     * object gone again, its last removal is applied first and the three late ones after it.
     */
    @ParameterizedTest(name = "applied in the order {0}")
    @MethodSource("permutations")
    void createDeleteRecreatePlannedAsEachFiredAndAppliedInAnyOrderEndsAsTheBucket(List<Integer> order) throws IOException {
        Indexer indexer = new Indexer(env.catalog(), env.store(), new IndexerSettings(env.bucket(), env.keyPrefix(), NodePath.ROOT, null, 1 << 20));
        Applier applier = new Applier(env.catalog(), env.store());
        for (boolean stillThere : List.of(true, false)) {
            String key = stillThere ? "late/there.csv" : "late/gone.csv";
            List<RegistrationPlan> plans = new ArrayList<>();
            plans.add(indexer.planner().plan(event(put(key, Fixtures.csv("x,y\n1,2\n")))));
            plans.add(indexer.planner().plan(event(delete(key))));
            plans.add(indexer.planner().plan(event(put(key, Fixtures.csv("x,y,z\n1,2,3\n4,5,6\n")))));
            if (!stillThere) applier.apply(indexer.planner().plan(event(delete(key))));
            for (int i : order) applier.apply(plans.get(i));
            Optional<Node> n = node(key.substring(0, key.length() - ".csv".length()));
            if (stillThere) {
                assertTrue(n.isPresent(), "order " + order);
                assertEquals(3, n.get().structure().get("columns").size(), "the re-created object's columns, order " + order);
            } else {
                assertTrue(n.isEmpty(), "order " + order + ": " + n);
            }
        }
        assertEquals(List.of("there"), keys("late"));
    }

    @Test
    void concurrentShuffledDuplicatedDeliveryEndsAsTheStoreIs() throws Exception {
        List<List<Record>> messages = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String key = "c/f" + (i % 8) + "/t" + i + ".csv";
            Record created = put(key, Fixtures.csv("a,b\n" + i + ",2\n"));
            messages.add(List.of(created));
            messages.add(List.of(created));
            if (i % 3 == 0) messages.add(List.of(delete(key))); // every third is gone again
        }
        Collections.shuffle(messages, new Random(7));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<List<String>>> fs = new ArrayList<>();
            for (int from = 0; from < messages.size(); from += 4) {
                List<List<Record>> batch = messages.subList(from, Math.min(messages.size(), from + 4));
                fs.add(pool.submit(() -> deliver(batch)));
            }
            for (Future<List<String>> f : fs) assertEquals(List.of(), f.get());
        } finally {
            pool.shutdownNow();
        }
        int nodes = 0;
        for (int f = 0; f < 8; f++) {
            for (String k : keys("c/f" + f)) {
                int i = Integer.parseInt(k.substring(1));
                assertTrue(i % 3 != 0, "removed " + k + " is not there");
                nodes++;
            }
        }
        assertEquals(16, nodes);
    }

    // ---- poison and transient failures

    @Test
    void poisonObjectsAreRecordedAndDoNotBlockTheBatch() throws IOException {
        Record good = put("p/good.csv", Fixtures.csv("a,b\n1,2\n"));
        Record corrupt = put("p/corrupt.parquet", Fixtures.bytes(Fixtures.TABLE.resolve("corrupt/truncated.parquet")));
        Record garbage = put("p/bad.zarr/.zarray", Fixtures.csv("{ this is not json"));
        Record notParquet = put("p/fake.parquet", Fixtures.csv("hello"));
        Record tail = put("p/tail.parquet", Fixtures.bytes(Fixtures.TABLE.resolve("types.parquet")));
        assertEquals(List.of(), deliver(List.of(List.of(good), List.of(corrupt, garbage), List.of(notParquet), List.of(tail))));
        assertEquals(List.of("good", "tail"), keys("p"));
        assertEquals(3, deadLettered.size());
        for (Outcome o : deadLettered) {
            assertEquals(Outcome.Action.UNREADABLE, o.action());
            assertTrue(o.detail().startsWith("unreadable: "), o.detail());
        }
    }

    @Test
    void aTransientFailureFailsOnlyItsMessage() throws IOException {
        Record ok = put("q/ok.csv", Fixtures.csv("a,b\n1,2\n"));
        Record flaky = put("q/flaky.csv", Fixtures.csv("a,b\n1,2\n"));
        Record later = put("q/later.csv", Fixtures.csv("a,b\n1,2\n"));
        IndexerHandler h = handler(new FlakyStore(env.store(), "q/flaky.csv"));
        byte[] payload = S3EventPayloads.sqsBatch(List.of(body(ok), body(flaky), body(later)), List.of("m-ok", "m-flaky", "m-later"))
                .toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.handleRequest(new ByteArrayInputStream(payload), out, null);
        assertEquals("{\"batchItemFailures\":[{\"itemIdentifier\":\"m-flaky\"}]}", out.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("ok", "later"), keys("q"));
        assertEquals(List.of(), deliver(List.of(List.of(flaky))), "the redelivery succeeds");
        assertEquals(List.of("ok", "later", "flaky"), keys("q"));
    }

    @Test
    void aDirectInvocationHandlesEveryRecordBeforeReportingAFailure() throws IOException {
        Record flaky = put("q/flaky.csv", Fixtures.csv("a,b\n1,2\n"));
        Record ok = put("q/ok.csv", Fixtures.csv("a,b\n1,2\n"));
        IndexerHandler h = handler(new FlakyStore(env.store(), "q/flaky.csv"));
        byte[] payload = S3EventPayloads.notification(List.of(flaky, ok)).toString().getBytes(StandardCharsets.UTF_8);
        assertThrows(IOException.class, () -> h.handleRequest(new ByteArrayInputStream(payload), new ByteArrayOutputStream(), null));
        assertEquals(List.of("ok"), keys("q"));
    }

    // ---- folders and groups

    @Test
    void foldersBecomeContainersWithoutClobberingExistingMetadata() throws IOException {
        env.catalog().put(Node.container(NodePath.of("lab"), Json.object().put("owner", "ana"), List.of()));
        deliverEach(put("lab/run1/a.csv", Fixtures.csv("a,b\n1,2\n")));
        assertEquals("ana", node("lab").orElseThrow().metadata().get("owner").asText());
        assertTrue(node("lab/run1").orElseThrow().isContainer());
        deliverEach(delete("lab/run1/a.csv"));
        assertTrue(node("lab/run1").isEmpty(), "an emptied folder's container goes");
        assertEquals("ana", node("lab").orElseThrow().metadata().get("owner").asText(), "an annotated one stays");
    }

    @Test
    void deletingAZarrGroupRemovesItsNodes() throws IOException {
        List<Record> created = putTree(Fixtures.ZARR.resolve("v2/grp"), "g/data.zarr/");
        deliverEach(created.toArray(Record[]::new));
        assertTrue(node("g/data").orElseThrow().isContainer());
        assertFalse(keys("g/data").isEmpty());
        List<Record> deleted = new ArrayList<>();
        for (String k : env.store().list("g/")) deleted.add(delete(k));
        deliverEach(deleted.toArray(Record[]::new));
        assertTrue(node("g").isEmpty(), "group, arrays and the folder are gone: " + keys("g"));
    }

    @Test
    void hiddenAndForeignObjectsAreIgnored() throws IOException {
        deliverEach(put(".hidden/a.csv", Fixtures.csv("a,b\n1,2\n")), put("x/_SUCCESS", new byte[0]),
                put("catalog-spill/abc.json", Fixtures.csv("{}")), put("x/readme.md", Fixtures.csv("# notes\n")));
        assertEquals(List.of(), keys(""));
        byte[] otherBucket = S3EventPayloads.notification(List.of(Record.put("someone-elses-bucket", env.keyPrefix() + "x/a.csv", 5, "01")))
                .toString().getBytes(StandardCharsets.UTF_8);
        env.store().put("x/a.csv", Fixtures.csv("a,b\n1,2\n"));
        handler.handleRequest(new ByteArrayInputStream(otherBucket), new ByteArrayOutputStream(), null);
        assertEquals(List.of(), keys(""));
    }

    // ---- volume and backfill

    @Test
    void aBurstOfUploadsRegistersEachExactlyOnce() throws Exception {
        int n = burstSize();
        List<List<Record>> messages = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = "burst/f" + (i % 10) + "/t" + i + ".csv";
            Record r = put(key, Fixtures.csv("a,b\n" + i + ",1\n"));
            messages.add(List.of(r));
            if (i % 10 == 0) messages.add(List.of(r)); // some duplicates
        }
        Collections.shuffle(messages, new Random(11));
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Map<String, Boolean> failures = new ConcurrentHashMap<>();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int from = 0; from < messages.size(); from += 10) {
                List<List<Record>> batch = messages.subList(from, Math.min(messages.size(), from + 10));
                fs.add(pool.submit(() -> {
                    for (String id : deliver(batch)) failures.put(id, true);
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertEquals(Map.of(), failures);
        long total = 0;
        for (int f = 0; f < 10; f++) {
            long c = env.catalog().countChildren(NodePath.of("burst/f" + f));
            assertEquals(c, keys("burst/f" + f).size(), "count and listing agree");
            total += c;
        }
        assertEquals(n, total);
        System.out.printf("%s: %d uploads (%d deliveries) registered in %.1f s%n", getClass().getSimpleName(), n, messages.size(),
                (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void backfillRegistersWhatIsAlreadyThereAndSaysWhatItSkipped() throws IOException {
        Fixtures.copyTree(Fixtures.ZARR.resolve("v2/with_dims"), env.store(), "bf/image.zarr/");
        env.store().put("bf/t.csv", Fixtures.csv("a,b\n1,2\n"));
        env.store().put("bf/bad.parquet", Fixtures.bytes(Fixtures.TABLE.resolve("corrupt/garbage.parquet")));
        env.store().put("bf/notes.txt", Fixtures.csv("just words"));
        Indexer indexer = new Indexer(env.catalog(), env.store(), new IndexerSettings(env.bucket(), env.keyPrefix(), NodePath.ROOT, null, 1 << 20));
        List<Backfill.Progress> progress = new ArrayList<>();
        Backfill.Summary s = new Backfill(indexer, env.store()).run("bf/", progress::add);
        assertEquals(2, s.count(Outcome.Action.REGISTERED), s.describe());
        assertEquals(1, s.unreadable().size());
        assertTrue(s.unreadable().containsKey("bf/bad.parquet"));
        assertEquals(1, s.count(Outcome.Action.SKIPPED), s.describe());
        assertEquals(new Backfill.Progress(4, 4), progress.getLast());
        assertEquals(List.of("image", "t"), keys("bf"));

        // A real event newer than the backfill wins; running the backfill again changes nothing.
        deliverEach(delete("bf/t.csv"));
        Backfill.Summary again = new Backfill(indexer, env.store()).run("bf/", p -> {});
        assertEquals(1, again.count(Outcome.Action.UNCHANGED), again.describe());
        assertEquals(List.of("image"), keys("bf"));
    }

    Indexer indexer() {
        return new Indexer(env.catalog(), env.store(), new IndexerSettings(env.bucket(), env.keyPrefix(), NodePath.ROOT, null, 1 << 20));
    }

    Backfill.Summary backfill(String prefix) throws IOException { return backfill(prefix, Backfill.Sequencing.REDELIVER); }

    Backfill.Summary backfill(String prefix, Backfill.Sequencing sequencing) throws IOException {
        List<Backfill.Progress> progress = new ArrayList<>();
        Backfill.Summary s = new Backfill(indexer(), env.store(), sequencing).run(prefix, progress::add);
        assertAddsUp(s);
        assertEquals(new Backfill.Progress(s.checked(), s.checked()), progress.getLast(), "the progress bar counts what the summary counts");
        return s;
    }

    /** Every listed object is read, routine or ignored; every checked entry has one outcome. */
    static void assertAddsUp(Backfill.Summary s) {
        assertEquals(s.objects(), s.read() + s.routine() + s.ignoredObjects(), s.describe());
        int outcomes = 0;
        for (int c : s.counts().values()) outcomes += c;
        assertEquals(s.checked(), outcomes + s.failed().size(), s.describe());
        assertEquals(s.count(Outcome.Action.UNREADABLE), s.unreadable().size(), s.describe());
    }

    @Test
    void backfillTakesWholePathSegments() throws IOException {
        env.store().put("proj/a.csv", Fixtures.csv("a,b\n1,2\n"));
        env.store().put("projX/b.csv", Fixtures.csv("a,b\n1,2\n"));
        env.store().put("proj.csv", Fixtures.csv("a,b\n1,2\n"));
        for (String prefix : List.of("proj", "proj/", "/proj", "/proj/")) {
            Backfill.Summary s = backfill(prefix);
            assertEquals(1, s.objects(), prefix + ": " + s.describe());
            assertEquals("proj/", s.prefix());
            assertEquals(List.of("proj"), keys(""), prefix + " takes neither projX/ nor proj.csv");
            assertEquals(List.of("a"), keys("proj"));
        }
        assertThrows(IllegalArgumentException.class, () -> backfill("proj//a"));
        assertThrows(IllegalArgumentException.class, () -> backfill("proj/../projX"));
    }

    @Test
    void aRerunRemovesNodesWhoseObjectsAreGoneAndPrunesTheirFolders() throws IOException {
        env.store().put("rr/keep.csv", Fixtures.csv("a,b\n1,2\n"));
        env.store().put("rr/sub/backfilled.csv", Fixtures.csv("a,b\n1,2\n"));
        Fixtures.copyTree(Fixtures.ZARR.resolve("v2/with_dims"), env.store(), "rr/sub/image.zarr/");
        assertEquals(3, backfill("rr").count(Outcome.Action.REGISTERED));
        // A real event registers one more object: its creation is recorded with a real sequencer, which a removal at
        // the backfill's lowest sequencer could not pass.
        deliverEach(put("rr/sub/evented.csv", Fixtures.csv("x,y\n1,2\n")));
        env.catalog().put(dev.tiledgateway.core.catalog.Node.container(NodePath.of("rr/by_api"), Json.object().put("note", "api"), List.of()));
        assertEquals(List.of("keep", "sub", "by_api"), keys("rr"));
        assertEquals(List.of("backfilled", "image", "evented"), keys("rr/sub"));

        // Gone while no event said so (a folder edited while nothing watched, notifications not yet wired).
        for (String k : env.store().list("rr/sub/")) env.store().delete(k);
        Backfill.Summary s = backfill("rr/");
        assertEquals(3, s.gone(), s.describe());
        assertEquals(3, s.count(Outcome.Action.REMOVED), s.describe());
        assertEquals(1, s.count(Outcome.Action.UNCHANGED), s.describe());
        assertEquals(List.of("keep", "by_api"), keys("rr"), "the emptied folder is pruned; a node registered through the API stays");

        Backfill.Summary again = backfill("rr");
        assertEquals(0, again.gone(), again.describe());
        assertEquals(1, again.count(Outcome.Action.UNCHANGED), again.describe());
    }

    @Test
    void aRerunReregistersAnObjectChangedWithoutAnEvent() throws IOException {
        deliverEach(put("ch/t.csv", Fixtures.csv("a,b\n1,2\n")));
        env.store().put("ch/t.csv", Fixtures.csv("a,b,c\n1,2,3\n"));
        Backfill.Summary s = backfill("ch");
        assertEquals(1, s.count(Outcome.Action.REGISTERED), "re-delivering the recorded creation reads the store again: " + s.describe());
        assertEquals("[\"a\",\"b\",\"c\"]", node("ch/t").orElseThrow().structure().get("columns").toString());
    }

    @Test
    void aGoneObjectFreesItsNameForTheObjectNowThere() throws IOException {
        deliverEach(put("nm/a.csv", Fixtures.csv("a,b\n1,2\n")));
        env.store().delete("nm/a.csv");
        env.store().put("nm/a.parquet", Fixtures.bytes(Fixtures.TABLE.resolve("types.parquet")));
        Backfill.Summary s = backfill("nm");
        assertEquals(1, s.count(Outcome.Action.REMOVED), s.describe());
        assertEquals(1, s.count(Outcome.Action.REGISTERED), s.describe());
        assertEquals("application/x-parquet", node("nm/a").orElseThrow().dataSource().mimetype());
    }

    @Test
    void aZarrGroupWhoseMetadataIsGoneLosesItsAttributesAndEmptiedArraysGo() throws IOException {
        deliverEach(putTree(Fixtures.ZARR.resolve("v2/grp"), "zg/data.zarr/").toArray(Record[]::new));
        assertEquals(1, node("zg/data").orElseThrow().metadata().get("level").asInt());
        List<String> groupMetadata = new ArrayList<>();
        for (String k : env.store().list("zg/data.zarr/")) if (k.equals("zg/data.zarr/.zgroup") || k.equals("zg/data.zarr/.zattrs")) groupMetadata.add(k);
        assertFalse(groupMetadata.isEmpty());
        for (String k : groupMetadata) env.store().delete(k);
        backfill("zg");
        assertTrue(node("zg/data").orElseThrow().isBareContainer(), "the group's attributes went with its metadata");
        for (String k : env.store().list("zg/")) env.store().delete(k);
        Backfill.Summary s = backfill("zg");
        assertTrue(s.count(Outcome.Action.REMOVED) >= 1, s.describe());
        assertTrue(node("zg").isEmpty(), "arrays removed, folders pruned: " + keys("zg"));
    }

    @Test
    void anObjectBackAfterItsRemovalEventWaitsForItsEventOnABucketButNotInAWatchedFolder() throws IOException {
        deliverEach(put("bk/t.csv", Fixtures.csv("a,b\n1,2\n")));
        deliverEach(delete("bk/t.csv"));
        env.store().put("bk/t.csv", Fixtures.csv("a,b\n1,2\n"));
        Backfill.Summary bucket = backfill("bk");
        assertEquals(1, bucket.count(Outcome.Action.STALE), "S3 sends an event for the upload; the backfill cannot outrank the removal: " + bucket.describe());
        assertTrue(node("bk/t").isEmpty());
        // A local folder's events are clock-sequenced: the backfill is a later observation.
        Backfill.Summary folder = backfill("bk", Backfill.Sequencing.CLOCK);
        assertEquals(1, folder.count(Outcome.Action.REGISTERED), folder.describe());
        assertTrue(node("bk/t").isPresent());
    }

    @Test
    void theSummaryCountsWhatTheProgressBarCountsAndSaysWhatItLeftOut() throws IOException {
        Fixtures.copyTree(Fixtures.ZARR.resolve("v2/with_dims"), env.store(), "sm/image.zarr/");
        env.store().put("sm/.DS_Store", new byte[] {1});
        env.store().put("sm/notes.txt", Fixtures.csv("just words"));
        Backfill.Summary s = backfill("sm");
        assertEquals(2, s.entries(), s.describe());
        assertTrue(s.routine() > 0, "the chunks are not counted as entries: " + s.describe());
        assertEquals(1, s.ignoredObjects(), s.describe());
        String text = s.describe();
        assertTrue(text.startsWith(s.objects() + " objects under sm/: " + s.read() + " read as 2 entries, " + s.routine()
                + " Zarr chunks and the like read with their nodes (not counted), 1 ignored by name\n"), text);
        assertTrue(text.contains("\n2 checked (2 found, 0 whose objects are gone): 1 registered, 0 unchanged, 0 removed,"
                + " 0 left as newer events recorded them, 1 skipped, 0 unreadable, 0 failed\n"), text);
        assertTrue(text.contains("ignored 1: hidden name '.DS_Store'"), text);
        assertTrue(text.contains("skipped 1: not a format"), text);
    }

    @Test
    void routineSkipsAreNotLoggedOthersAre() throws IOException {
        List<String> lines = new CopyOnWriteArrayList<>();
        IndexerSettings settings = new IndexerSettings(env.bucket(), env.keyPrefix(), NodePath.ROOT, IndexerSettings.DEFAULT_IGNORED,
                IndexerSettings.DEFAULT_MAX_CSV_BYTES);
        IndexerHandler logging = new IndexerHandler(new Indexer(env.catalog(), env.store(), settings), (e, o) -> {}, lines::add);
        List<Record> array = putTree(Fixtures.ZARR.resolve("v2/with_dims"), "q/image.zarr/");
        List<List<Record>> ms = new ArrayList<>();
        for (Record r : array) ms.add(List.of(r));
        ms.add(List.of(put("_results/ab/cd.csv", Fixtures.csv("a,b\n1,2\n"))));
        ms.add(List.of(put("q/.hidden.csv", Fixtures.csv("a,b\n1,2\n"))));
        assertEquals(List.of(), deliver(logging, ms));
        assertTrue(lines.stream().noneMatch(l -> l.contains("a Zarr chunk") || l.contains("_results/")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"REGISTERED\"") && l.contains("q/image.zarr/")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"SKIPPED\"") && l.contains("hidden name")), String.join("\n", lines));
    }

    // ---- helpers

    ObjectEvent event(Record r) {
        return new ObjectEvent(r.eventName().startsWith("ObjectCreated") ? ObjectEvent.Kind.CREATED : ObjectEvent.Kind.REMOVED,
                r.bucket(), r.key(), r.size(), r.sequencer(), java.time.Instant.now());
    }

    static String body(Record r) { return S3EventPayloads.notification(List.of(r)).toString(); }

    /** A store whose reads of one key fail as an unreachable service would. */
    static final class FlakyStore implements BlobStore {
        private final BlobStore store;
        private final String bad;

        FlakyStore(BlobStore store, String bad) {
            this.store = store;
            this.bad = bad;
        }

        private void check(String key) throws IOException {
            if (key.equals(bad)) throw new IOException("S3 GetObject on " + key + " timed out");
        }

        @Override public Optional<byte[]> get(String key) throws IOException { check(key); return store.get(key); }
        @Override public Optional<byte[]> getRange(String key, long offset, long length) throws IOException { check(key); return store.getRange(key, offset, length); }
        @Override public Optional<Long> size(String key) throws IOException { check(key); return store.size(key); }
        @Override public void put(String key, byte[] bytes) throws IOException { store.put(key, bytes); }
        @Override public void delete(String key) throws IOException { store.delete(key); }
        @Override public List<String> list(String prefix) throws IOException { return store.list(prefix); }
        @Override public Optional<java.net.URI> presignGet(String key, java.time.Duration ttl) { return Optional.empty(); }
    }
}
