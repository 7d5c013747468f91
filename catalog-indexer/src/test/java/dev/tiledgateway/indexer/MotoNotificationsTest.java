package dev.tiledgateway.indexer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.aws.AwsBackendFactory;
import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.aws.catalog.CatalogTable;
import dev.tiledgateway.aws.catalog.DynamoDbCatalog;
import dev.tiledgateway.aws.store.S3BlobStore;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.indexer.apply.Outcome;
import dev.tiledgateway.indexer.event.ObjectEvent;
import dev.tiledgateway.testkit.MotoServer;
import dev.tiledgateway.testkit.S3EventPayloads;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole path on moto: objects uploaded to S3, S3's notifications delivered to an SQS queue, the
 * queue's messages handed to the handler as Lambda's SQS event source would, nodes in DynamoDB; and an
 * unreadable object sent to a dead-letter queue. The notifications are moto's own (keys with %2F, no
 * sequencer, a zone-less eventTime), not recorded samples.
 */
@Tag("emulator")
class MotoNotificationsTest {

    private static final String BUCKET = "indexer-notified";

    private static SqsClient sqs() {
        return SqsClient.builder().endpointOverride(MotoServer.shared().endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void uploadsNotifiedThroughSqsBecomeNodesAndDeletionsRemoveThem() throws IOException {
        AwsClients clients = AwsClients.emulated(MotoServer.shared().endpoint(), MotoServer.shared().endpoint());
        S3Client s3 = clients.s3();
        AwsBackendFactory.createBucket(s3, BUCKET, clients.region());
        CatalogTable.createIfMissing(clients.dynamo(), "indexer-notified");
        S3BlobStore store = new S3BlobStore(s3, null, BUCKET, "");
        DynamoDbCatalog catalog = new DynamoDbCatalog(clients.dynamo(), "indexer-notified", store);
        try (SqsClient sqs = sqs()) {
            String queue = sqs.createQueue(b -> b.queueName("uploads")).queueUrl();
            String arn = sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            QueueConfiguration toQueue = QueueConfiguration.builder().queueArn(arn).events(Event.S3_OBJECT_CREATED, Event.S3_OBJECT_REMOVED).build();
            s3.putBucketNotificationConfiguration(b -> b.bucket(BUCKET).notificationConfiguration(n -> n.queueConfigurations(toQueue)));
            sqs.purgeQueue(b -> b.queueUrl(queue));

            for (String k : Fixtures.copyTree(Fixtures.ZARR.resolve("v2/with_dims"), new NoOpStore(), "")) {
                s3.putObject(b -> b.bucket(BUCKET).key("scans/run 1/image.zarr/" + k), RequestBody.fromBytes(Fixtures.bytes(Fixtures.ZARR.resolve("v2/with_dims").resolve(k))));
            }
            s3.putObject(b -> b.bucket(BUCKET).key("scans/run 1/peaks.csv"), RequestBody.fromString("x,y\n1,2\n"));
            s3.putObject(b -> b.bucket(BUCKET).key("scans/run 1/broken.parquet"), RequestBody.fromString("PAR1 and no footer"));

            IndexerHandler handler = new IndexerHandler(new Indexer(catalog, store, new IndexerSettings(BUCKET, "", NodePath.ROOT, null, 1 << 20)),
                    DeadLetters.none(), line -> {});
            assertEquals(List.of(), drain(sqs, queue, handler));
            assertEquals(List.of("image", "peaks"), keys(catalog, "scans/run 1"));
            assertEquals("m", catalog.get(NodePath.of("scans/run 1/image")).orElseThrow().metadata().get("units").asText());

            s3.deleteObject(b -> b.bucket(BUCKET).key("scans/run 1/peaks.csv"));
            assertEquals(List.of(), drain(sqs, queue, handler));
            assertEquals(List.of("image"), keys(catalog, "scans/run 1"));
        }
    }

    @Test
    void unreadableObjectsGoToTheDeadLetterQueueWithTheirReason() throws IOException {
        try (SqsClient sqs = sqs()) {
            String dlq = sqs.createQueue(b -> b.queueName("indexer-dlq")).queueUrl();
            DeadLetters letters = new SqsDeadLetters(sqs, dlq);
            ObjectEvent e = new ObjectEvent(ObjectEvent.Kind.CREATED, "b", "x/bad.parquet", 5, "0A", Instant.parse("2024-05-01T10:00:00Z"));
            letters.send(e, Outcome.of(Outcome.Action.UNREADABLE, "x/bad.parquet", NodePath.of("x/bad"), "unreadable: no PAR1 magic"));
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            assertEquals(1, got.size());
            JsonNode body = Json.parse(got.getFirst().body());
            assertEquals("x/bad.parquet", body.path("key").asText());
            assertEquals("unreadable: no PAR1 magic", body.path("reason").asText());
            assertEquals("0A", body.path("sequencer").asText());
        }
    }

    /** Receives until the queue is empty, handing each batch to the handler as Lambda would; returns failed ids. */
    private static List<String> drain(SqsClient sqs, String queue, IndexerHandler handler) throws IOException {
        List<String> failed = new ArrayList<>();
        int handled = 0;
        while (true) {
            int wait = handled == 0 ? 2 : 0;
            List<Message> ms = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(wait)).messages();
            if (ms.isEmpty()) break;
            List<String> bodies = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (Message m : ms) {
                bodies.add(m.body());
                ids.add(m.messageId());
            }
            byte[] payload = S3EventPayloads.sqsBatch(bodies, ids).toString().getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(payload), out, null);
            for (JsonNode f : Json.parse(out.toByteArray()).path("batchItemFailures")) failed.add(f.path("itemIdentifier").asText());
            for (Message m : ms) sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()));
            handled += ms.size();
        }
        assertTrue(handled > 0, "moto delivered no notifications");
        return failed;
    }

    private static List<String> keys(DynamoDbCatalog c, String path) {
        List<String> k = new ArrayList<>();
        for (Node n : c.children(NodePath.of(path), List.of(), 0, 100)) k.add(n.path().key());
        return k;
    }

    /** Lets copyTree list a fixture's relative keys without writing anything. */
    private static final class NoOpStore implements dev.tiledgateway.core.store.BlobStore {
        @Override public java.util.Optional<byte[]> get(String key) { return java.util.Optional.empty(); }
        @Override public java.util.Optional<byte[]> getRange(String key, long o, long l) { return java.util.Optional.empty(); }
        @Override public java.util.Optional<Long> size(String key) { return java.util.Optional.empty(); }
        @Override public void put(String key, byte[] bytes) {}
        @Override public void delete(String key) {}
        @Override public List<String> list(String prefix) { return List.of(); }
        @Override public java.util.Optional<java.net.URI> presignGet(String key, java.time.Duration ttl) { return java.util.Optional.empty(); }
    }
}
