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

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
