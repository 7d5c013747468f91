package dev.tiledgateway.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.aws.catalog.CatalogTable;
import dev.tiledgateway.aws.catalog.DynamoDbApiKeyStore;
import dev.tiledgateway.aws.catalog.DynamoDbCatalog;
import dev.tiledgateway.aws.store.S3BlobStore;
import dev.tiledgateway.core.auth.Access;
import dev.tiledgateway.core.auth.Authenticator;
import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.http.Headers;
import dev.tiledgateway.core.http.QueryParams;
import dev.tiledgateway.core.http.Request;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.observe.RequestTrace;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.route.Gateway;
import dev.tiledgateway.core.route.GatewayConfig;
import dev.tiledgateway.core.route.Router;
import dev.tiledgateway.core.serialize.SerializerRegistry;
import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.core.structure.StructureJson;
import dev.tiledgateway.formats.ZarrArrayReader;
import dev.tiledgateway.formats.table.ArrowTableSource;
import dev.tiledgateway.formats.table.CsvTableReader;
import dev.tiledgateway.formats.table.ParquetTableReader;
import dev.tiledgateway.formats.table.ParquetTableWriter;
import dev.tiledgateway.formats.zarr.V2Compressor;
import dev.tiledgateway.formats.zarr.ZarrArray;
import dev.tiledgateway.formats.zarr.ZarrV2Writer;
import dev.tiledgateway.testkit.MotoServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What one warm request costs in backend calls, counted where they leave the process: an interceptor on the real
 * SDK clients of the S3 store and the DynamoDB catalog (on moto), under the real router with the real Zarr and Parquet
 * readers. Each count is pinned exactly, operation by operation, so one more call of any kind fails the test. Every
 * request is asked once before it is counted (a warm function instance), and answered 200 with the right bytes.
 */
@Tag("emulator")
class RequestCallsTest {

    private static final String BUCKET = "request-calls";
    private static final CallCounter CALLS = new CallCounter();
    /** 40 × 40 int32 in chunks of 10 × 10: a grid of 4 × 4 chunks. */
    private static final int SIDE = 40, CHUNK = 10;
    private static final int CHILDREN = 12;
    private static Router router;
    private static DynamoDbCatalog catalog;

    @BeforeAll
    static void data() throws IOException {
        AwsClients clients = AwsClients.emulated(MotoServer.shared().endpoint(), MotoServer.shared().endpoint());
        String table = "request-calls-" + System.nanoTime();
        var s3 = clients.s3(CALLS);
        var dynamo = clients.dynamo(CALLS);
        AwsBackendFactory.createBucket(s3, BUCKET, clients.region());
        CatalogTable.createIfMissing(dynamo, table);
        S3BlobStore store = new S3BlobStore(s3, clients.presigner(), BUCKET, table + "/", clients.transfers());
        catalog = new DynamoDbCatalog(dynamo, table, store);
        catalog.ensureRoot();

        catalog.put(Node.container(NodePath.of("a"), Json.object().put("depth", 1), List.of()));
        catalog.put(Node.container(NodePath.of("a/b"), Json.object().put("depth", 2), List.of()));
        catalog.put(Node.container(NodePath.of("a/b/c"), Json.object().put("depth", 3), List.of()));

        ZarrV2Writer w = ZarrV2Writer.create(store, "arrays/img/", DataType.Builtin.parse("<i4"), new long[] {SIDE, SIDE},
                new int[] {CHUNK, CHUNK}, V2Compressor.zstd(1), 0, Map.of());
        for (int i = 0; i < SIDE / CHUNK; i++)
            for (int j = 0; j < SIDE / CHUNK; j++) w.writeChunk(new long[] {i, j}, chunk(i, j));
        ZarrArray a = ZarrArray.open(store, "arrays/img/");
        catalog.put(new Node(NodePath.of("img"), StructureFamily.ARRAY, Json.object(), List.of(), StructureJson.array(a.structure()),
                new DataSource(ZarrArrayReader.MIMETYPE, List.of(new Asset("arrays/img/", true, "data_uri"))), null, 0));

        catalog.put(Node.container(NodePath.of("many"), Json.object(), List.of()));
        for (int i = 0; i < CHILDREN; i++)
            catalog.put(Node.container(NodePath.of("many/k" + i), Json.object().put("color", i % 2 == 0 ? "red" : "blue").put("i", i), List.of()));

        parquetTable(store, catalog);
        router = Gateway.router(catalog, store, GatewayConfig.defaults(),
                new Access(new Authenticator.Settings(Scopes.PUBLIC, null), new DynamoDbApiKeyStore(dynamo, table)));
    }

