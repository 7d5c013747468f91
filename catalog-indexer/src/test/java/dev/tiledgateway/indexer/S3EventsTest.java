package dev.tiledgateway.indexer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.catalog.Sequencers;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.indexer.event.EventBatch;
import dev.tiledgateway.indexer.event.ObjectEvent;
import dev.tiledgateway.indexer.event.S3Events;
import dev.tiledgateway.testkit.S3EventPayloads;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading the event fixtures (testkit events/s3/): the documented shapes with our values, and what moto really sends. */
class S3EventsTest {

    static byte[] recorded(String name) throws IOException {
        try (InputStream in = S3EventsTest.class.getResourceAsStream("/events/s3/" + name)) {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }

    @Test
    void aDirectNotificationWithSeveralRecordsDecodesEveryKey() throws IOException {
        EventBatch b = S3Events.parse(recorded("s3-multi-record.json"));
        assertFalse(b.sqs());
        EventBatch.Message m = b.messages().getFirst();
        assertNull(m.id());
        List<ObjectEvent> es = m.events();
        assertEquals(3, es.size());
        assertEquals(new ObjectEvent(ObjectEvent.Kind.CREATED, "beamline-data", "runs/run 1/scan notes.csv", 8, "0067D3E5A61B2C3D4E",
                Instant.parse("2025-03-14T08:15:02.481Z")), es.get(0));
        assertEquals("tables/température °C.parquet", es.get(1).key());
        assertEquals(25_165_824, es.get(1).size());
        assertEquals(ObjectEvent.Kind.REMOVED, es.get(2).kind());
        assertEquals("runs/old.csv", es.get(2).key());
        assertEquals(1, m.ignored().size(), "the tagging event is not about content");
        assertTrue(m.ignored().getFirst().startsWith("ObjectTagging:Put"));
    }

    @Test
    void anSqsBatchKeepsItsMessagesApart() throws IOException {
        EventBatch b = S3Events.parse(recorded("sqs-s3.json"));
        assertTrue(b.sqs());
        assertEquals(4, b.messages().size());
        EventBatch.Message test = b.messages().get(0);
        assertEquals("8f3c2b1a-4d5e-4f60-9a7b-0c1d2e3f4a5b", test.id());
        assertEquals(List.of("s3:TestEvent"), test.ignored());
        assertTrue(test.events().isEmpty());
        assertEquals("arrays/image.zarr/.zarray", b.messages().get(1).events().getFirst().key());
        ObjectEvent viaSns = b.messages().get(2).events().getFirst();
        assertEquals(ObjectEvent.Kind.REMOVED, viaSns.kind());
        assertEquals("arrays/old.zarr/.zarray", viaSns.key());
        EventBatch.Message bad = b.messages().get(3);
        assertNotNull(bad.malformed());
        assertEquals("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", bad.id());
    }

    @Test
    void eventBridgeKeysAreNotUrlEncoded() throws IOException {
        ObjectEvent created = S3Events.parse(recorded("eventbridge-object-created.json")).messages().getFirst().events().getFirst();
        assertEquals(ObjectEvent.Kind.CREATED, created.kind());
        assertEquals("runs/run 1/scan+notes.csv", created.key(), "a '+' in an EventBridge key is a plus");
        assertEquals("0067D3E5A61B2C3D4E", created.sequencer());
        assertEquals(8, created.size());
        ObjectEvent deleted = S3Events.parse(recorded("eventbridge-object-deleted.json")).messages().getFirst().events().getFirst();
        assertEquals(ObjectEvent.Kind.REMOVED, deleted.kind());
        assertTrue(Sequencers.compare(deleted.sequencer(), created.sequencer()) > 0);
    }

    /** Moto's own notifications (captured, see the fixtures' README): %2F in keys, zone-less times, no sequencer. */
    @Test
    void motoNotificationsThroughSqsAreReadDespiteTheirQuirks() throws IOException {
        EventBatch b = S3Events.parse(recorded("moto-sqs-s3.json"));
        assertTrue(b.sqs());
        assertEquals(List.of("s3:TestEvent"), b.messages().getFirst().ignored());
        List<ObjectEvent> es = b.messages().stream().flatMap(m -> m.events().stream()).toList();
        assertEquals(List.of("arrays/image.zarr/.zarray", "runs/run 1/scan+notes é.csv", "tables/température °C.parquet",
                "tables/température °C.parquet", "runs/run 1/scan+notes é.csv"), es.stream().map(ObjectEvent::key).toList(),
                "keys decoded once: %2F is '/', '+' a space, %2B a plus");
        assertEquals(List.of(ObjectEvent.Kind.CREATED, ObjectEvent.Kind.CREATED, ObjectEvent.Kind.CREATED, ObjectEvent.Kind.CREATED,
                ObjectEvent.Kind.REMOVED), es.stream().map(ObjectEvent::kind).toList());
        JsonNode raw = Json.parse(recorded("moto-sqs-s3.json")).path("Records");
        for (int i = 1; i < raw.size(); i++) {
            EventBatch.Message m = b.messages().get(i);
            assertNull(m.malformed(), m.id());
            assertEquals(raw.get(i).path("messageId").asText(), m.id());
            ObjectEvent e = m.events().getFirst();
            assertEquals("beamline-data", e.bucket());
            String eventTime = Json.parse(raw.get(i).path("body").asText()).at("/Records/0/eventTime").asText();
            assertFalse(eventTime.endsWith("Z"), "moto's eventTime has no zone: " + eventTime);
            assertEquals(LocalDateTime.parse(eventTime).toInstant(ZoneOffset.UTC), e.time(), "a time without zone is UTC");
            assertEquals(Long.toHexString(e.time().getEpochSecond() * 1_000_000 + e.time().getNano() / 1000).toUpperCase(), e.sequencer(),
                    "no sequencer: ordered by event time in microseconds");
        }
        for (int i = 1; i < es.size(); i++) assertTrue(Sequencers.compare(es.get(i).sequencer(), es.get(i - 1).sequencer()) > 0, "in the order sent");
    }

    @Test
    void motoNotificationsThroughSnsAreUnwrapped() throws IOException {
        EventBatch b = S3Events.parse(recorded("moto-sqs-sns-s3.json"));
        assertEquals(List.of("s3:TestEvent"), b.messages().getFirst().ignored());
        List<ObjectEvent> es = b.messages().stream().flatMap(m -> m.events().stream()).toList();
        assertEquals(5, es.size());
        assertEquals("runs/run 1/scan+notes é.csv", es.getLast().key());
        assertEquals(ObjectEvent.Kind.REMOVED, es.getLast().kind());
    }

    /** Moto's EventBridge events: tag events are ignored; every event carries one constant sequencer, so order comes from elsewhere. */
    @Test
    void motoEventBridgeEventsAreReadAndTheirTagEventsIgnored() throws IOException {
        EventBatch b = S3Events.parse(recorded("moto-sqs-eventbridge-s3.json"));
        List<ObjectEvent> es = b.messages().stream().flatMap(m -> m.events().stream()).toList();
        assertEquals(List.of(ObjectEvent.Kind.CREATED, ObjectEvent.Kind.CREATED, ObjectEvent.Kind.CREATED, ObjectEvent.Kind.CREATED,
                ObjectEvent.Kind.REMOVED), es.stream().map(ObjectEvent::kind).toList());
        assertEquals("runs/run 1/scan+notes é.csv", es.get(1).key(), "EventBridge keys are not encoded");
        long tags = b.messages().stream().flatMap(m -> m.ignored().stream()).filter(i -> i.startsWith("Object Tags Added")).count();
        assertEquals(3, tags);
        assertEquals(1, es.stream().map(ObjectEvent::sequencer).distinct().count(), "moto sends one sequencer for every event");
    }

    @Test
    void renderedPayloadsRoundTripAnyKey() {
        String key = "a b/ü+c%/x.csv";
        byte[] json = S3EventPayloads.sqsOfNotifications(List.of(List.of(S3EventPayloads.Record.put("bkt", key, 3, "0A"))))
                .toString().getBytes(StandardCharsets.UTF_8);
        assertEquals(key, S3Events.parse(json).messages().getFirst().events().getFirst().key());
        byte[] eb = S3EventPayloads.eventBridge(true, "bkt", key, 3, "0A").toString().getBytes(StandardCharsets.UTF_8);
        assertEquals(key, S3Events.parse(eb).messages().getFirst().events().getFirst().key());
    }

    @Test
    void somethingElseIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> S3Events.parse("[1]".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> S3Events.parse("nope".getBytes(StandardCharsets.UTF_8)));
        assertNotNull(S3Events.parse("{\"hello\":1}".getBytes(StandardCharsets.UTF_8)).messages().getFirst().malformed());
    }
}
