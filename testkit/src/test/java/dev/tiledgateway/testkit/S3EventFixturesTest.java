package dev.tiledgateway.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The storage event fixtures under {@code events/s3/} hold together as SQS, SNS, S3 and EventBridge make them (see that
 * folder's README): every SQS record's {@code md5OfBody} is the MD5 of its body, its queue is in its region, message
 * ids are UUIDs and unique; S3 records name their bucket consistently. {@link S3EventPayloads} keeps the same rules.
 */
class S3EventFixturesTest {

    static List<Path> fixtures() throws IOException, URISyntaxException {
        Path dir = Path.of(S3EventFixturesTest.class.getResource("/events/s3/README.md").toURI()).getParent();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    static String md5(String body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void everySqsRecordCarriesTheMd5OfItsBody() throws Exception {
        int checked = 0;
        for (Path f : fixtures()) {
            JsonNode root = Json.parse(Files.readAllBytes(f));
            for (JsonNode r : root.path("Records")) {
                if (!"aws:sqs".equals(r.path("eventSource").asText())) continue;
                assertEquals(md5(r.get("body").asText()), r.get("md5OfBody").asText(), f.getFileName() + " " + r.get("messageId"));
                checked++;
            }
        }
        assertTrue(checked >= 4 + 6 + 6 + 8, "the SQS fixtures were all checked: " + checked);
    }

    @Test
    void everySqsRecordIsShapedAsLambdasSqsEventSourceDeliversIt() throws Exception {
        Set<String> ids = new HashSet<>();
        for (Path f : fixtures()) {
            for (JsonNode r : Json.parse(Files.readAllBytes(f)).path("Records")) {
                if (!"aws:sqs".equals(r.path("eventSource").asText())) continue;
                String where = f.getFileName() + " " + r.path("messageId").asText();
                for (String field : List.of("messageId", "receiptHandle", "body", "md5OfBody", "eventSourceARN", "awsRegion"))
                    assertTrue(r.path(field).isTextual() && !r.path(field).asText().isEmpty(), where + ": " + field);
                assertTrue(r.path("attributes").isObject() && r.path("messageAttributes").isObject(), where);
                UUID.fromString(r.get("messageId").asText());
                assertTrue(ids.add(r.get("messageId").asText()), where + ": message ids are unique");
                String[] arn = r.get("eventSourceARN").asText().split(":");
                assertEquals(6, arn.length, where);
                assertEquals("sqs", arn[2], where);
                assertEquals(r.get("awsRegion").asText(), arn[3], where + ": the queue is in the record's region");
                long sent = Long.parseLong(r.at("/attributes/SentTimestamp").asText());
                assertTrue(Long.parseLong(r.at("/attributes/ApproximateFirstReceiveTimestamp").asText()) >= sent, where);
                assertEquals("1", r.at("/attributes/ApproximateReceiveCount").asText(), where);
            }
        }
    }

    /** An SNS envelope names its topic in the same region and carries the S3 notification as a JSON string. */
    @Test
    void snsEnvelopesCarryTheNotificationAsAString() throws Exception {
        int n = 0;
        for (Path f : fixtures()) {
            for (JsonNode r : Json.parse(Files.readAllBytes(f)).path("Records")) {
                if (!"aws:sqs".equals(r.path("eventSource").asText()) || !r.get("body").asText().contains("\"TopicArn\"")) continue;
                JsonNode sns = Json.parse(r.get("body").asText());
                assertEquals("Notification", sns.get("Type").asText());
                assertTrue(sns.get("Message").isTextual());
                JsonNode inner = Json.parse(sns.get("Message").asText());
                assertTrue(inner.has("Records") || inner.has("Event"), f.getFileName() + ": " + inner);
                assertEquals(r.get("awsRegion").asText(), sns.get("TopicArn").asText().split(":")[3]);
                UUID.fromString(sns.get("MessageId").asText());
                Instant.parse(sns.get("Timestamp").asText());
                n++;
            }
        }
        assertTrue(n >= 7, "the SNS envelopes of sqs-s3.json and moto-sqs-sns-s3.json: " + n);
    }

    /** S3 records (direct or inside a message) say which bucket twice, by name and ARN, and have a key. */
    @Test
    void s3RecordsNameTheirBucketConsistently() throws Exception {
        int n = 0;
        for (Path f : fixtures()) {
            for (JsonNode record : s3Records(Json.parse(Files.readAllBytes(f)))) {
                JsonNode s3 = record.get("s3");
                assertEquals("aws:s3", record.get("eventSource").asText());
                assertEquals("arn:aws:s3:::" + s3.at("/bucket/name").asText(), s3.at("/bucket/arn").asText(), f.getFileName().toString());
                assertFalse(s3.at("/object/key").asText().isEmpty(), f.getFileName().toString());
                n++;
            }
        }
        assertTrue(n >= 4 + 1 + 1 + 5 + 5, "records checked: " + n);
    }

    @Test
    void theRenderedPayloadsCarryTheMd5OfTheirBodiesToo() throws Exception {
        JsonNode batch = S3EventPayloads.sqsOfNotifications(List.of(List.of(S3EventPayloads.Record.put("bkt", "a b/é.csv", 3, "0A")),
                List.of(S3EventPayloads.Record.delete("bkt", "x", "0B"))));
        for (JsonNode r : batch.get("Records")) assertEquals(md5(r.get("body").asText()), r.get("md5OfBody").asText());
        assertNotEquals(batch.at("/Records/0/md5OfBody"), batch.at("/Records/1/md5OfBody"));
    }

    private static List<JsonNode> s3Records(JsonNode root) throws IOException {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (JsonNode r : root.path("Records")) {
            if ("aws:s3".equals(r.path("eventSource").asText())) out.add(r);
            if (!"aws:sqs".equals(r.path("eventSource").asText())) continue;
            JsonNode body;
            try {
                body = Json.parse(r.get("body").asText());
            } catch (IOException notJson) {
                continue;
            }
            if (body.path("Message").isTextual()) body = Json.parse(body.get("Message").asText());
            for (JsonNode inner : body.path("Records")) out.add(inner);
        }
        return out;
    }
}
