package dev.tiledgateway.indexer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.indexer.apply.Outcome;
import dev.tiledgateway.indexer.event.ObjectEvent;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Sends each unreadable object's event to an SQS queue (the indexer's dead-letter queue) as a JSON
 * message: the object, its sequencer and event time, the node it would have been, and why it was not.
 */
public final class SqsDeadLetters implements DeadLetters {

    /** The queue URL; unset means unreadable objects are only logged. */
    public static final String QUEUE_URL = "TILED_GATEWAY_DEAD_LETTER_QUEUE_URL";
    /** Optional endpoint (an emulator); the SDK's AWS_ENDPOINT_URL_SQS works too. */
    public static final String ENDPOINT = "TILED_GATEWAY_SQS_ENDPOINT";

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsDeadLetters(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** From the environment, or {@link DeadLetters#none()} when no queue is configured. */
    public static DeadLetters fromEnvironment(Map<String, String> env) {
        String url = env.get(QUEUE_URL);
        if (url == null || url.isBlank()) return DeadLetters.none();
        URI endpoint = AwsClients.endpoint(env, ENDPOINT, "AWS_ENDPOINT_URL_SQS");
        AwsClients settings = AwsClients.fromEnv(env, endpoint, endpoint);
        var b = SqsClient.builder().region(settings.region()).credentialsProvider(settings.credentials())
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(settings.connectTimeout()).socketTimeout(settings.attemptTimeout()).build());
        if (endpoint != null) b.endpointOverride(endpoint);
        return new SqsDeadLetters(b.build(), url.strip());
    }

    /** The message body for one unreadable object. */
    static String body(ObjectEvent event, Outcome outcome) {
        ObjectNode o = Json.object();
        o.put("reason", outcome.detail());
        o.put("bucket", event.bucket());
        o.put("key", event.key());
        o.put("sequencer", event.sequencer());
        o.put("eventTime", event.time() == null ? null : event.time().toString());
        o.put("kind", event.kind().name());
        o.put("path", outcome.path() == null ? null : outcome.path().toString());
        return new String(Json.bytes(o), StandardCharsets.UTF_8);
    }

    @Override
    public void send(ObjectEvent event, Outcome outcome) throws IOException {
        try {
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body(event, outcome)));
        } catch (SdkException e) {
            throw new IOException("cannot send the unreadable object " + event.key() + " to " + queueUrl + ": " + e.getMessage(), e);
        }
    }
}
