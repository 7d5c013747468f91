package dev.tiledgateway.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.json.Json;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Storage events in the shapes AWS delivers them to a Lambda function, field for field as in the S3
 * notification, SQS and EventBridge documentation: for tests that need many events or events about their own keys.
 * The fixtures under {@code events/s3/} do not come from here (see their README).
 */
public final class S3EventPayloads {

    private S3EventPayloads() {}

    /** One record of an S3 notification. {@code eventName} e.g. "ObjectCreated:Put", "ObjectRemoved:Delete". */
    public record Record(String eventName, String bucket, String key, long size, String sequencer) {
        public static Record put(String bucket, String key, long size, String sequencer) {
            return new Record("ObjectCreated:Put", bucket, key, size, sequencer);
        }

        public static Record delete(String bucket, String key, String sequencer) {
            return new Record("ObjectRemoved:Delete", bucket, key, 0, sequencer);
        }
    }

    /** S3's URL encoding of notification keys: form encoding ('+' for space), '/' kept. */
    public static String encodeKey(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    /** An S3 event notification ({@code {"Records": [...]}}) as S3 sends it to Lambda, SQS or SNS. */
    public static ObjectNode notification(List<Record> records) {
        ObjectNode root = Json.object();
        ArrayNode rs = root.putArray("Records");
        for (Record r : records) {
            ObjectNode o = rs.addObject();
            o.put("eventVersion", "2.1");
            o.put("eventSource", "aws:s3");
            o.put("awsRegion", "us-east-1");
            o.put("eventTime", Instant.now().toString());
            o.put("eventName", r.eventName());
            o.putObject("userIdentity").put("principalId", "AWS:AIDAEXAMPLE");
            o.putObject("requestParameters").put("sourceIPAddress", "192.0.2.1");
            o.putObject("responseElements").put("x-amz-request-id", "C3D13FE58DE4C810").put("x-amz-id-2", "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD");
            ObjectNode s3 = o.putObject("s3");
            s3.put("s3SchemaVersion", "1.0");
            s3.put("configurationId", "catalog-indexer");
            s3.putObject("bucket").put("name", r.bucket()).put("arn", "arn:aws:s3:::" + r.bucket())
                    .putObject("ownerIdentity").put("principalId", "A3NL1KOZZKExample");
            ObjectNode obj = s3.putObject("object");
            obj.put("key", encodeKey(r.key()));
            if (r.eventName().startsWith("ObjectCreated")) {
                obj.put("size", r.size());
                obj.put("eTag", "d41d8cd98f00b204e9800998ecf8427e");
            }
            obj.put("sequencer", r.sequencer());
        }
        return root;
    }

    /** An SQS batch as Lambda receives it; each body is one message (e.g. a notification's JSON text). */
    public static ObjectNode sqsBatch(List<String> bodies, List<String> messageIds) {
        ObjectNode root = Json.object();
        ArrayNode rs = root.putArray("Records");
        for (int i = 0; i < bodies.size(); i++) {
            ObjectNode o = rs.addObject();
            o.put("messageId", messageIds.get(i));
            o.put("receiptHandle", "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...");
            o.put("body", bodies.get(i));
            o.putObject("attributes").put("ApproximateReceiveCount", "1").put("SentTimestamp", Long.toString(System.currentTimeMillis()))
                    .put("SenderId", "AIDAIENQZJOLO23YVJ4VO").put("ApproximateFirstReceiveTimestamp", Long.toString(System.currentTimeMillis()));
            o.putObject("messageAttributes");
            o.put("md5OfBody", md5(bodies.get(i)));
            o.put("eventSource", "aws:sqs");
            o.put("eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:catalog-indexer");
            o.put("awsRegion", "us-east-1");
        }
        return root;
    }

    /** What SQS reports as a message's {@code md5OfBody}: the MD5 of its body's UTF-8 bytes, in hex. */
    public static String md5(String body) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An SQS batch of one message per notification, with fresh message ids. */
    public static ObjectNode sqsOfNotifications(List<List<Record>> notifications) {
        List<String> bodies = new java.util.ArrayList<>();
        List<String> ids = new java.util.ArrayList<>();
        for (List<Record> n : notifications) {
            bodies.add(notification(n).toString());
            ids.add(UUID.randomUUID().toString());
        }
        return sqsBatch(bodies, ids);
    }

    /** An EventBridge "Object Created" / "Object Deleted" event (its key is not URL-encoded). */
    public static ObjectNode eventBridge(boolean created, String bucket, String key, long size, String sequencer) {
        ObjectNode root = Json.object();
        root.put("version", "0");
        root.put("id", UUID.randomUUID().toString());
        root.put("detail-type", created ? "Object Created" : "Object Deleted");
        root.put("source", "aws.s3");
        root.put("account", "123456789012");
        root.put("time", Instant.now().toString());
        root.put("region", "us-east-1");
        root.putArray("resources").add("arn:aws:s3:::" + bucket);
        ObjectNode d = root.putObject("detail");
        d.put("version", "0");
        d.putObject("bucket").put("name", bucket);
        ObjectNode o = d.putObject("object");
        o.put("key", key);
        if (created) {
            o.put("size", size);
            o.put("etag", "d41d8cd98f00b204e9800998ecf8427e");
        }
        o.put("sequencer", sequencer);
        d.put("request-id", "N4N7GDK58NMKJ12R");
        d.put("requester", "123456789012");
        d.put("reason", created ? "PutObject" : "DeleteObject");
        if (!created) d.put("deletion-type", "Permanently Deleted");
        return root;
    }
}
