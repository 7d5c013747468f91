package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.indexer.IndexerHandler;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.s3.model.GetBucketNotificationConfigurationResponse;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Plays Lambda's SQS event source for the local server: long-polls the queue the bucket notifies, hands each
 * batch to the indexer's handler as the same SQS event JSON, and deletes the messages it did not report as
 * failed (partial batch responses). On AWS the stack wires the same path.
 */
final class QueueFeeder implements AutoCloseable {

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final IndexerHandler handler;
    private final Thread thread;
    private volatile boolean running = true;
    /** How long {@link #close()} waits for the loop to finish its batch before interrupting it. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private QueueFeeder(SqsClient sqs, String queueUrl, String queueArn, IndexerHandler handler) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.handler = handler;
        this.thread = new Thread(this::loop, "sqs-feeder");
        this.thread.setDaemon(true);
    }

    static SqsClient client(AwsClients clients, URI endpoint) {
        var b = SqsClient.builder().region(clients.region()).credentialsProvider(clients.credentials())
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(clients.connectTimeout()).socketTimeout(Duration.ofSeconds(25)).build());
        if (endpoint != null) b.endpointOverride(endpoint);
        return b.build();
    }

    /** The id of the bucket's notification configuration this feeder sets: replaced on the next start, others kept. */
    static final String NOTIFICATION_ID = "tiled-gateway-uploads";

    /**
     * Creates the queue (if absent) and points the bucket's ObjectCreated/ObjectRemoved notifications for keys under
     * {@code keyPrefix} ("" for all) at it, keeping the bucket's other notification configurations; then starts
     * feeding the handler.
     *
     * @throws UnavailableException when the queue cannot be created or the bucket refuses the configuration
     *                                         (S3 allows one destination per event type and overlapping prefix)
     */
    static QueueFeeder wire(AwsClients clients, URI sqsEndpoint, S3Client s3, String bucket, String keyPrefix, String queueName,
                            IndexerHandler handler) throws UnavailableException {
        SqsClient sqs = client(clients, sqsEndpoint);
        String url;
        String arn;
        try {
            url = sqs.createQueue(b -> b.queueName(queueName)).queueUrl();
            arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        } catch (SdkException e) {
            sqs.close();
            throw new UnavailableException("cannot create the upload queue " + queueName + (sqsEndpoint == null ? "" : " at " + sqsEndpoint)
                    + ": " + AwsStorage.oneLine(e));
        }
        QueueConfiguration.Builder ours = QueueConfiguration.builder().id(NOTIFICATION_ID).queueArn(arn)
                .events(Event.S3_OBJECT_CREATED, Event.S3_OBJECT_REMOVED);
        // "prefix" as S3's documentation writes it (the SDK's enum sends "Prefix", which moto refuses; S3 takes both)
        if (!keyPrefix.isEmpty())
            ours.filter(f -> f.key(k -> k.filterRules(FilterRule.builder().name("prefix").value(keyPrefix).build())));
        try {
            GetBucketNotificationConfigurationResponse now = s3.getBucketNotificationConfiguration(b -> b.bucket(bucket));
            List<QueueConfiguration> queues = new ArrayList<>();
            for (QueueConfiguration q : now.queueConfigurations())
                if (!NOTIFICATION_ID.equals(q.id()) && !arn.equals(q.queueArn())) queues.add(q);
            queues.add(ours.build());
            NotificationConfiguration.Builder merged = NotificationConfiguration.builder().queueConfigurations(queues)
                    .topicConfigurations(now.topicConfigurations()).lambdaFunctionConfigurations(now.lambdaFunctionConfigurations());
            if (now.eventBridgeConfiguration() != null) merged.eventBridgeConfiguration(now.eventBridgeConfiguration());
            s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(merged.build()));
        } catch (SdkException e) {
            sqs.close();
            throw new UnavailableException("cannot point the notifications of bucket " + bucket + " at the upload queue: "
                    + AwsStorage.oneLine(e) + " (S3 allows one destination per event type and prefix: another configuration may cover "
                    + (keyPrefix.isEmpty() ? "the bucket" : keyPrefix) + ")");
        }
        QueueFeeder f = new QueueFeeder(sqs, url, arn, handler);
        f.thread.start();
        return f;
    }

    private void loop() {
        while (running) {
            try {
                // Short polls: an emulator that answers one request at a time would be held by a long poll.
                List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
                if (messages.isEmpty()) {
                    Thread.sleep(200);
                    continue;
                }
                ObjectNode event = Json.object();
                ArrayNode records = event.putArray("Records");
                for (Message m : messages) {
                    ObjectNode r = records.addObject();
                    r.put("messageId", m.messageId());
                    r.put("receiptHandle", m.receiptHandle());
                    r.put("body", m.body());
                    r.putObject("attributes");
                    r.putObject("messageAttributes");
                    r.put("md5OfBody", m.md5OfBody());
                    r.put("eventSource", "aws:sqs");
                    r.put("eventSourceARN", queueArn);
                    r.put("awsRegion", "us-east-1");
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                handler.handleRequest(new ByteArrayInputStream(Json.bytes(event)), out, null);
                Set<String> failed = new HashSet<>();
                JsonNode answer = out.size() == 0 ? Json.object() : Json.parse(out.toByteArray());
                for (JsonNode f : answer.path("batchItemFailures")) failed.add(f.path("itemIdentifier").asText());
                for (Message m : messages) {
                    if (!failed.contains(m.messageId())) sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                }
            } catch (Exception e) {
                if (!running) return;
                System.err.println("tiled-gateway: reading the upload queue failed (retrying): " + e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /**
     * Stops after the batch in hand. The loop is asked to stop and given time to finish its calls: an interrupt
     * during a call can leave a request's headers sent without its body, and a connection that waits for it.
     * Only a loop still busy after that is interrupted.
     */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(STOP_WAIT.toMillis());
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(STOP_WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sqs.close();
    }
}
