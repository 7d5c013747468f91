package dev.tiledgateway.indexer.event;

import java.util.List;

/**
 * What one Lambda invocation carries. {@code sqs} batches have one {@link Message} per SQS message, each
 * retried (or reported in {@code batchItemFailures}) on its own; a direct S3 or EventBridge invocation
 * is one message without an id.
 */
public record EventBatch(boolean sqs, List<Message> messages) {

    public EventBatch {
        messages = List.copyOf(messages);
    }

    /**
     * The object events of one message, in delivery order. {@code ignored} lists records that are not
     * object creations or removals (test events, tagging, ...) with why; {@code malformed} is set when the
     * message could not be read at all (retrying it cannot help).
     */
    public record Message(String id, List<ObjectEvent> events, List<String> ignored, String malformed) {
        public Message {
            events = List.copyOf(events);
            ignored = List.copyOf(ignored);
        }
    }

    public int eventCount() {
        int n = 0;
        for (Message m : messages) n += m.events().size();
        return n;
    }
}
