package dev.tiledgateway.indexer;

import dev.tiledgateway.core.catalog.Sequencers;
import dev.tiledgateway.indexer.event.EventBatch;
import dev.tiledgateway.indexer.event.ObjectEvent;
import dev.tiledgateway.indexer.event.S3Events;
import dev.tiledgateway.testkit.S3EventPayloads;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading the recorded event payloads (testkit events/s3/) and the moto variant. */
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
        assertEquals(new ObjectEvent(ObjectEvent.Kind.CREATED, "beamline-data", "runs/run 1/scan notes.csv", 1024, "0055AED6DCD90281E5",
                Instant.parse("2024-05-01T10:00:00Z")), es.get(0));
        assertEquals("tables/température °C.parquet", es.get(1).key());
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
        assertEquals("19dd0b57-b21e-4ac1-bd88-01bbb068cb78", test.id());
        assertEquals(List.of("s3:TestEvent"), test.ignored());
        assertTrue(test.events().isEmpty());
        assertEquals("arrays/image.zarr/.zarray", b.messages().get(1).events().getFirst().key());
        ObjectEvent viaSns = b.messages().get(2).events().getFirst();
        assertEquals(ObjectEvent.Kind.REMOVED, viaSns.kind());
        assertEquals("arrays/old.zarr/.zarray", viaSns.key());
        EventBatch.Message bad = b.messages().get(3);
        assertNotNull(bad.malformed());
        assertEquals("a1b2c3d4-0000-4000-8000-000000000bad", bad.id());
    }

    @Test
    void eventBridgeKeysAreNotUrlEncoded() throws IOException {
        ObjectEvent created = S3Events.parse(recorded("eventbridge-object-created.json")).messages().getFirst().events().getFirst();
        assertEquals(ObjectEvent.Kind.CREATED, created.kind());
        assertEquals("runs/run 1/scan+notes.csv", created.key(), "a '+' in an EventBridge key is a plus");
        assertEquals("00617F08299329D189", created.sequencer());
        ObjectEvent deleted = S3Events.parse(recorded("eventbridge-object-deleted.json")).messages().getFirst().events().getFirst();
        assertEquals(ObjectEvent.Kind.REMOVED, deleted.kind());
        assertTrue(Sequencers.compare(deleted.sequencer(), created.sequencer()) > 0);
    }

    @Test
    void motoNotificationsAreReadDespiteTheirQuirks() throws IOException {
        ObjectEvent e = S3Events.parse(recorded("moto-s3-put.json")).messages().getFirst().events().getFirst();
        assertEquals("arrays/image.zarr/.zarray", e.key(), "%2F decoded once");
        assertEquals(Instant.parse("2024-05-01T10:00:00.123456Z"), e.time(), "a time without zone is UTC");
        assertEquals(Long.toHexString(Instant.parse("2024-05-01T10:00:00.123456Z").toEpochMilli() * 1000 + 456).toUpperCase(), e.sequencer(),
                "no sequencer: ordered by event time in microseconds");
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
