package dev.tiledgateway.indexer.event;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the events S3 sends about objects, as Lambda receives them: an S3 notification ({@code Records[]}
 * with {@code eventSource} aws:s3), an SQS batch whose message bodies are S3 notifications (also through
 * SNS, or EventBridge events routed to SQS), or one EventBridge event ({@code detail-type} "Object Created" /
 * "Object Deleted").
 *
 * <p>Notification keys are URL-encoded with '+' for space and are decoded once; EventBridge keys are not
 * encoded. Emulators differ from S3: moto encodes '/' as %2F (decoded like any escape), writes
 * {@code eventTime} without a zone (read as UTC), and sends no {@code sequencer}; a record without one is
 * ordered by its event time instead (microseconds since the epoch, in hex), which real S3 never needs.
 */
public final class S3Events {

    private S3Events() {}

    /** Parses one invocation payload; a payload that is not JSON or not an event at all is an IllegalArgumentException. */
    public static EventBatch parse(byte[] payload) {
        JsonNode root;
        try {
            root = Json.parse(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("the event is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException("the event is not a JSON object");
        JsonNode records = root.path("Records");
        if (records.isArray() && !records.isEmpty() && "aws:sqs".equals(records.get(0).path("eventSource").asText())) {
            List<EventBatch.Message> messages = new ArrayList<>();
            for (JsonNode r : records) messages.add(sqsMessage(r));
            return new EventBatch(true, messages);
        }
        return new EventBatch(false, List.of(message(null, root)));
    }

    private static EventBatch.Message sqsMessage(JsonNode record) {
        String id = record.path("messageId").asText(null);
        JsonNode body;
        try {
            body = Json.parse(record.path("body").asText(""));
        } catch (IOException e) {
            return new EventBatch.Message(id, List.of(), List.of(), "the message body is not JSON: " + e.getMessage());
        }
        if (body != null && "Notification".equals(body.path("Type").asText()) && body.path("Message").isTextual()) {
            try {
                body = Json.parse(body.path("Message").asText()); // S3 -> SNS -> SQS
            } catch (IOException e) {
                return new EventBatch.Message(id, List.of(), List.of(), "the SNS message is not JSON: " + e.getMessage());
            }
        }
        if (body == null || !body.isObject()) return new EventBatch.Message(id, List.of(), List.of(), "the message body is not a JSON object");
        return message(id, body);
    }

    /** The object events of one S3 notification, EventBridge event or test event. */
    private static EventBatch.Message message(String id, JsonNode body) {
        List<ObjectEvent> events = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        try {
            if ("s3:TestEvent".equals(body.path("Event").asText())) {
                ignored.add("s3:TestEvent");
            } else if (body.has("detail-type")) {
                eventBridge(body, events, ignored);
            } else if (body.path("Records").isArray()) {
                for (JsonNode r : body.path("Records")) notification(r, events, ignored);
            } else {
                return new EventBatch.Message(id, List.of(), List.of(), "not an S3 event notification, SNS envelope or EventBridge event");
            }
        } catch (IllegalArgumentException e) {
            return new EventBatch.Message(id, List.of(), List.of(), e.getMessage());
        }
        return new EventBatch.Message(id, events, ignored, null);
    }

    private static void notification(JsonNode r, List<ObjectEvent> events, List<String> ignored) {
        String name = r.path("eventName").asText("");
        ObjectEvent.Kind kind = name.startsWith("ObjectCreated:") ? ObjectEvent.Kind.CREATED
                : name.startsWith("ObjectRemoved:") || name.startsWith("LifecycleExpiration:") ? ObjectEvent.Kind.REMOVED : null;
        JsonNode s3 = r.path("s3");
        String rawKey = s3.path("object").path("key").asText("");
        if (kind == null) {
            ignored.add(name + " " + rawKey);
            return;
        }
        if (rawKey.isEmpty()) throw new IllegalArgumentException("an " + name + " record without an object key");
        String key = URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
        Instant time = time(r.path("eventTime").asText(null));
        String sequencer = sequencer(s3.path("object").path("sequencer").asText(null), time, key);
        events.add(new ObjectEvent(kind, s3.path("bucket").path("name").asText(null), key,
                s3.path("object").path("size").asLong(-1), sequencer, time));
    }

    private static void eventBridge(JsonNode e, List<ObjectEvent> events, List<String> ignored) {
        String type = e.path("detail-type").asText("");
        JsonNode detail = e.path("detail");
        String key = detail.path("object").path("key").asText("");
        ObjectEvent.Kind kind = switch (type) {
            case "Object Created" -> ObjectEvent.Kind.CREATED;
            case "Object Deleted" -> ObjectEvent.Kind.REMOVED;
            default -> null;
        };
        if (kind == null) {
            ignored.add(type + " " + key);
            return;
        }
        if (key.isEmpty()) throw new IllegalArgumentException("an EventBridge '" + type + "' event without an object key");
        Instant time = time(e.path("time").asText(null));
        String sequencer = sequencer(detail.path("object").path("sequencer").asText(null), time, key);
        events.add(new ObjectEvent(kind, detail.path("bucket").path("name").asText(null), key,
                detail.path("object").path("size").asLong(-1), sequencer, time));
    }

    private static String sequencer(String given, Instant time, String key) {
        if (given != null && !given.isBlank()) {
            for (int i = 0; i < given.length(); i++) {
                if (Character.digit(given.charAt(i), 16) < 0) throw new IllegalArgumentException("the sequencer of " + key + " is not hexadecimal: " + given);
            }
            return given;
        }
        if (time == null) throw new IllegalArgumentException("an event for " + key + " with neither sequencer nor event time");
        long micros = Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1000);
        return Long.toHexString(micros).toUpperCase(Locale.ROOT);
    }

    /** ISO-8601 with or without a zone (moto leaves it out: UTC then); null when absent or unreadable. */
    static Instant time(String s) {
        if (s == null || s.isBlank()) return null;
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException withoutZone) {
            try {
                return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }
}
