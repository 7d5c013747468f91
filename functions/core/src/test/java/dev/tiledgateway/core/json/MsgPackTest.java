package dev.tiledgateway.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

import java.io.IOException;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our MessagePack encoder, decoded by msgpack-java and compared with the JSON it came from. */
class MsgPackTest {

    private static JsonNode roundTrip(JsonNode n) throws IOException {
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(MsgPack.encode(n))) {
            Value v = u.unpackValue();
            return Json.parse(v.toJson());
        }
    }

    @Test
    void everyJsonKindRoundTrips() throws IOException {
        ObjectNode o = Json.object();
        o.put("small", 5).put("negative", -7).put("neg32", -100_000).put("big", 1L << 40).put("pi", 3.14159)
                .put("t", true).put("f", false).putNull("nothing").put("s", "héllo").put("long", "x".repeat(70_000));
        ArrayNode a = o.putArray("list");
        for (int i = 0; i < 20; i++) a.add(i * 1000);
        ObjectNode many = o.putObject("many");
        for (int i = 0; i < 40; i++) many.put("k" + i, "v".repeat(i));
        o.set("empty", JsonNodeFactory.instance.objectNode());
        assertEquals(o, roundTrip(o));
    }

    @Test
    void aRealResourceRoundTrips() throws IOException {
        JsonNode doc = Json.parse("{\"data\":{\"id\":\"\",\"attributes\":{\"ancestors\":[],\"structure_family\":\"container\",\"specs\":[],"
                + "\"metadata\":{},\"structure\":{\"contents\":null,\"count\":8},\"sorting\":[{\"key\":\"\",\"direction\":1}]}},\"error\":null}");
        assertEquals(doc, roundTrip(doc));
    }

    /** The bytes of the value msgpack-java reads from {@code n}'s encoding: a Timestamp extension (type -1) of {@code t}. */
    private static void decodesAsTimestamp(Instant t, int expectedFirstByte) throws IOException {
        ObjectNode o = Json.object();
        o.set("time_updated", new TimestampNode(t));
        byte[] encoded = MsgPack.encode(o);
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(encoded)) {
            Value v = u.unpackValue().asMapValue().map().get(org.msgpack.value.ValueFactory.newString("time_updated"));
            assertTrue(v.isExtensionValue(), v.getValueType().toString());
            assertEquals(-1, v.asExtensionValue().getType(), "the Timestamp extension type");
            assertTrue(v.isTimestampValue());
            assertEquals(t, v.asTimestampValue().toInstant());
        }
        int at = 1 + 1 + "time_updated".length(); // fixmap header, fixstr header, key bytes
        assertEquals(expectedFirstByte, encoded[at] & 0xff);
    }

    @Test
    void pointsInTimeAreTimestampExtensionsInTheirSmallestForm() throws IOException {
        decodesAsTimestamp(Instant.parse("2025-03-04T05:06:07Z"), 0xd6);           // 32-bit: whole seconds
        decodesAsTimestamp(Instant.parse("2025-03-04T05:06:07.123456789Z"), 0xd7); // 64-bit: nanoseconds
        decodesAsTimestamp(Instant.parse("1969-12-31T23:59:59.5Z"), 0xc7);          // 96-bit: before 1970
        decodesAsTimestamp(Instant.parse("2600-01-01T00:00:00Z"), 0xc7);            // 96-bit: past 34-bit seconds
    }

    @Test
    void inJsonAPointInTimeIsItsIsoText() {
        ObjectNode o = Json.object();
        o.set("time_updated", new TimestampNode(Instant.parse("2025-03-04T05:06:07.5Z")));
        assertEquals("{\"time_updated\":\"2025-03-04T05:06:07.500Z\"}", new String(Json.bytes(o), java.nio.charset.StandardCharsets.UTF_8));
    }
}