    /** Chunk (i, j): each value its row-major index in the whole array. */
    private static byte[] chunk(int ci, int cj) {
        ByteBuffer b = ByteBuffer.allocate(CHUNK * CHUNK * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < CHUNK; r++) for (int c = 0; c < CHUNK; c++) b.putInt((ci * CHUNK + r) * SIDE + cj * CHUNK + c);
        return b.array();
    }

    /** A table of one Parquet partition, as the table writer stores it, from three rows of CSV. */
    private static void parquetTable(S3BlobStore store, DynamoDbCatalog catalog) throws IOException {
        store.put("tables/t.csv", "x,name\n1,one\n2,two\n3,three\n".getBytes(StandardCharsets.UTF_8));
        ArrowTableSource csv = new CsvTableReader().open(store, new DataSource(CsvTableReader.MIMETYPE, List.of(new Asset("tables/t.csv", false, "data_uri"))));
        ObjectNode structure = csv.structure();
        ByteArrayOutputStream arrow = new ByteArrayOutputStream();
        try (var rows = csv.readAll(List.of())) {
            SerializerRegistry.discover().find("table", "application/vnd.apache.arrow.file").orElseThrow().write(rows, arrow);
        }
        new ParquetTableWriter().writePartition(store, "tables/t/part.0.parquet", structure, arrow.toByteArray());
        catalog.put(new Node(NodePath.of("t"), StructureFamily.TABLE, Json.object(), List.of(), structure,
                new DataSource(ParquetTableReader.MIMETYPE, List.of(new Asset("tables/t/part.0.parquet", false, "data_uri"))), null, 0));
    }

    private static Request get(String path, String query, String accept) {
        return new Request("GET", path, QueryParams.parse(query), new Headers(Map.of("accept", accept)), null, "http://127.0.0.1:8000");
    }

    /** The answer to a request asked a second time, and the SDK calls of that second time, by operation. */
    private static Map<String, Long> warmCalls(Request req, Response[] answer) {
        ask(req);
        CALLS.reset();
        answer[0] = ask(req);
        return CALLS.byOperation();
    }

    private static Response ask(Request req) {
        RequestTrace.begin(null);
        try {
            Response r = router.handle(req);
            assertEquals(200, r.status(), () -> req + ": " + new String(r.body(), StandardCharsets.UTF_8));
            return r;
        } finally {
            RequestTrace.end();
        }
    }

    private static JsonNode json(Response r) throws IOException { return Json.parse(r.body()); }

    /**
     * The lookup reads the node's own item, not its ancestors': the same at depth 1 and 3. A container's item also
     * holds its number of children, which its document shows: no second read for it.
     */
    @Test
    void aMetadataReadIsOneGetItemAtAnyDepth() throws IOException {
        Response[] r = new Response[1];
        assertEquals(Map.of("GetItem", 1L), warmCalls(get("/api/v1/metadata/img", "", "application/json"), r));
        assertEquals("array", json(r[0]).at("/data/attributes/structure_family").asText());
        assertEquals(Map.of("GetItem", 1L), warmCalls(get("/api/v1/metadata/a", "", "application/json"), r));
        assertEquals(1, json(r[0]).at("/data/attributes/metadata/depth").asInt());
        assertEquals(1, json(r[0]).at("/data/attributes/structure/count").asInt());
        assertEquals(Map.of("GetItem", 1L), warmCalls(get("/api/v1/metadata/a/b/c", "", "application/json"), r));
        assertEquals(3, json(r[0]).at("/data/attributes/metadata/depth").asInt());
        assertEquals(0, json(r[0]).at("/data/attributes/structure/count").asInt());
        assertEquals(Map.of("GetItem", 1L), warmCalls(get("/api/v1/metadata/many", "", "application/json"), r));
        assertEquals(CHILDREN, json(r[0]).at("/data/attributes/structure/count").asInt());
    }

    /** The count read with the container is the one its item holds now: a child added since shows at once. */
    @Test
    void aContainersCountIsNeverStale() throws IOException {
        catalog.put(Node.container(NodePath.of("growing"), Json.object(), List.of()));
        Request md = get("/api/v1/metadata/growing", "", "application/json");
        for (int n = 0; n < 3; n++) {
            assertEquals(n, json(ask(md)).at("/data/attributes/structure/count").asInt());
            catalog.put(Node.container(NodePath.of("growing/c" + n), Json.object(), List.of()));
        }
        assertEquals(3, json(ask(md)).at("/data/attributes/structure/count").asInt());
        catalog.delete(NodePath.of("growing/c0"));
        assertEquals(2, json(ask(md)).at("/data/attributes/structure/count").asInt());
    }

