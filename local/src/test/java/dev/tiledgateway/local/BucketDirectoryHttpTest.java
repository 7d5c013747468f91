package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.testkit.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code serve directory s3://BUCKET/PREFIX} over real HTTP, on moto: objects put into the bucket with plain S3 calls
 * before the server starts are served with the prefix's content at the catalog root; an upload appears and a delete
 * removes its node (through the bucket's notifications, with --index-uploads); a restart removes what was deleted
 * meanwhile; and nothing is written into the bucket but materialised results and spilled catalog documents under the
 * gateway's own prefixes.
 */
@Tag("emulator")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BucketDirectoryHttpTest {

    private static final Path FIXTURES = Path.of("..", "functions", "formats", "src", "test", "resources");
    private static final String BUCKET = "existing-data";
    private static final String TABLE = "existing-data-catalog";

    private static MotoServer moto;
    private static S3Client s3;
    private static SqsClient sqs;
    private static Main.Running running;
    private static Http http;
    private static final ByteArrayOutputStream ERR = new ByteArrayOutputStream();
    /** Every key this test put and has not deleted: what the bucket may hold besides the gateway's own prefixes. */
    private static final Set<String> OURS = new HashSet<>();
    private static String foreignQueueArn;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        AwsClients clients = AwsClients.emulated(moto.endpoint(), moto.endpoint());
        s3 = clients.s3();
        sqs = QueueFeeder.client(clients, moto.endpoint());
        s3.createBucket(b -> b.bucket(BUCKET));
        put("proj/t.csv", "a,b\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8));
        put("proj/gone.csv", "x,y\n1,2\n".getBytes(StandardCharsets.UTF_8));
        put("proj/tables/types.parquet", Files.readAllBytes(FIXTURES.resolve("table/types.parquet")));
        putTree(FIXTURES.resolve("zarr/v2/comp_zstd"), "proj/sub/img.zarr/");
        put("projX/other.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
        put("outside.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
        // Someone else's notification on another prefix of the bucket: kept when the gateway adds its own.
        String url = sqs.createQueue(b -> b.queueName("someone-elses-queue")).queueUrl();
        foreignQueueArn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        s3.putBucketNotificationConfiguration(b -> b.bucket(BUCKET).notificationConfiguration(n -> n.queueConfigurations(QueueConfiguration.builder()
                .id("someone-else").queueArn(foreignQueueArn).events(Event.S3_OBJECT_CREATED)
                .filter(f -> f.key(k -> k.filterRules(FilterRule.builder().name("prefix").value("elsewhere/").build()))).build())));
        serve();
    }

    /** Starts the server through the command line, as a user would. */
    private static void serve() {
        String endpoint = moto.endpoint().toString();
        Main.Result r = Main.execute(new String[] {"serve", "directory", "s3://" + BUCKET + "/proj", "--table", TABLE, "--s3-endpoint", endpoint,
                "--dynamodb-endpoint", endpoint, "--create-resources", "--index-uploads", "--port", "0", "--max-inline-bytes", "1000"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(ERR, true, StandardCharsets.UTF_8), Map.of());
        assertEquals(Main.OK, r.status(), ERR.toString(StandardCharsets.UTF_8));
        running = r.running();
        http = new Http(running);
    }

    @AfterAll
    static void stop() {
        if (running != null) running.close();
        if (moto != null) moto.close();
    }

    private static void put(String key, byte[] bytes) {
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
        OURS.add(key);
    }

    private static void delete(String key) {
        s3.deleteObject(b -> b.bucket(BUCKET).key(key));
        OURS.remove(key);
    }

    private static void putTree(Path dir, String prefix) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String rel = dir.relativize(f).toString().replace('\\', '/');
                if (!rel.equals("expected.bin")) put(prefix + rel, Files.readAllBytes(f));
            }
        }
    }

    private static List<String> keys() {
        List<String> out = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents()) out.add(o.key());
        return out;
    }

    @Test
    @Order(1)
    void whatWasInThePrefixIsServedAtTheRootAndNothingElse() throws Exception {
        JsonNode root = http.json("/api/v1/search/?fields=");
        List<String> ids = new ArrayList<>();
        for (JsonNode n : root.get("data")) ids.add(n.get("id").asText());
        assertEquals(Set.of("t", "gone", "tables", "sub"), new HashSet<>(ids), "proj/ at the root; neither projX/ nor outside.csv");
        assertEquals("table", http.json("/api/v1/metadata/tables/types").at("/data/attributes/structure_family").asText());
        assertEquals("[\"a\",\"b\"]", http.json("/api/v1/metadata/t").at("/data/attributes/structure/columns").toString());
        assertArrayEquals(Files.readAllBytes(FIXTURES.resolve("zarr/v2/comp_zstd/expected.bin")), http.data("/api/v1/array/full/sub/img"),
                "2,080 bytes, over the inline ceiling: materialised under _results/ and redirected to a presigned S3 URL");
        HttpResponse<byte[]> redirected = http.get("/api/v1/array/full/sub/img", "Accept", "application/octet-stream");
        assertEquals(307, redirected.statusCode());
        assertTrue(redirected.headers().firstValue("Location").orElseThrow().contains("/_results/"), redirected.headers().toString());
        assertEquals(404, http.get("/api/v1/metadata/projX").statusCode());
        assertEquals(404, http.get("/api/v1/metadata/other").statusCode());
        assertEquals(404, http.get("/api/v1/metadata/outside").statusCode());
    }

    @Test
    @Order(2)
    void theBucketsOtherNotificationsAreKeptAndOursCoverOnlyThePrefix() {
        List<QueueConfiguration> queues = s3.getBucketNotificationConfiguration(b -> b.bucket(BUCKET)).queueConfigurations();
        assertTrue(queues.stream().anyMatch(q -> q.queueArn().equals(foreignQueueArn)), queues.toString());
        QueueConfiguration ours = queues.stream().filter(q -> QueueFeeder.NOTIFICATION_ID.equals(q.id())).findFirst().orElseThrow();
        assertEquals("proj/", ours.filter().key().filterRules().getFirst().value());
    }

    @Test
    @Order(3)
    void anUploadAppearsAndADeleteRemovesItsNode() throws Exception {
        put("proj/new/fresh.csv", "p,q,r\n1,2,3\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, http.await("/api/v1/metadata/new/fresh", 200), "registered from the bucket's notification");
        assertEquals("[\"p\",\"q\",\"r\"]", http.json("/api/v1/metadata/new/fresh").at("/data/attributes/structure/columns").toString());
        delete("proj/gone.csv");
        assertEquals(404, http.await("/api/v1/metadata/gone", 404), "removed when its object is deleted");
        put("projX/late.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
        put("proj/late.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, http.await("/api/v1/metadata/late", 200));
        assertEquals(404, http.get("/api/v1/metadata/projX").statusCode(), "an upload outside the prefix is not registered");

        putTree(FIXTURES.resolve("zarr/v2/comp_zstd"), "proj/arrays/uploaded.zarr/");
        assertEquals(200, http.await("/api/v1/metadata/arrays/uploaded", 200));
        assertArrayEquals(Files.readAllBytes(FIXTURES.resolve("zarr/v2/comp_zstd/expected.bin")), http.data("/api/v1/array/full/arrays/uploaded"));
        // The node is readable as soon as the catalog holds it; the indexer's line is printed just after.
        String err = awaitErr(e -> e.contains("\"REGISTERED\"") && e.contains("proj/arrays/uploaded.zarr/.zarray"));
        assertFalse(err.contains("a Zarr chunk") || err.contains("_results/"), "routine skips are not logged: " + err);
    }

    /** What the server printed, once it satisfies {@code done} (within 30 s; else the test fails with it). */
    private static String awaitErr(java.util.function.Predicate<String> done) throws InterruptedException {
        long end = System.nanoTime() + 30_000_000_000L;
        String err = ERR.toString(StandardCharsets.UTF_8);
        while (!done.test(err)) {
            assertTrue(System.nanoTime() < end, err);
            Thread.sleep(20);
            err = ERR.toString(StandardCharsets.UTF_8);
        }
        return err;
    }

    @Test
    @Order(4)
    void aRestartRemovesWhatWasDeletedWhileItWasDownAndKeepsTheRest() throws Exception {
        running.close();
        // Registered by a real notification (a real sequencer), deleted while nothing consumed the queue... and then the
        // queue's message is dropped too, as if notifications had been switched off: only the backfill can tell.
        delete("proj/new/fresh.csv");
        sqs.purgeQueue(b -> b.queueUrl(sqs.getQueueUrl(q -> q.queueName(BUCKET + "-uploads")).queueUrl()));
        ERR.reset();
        serve();
        assertEquals(404, http.get("/api/v1/metadata/new/fresh").statusCode(), ERR.toString(StandardCharsets.UTF_8));
        assertEquals(404, http.get("/api/v1/metadata/new").statusCode(), "its emptied folder is pruned");
        assertEquals(200, http.get("/api/v1/metadata/t").statusCode());
        assertEquals(200, http.get("/api/v1/metadata/late").statusCode());
        String err = ERR.toString(StandardCharsets.UTF_8);
        assertTrue(err.contains("1 whose objects are gone"), err);
        assertTrue(err.contains(" 1 removed,"), err);
    }

    @Test
    @Order(5)
    void nothingIsWrittenIntoTheBucketButResultsAndSpillsUnderTheGatewaysOwnPrefixes() {
        List<String> keys = keys();
        List<String> written = new ArrayList<>();
        for (String k : keys) if (!OURS.contains(k)) written.add(k);
        assertFalse(written.isEmpty(), "the redirected read materialised a result");
        for (String k : written) assertTrue(k.startsWith("_results/") || k.startsWith("catalog-spill/"), "written into the data: " + k + " of " + written);
        assertTrue(keys.containsAll(OURS), "the data are left as they were");
    }
}