    @Test
    void aBlockIsOneGetItemAndOneGetObjectPerChunk() {
        Response[] r = new Response[1];
        assertEquals(Map.of("GetItem", 1L, "GetObject", 1L), warmCalls(get("/api/v1/array/block/img", "block=1,2", "application/octet-stream"), r));
        assertArrayEquals(chunk(1, 2), r[0].body());
        // a slice across 2 × 2 chunks: one object per chunk it touches
        assertEquals(Map.of("GetItem", 1L, "GetObject", 4L),
                warmCalls(get("/api/v1/array/full/img", "slice=5:15,25:35", "application/octet-stream"), r));
        assertEquals(10 * 10 * 4, r[0].body().length);
        ByteBuffer b = ByteBuffer.wrap(r[0].body()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(5 * SIDE + 25, b.getInt(0));
        assertEquals(14 * SIDE + 34, b.getInt(b.capacity() - 4));
    }

    @Test
    void aSmallWholeArrayIsOneGetItemAndOneGetObjectPerChunk() {
        Response[] r = new Response[1];
        int chunks = (SIDE / CHUNK) * (SIDE / CHUNK);
        assertEquals(Map.of("GetItem", 1L, "GetObject", (long) chunks), warmCalls(get("/api/v1/array/full/img", "", "application/octet-stream"), r));
        assertEquals(SIDE * SIDE * 4, r[0].body().length);
    }

    /**
     * A filtered page: the container (1 GetItem, whose item holds its count and whether its children are indexed: not
     * read again), 2 Queries of the search index and one BatchGetItem for the page's items, whatever the page's
     * length. The children are containers: their items hold their counts, so they cost nothing more.
     */
    @Test
    void aSearchPageIsAFixedNumberOfCatalogRequests() throws IOException {
        Response[] r = new Response[1];
        String red = "filter[eq][condition][key]=color&filter[eq][condition][value]=%22red%22";
        for (int n : new int[] {3, 6}) {
            assertEquals(Map.of("GetItem", 1L, "Query", 2L, "BatchGetItem", 1L),
                    warmCalls(get("/api/v1/search/many", red + "&page[limit]=" + n, "application/json"), r), "a page of " + n);
            assertEquals(n, json(r[0]).get("data").size());
            for (JsonNode child : json(r[0]).get("data")) {
                assertEquals("red", child.at("/attributes/metadata/color").asText());
                assertEquals(0, child.at("/attributes/structure/count").asInt(-1));
            }
        }
    }

    /**
     * The same without a filter: the container (1 GetItem, whose item holds its count: not read again), one Query of
     * the children in creation order instead of the index's two; a page at an offset reads the container's counters
     * once more to turn the offset into a starting sequence number (a container without deletions; with them, see
     * {@code ChildPages}).
     */
    @Test
    void aContainerListingPageIsAFixedNumberOfCatalogRequests() throws IOException {
        Response[] r = new Response[1];
        for (String page : new String[] {"page[limit]=5", "page[limit]=3", "page[offset]=5&page[limit]=5", "page[offset]=2&page[limit]=3"}) {
            long n = page.endsWith("=5") ? 5 : 3, seek = page.contains("offset") ? 1 : 0;
            assertEquals(Map.of("GetItem", 1L + seek, "Query", 1L, "BatchGetItem", 1L),
                    warmCalls(get("/api/v1/search/many", page, "application/json"), r), page);
            assertEquals(n, json(r[0]).get("data").size());
        }
    }

    /**
     * A warm partition is one GetItem: the same request again is answered from the body kept by its ETag, and another
     * column set from the opened Parquet source (small enough to be held whole) and its decoded columns, kept under
     * the node's data key after the first read, so the object is not read again until the node changes.
     */
    @Test
    void aWarmTablePartitionIsOneGetItem() {
        Response[] r = new Response[1];
        assertEquals(Map.of("GetItem", 1L),
                warmCalls(get("/api/v1/table/partition/t", "partition=0", "text/csv"), r));
        assertEquals("x,name\n1,one\n2,two\n3,three\n", new String(r[0].body(), StandardCharsets.UTF_8).replace("\r\n", "\n"));
        // Another column set of the partition, never asked before (no kept body answers it): still no object read,
        // the opened source and its decoded columns are kept.
        ask(get("/api/v1/table/partition/t", "partition=0", "text/csv"));
        CALLS.reset();
        Response other = ask(get("/api/v1/table/partition/t", "partition=0&column=name", "text/csv"));
        assertEquals(Map.of("GetItem", 1L), CALLS.byOperation());
        assertEquals("name\none\ntwo\nthree\n", new String(other.body(), StandardCharsets.UTF_8).replace("\r\n", "\n"));
    }
}
