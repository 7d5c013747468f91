package dev.tiledgateway.core.route;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.http.Accept;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.json.MsgPack;

import java.util.List;

/**
 * JSON or MessagePack for metadata-like documents (spec §2.4): MessagePack when Accept prefers
 * {@code application/x-msgpack} (by weight, then header order) over anything that covers JSON
 * ({@code application/json}, {@code application/*}, any type); JSON otherwise, also when nothing asked for fits.
 */
final class MetadataEncoding {

    private static final String MSGPACK = "application/x-msgpack";

    private MetadataEncoding() {}

    static Response respond(Call call, int status, JsonNode document) {
        List<Accept.Item> items = Accept.parse(call.request().headers().get("accept").orElse(""));
        for (Accept.Item item : Accept.byPreference(items)) {
            if (item.value().equals(MSGPACK)) return new Response(status, MSGPACK, MsgPack.encode(document));
            if (item.matches("application/json") && Accept.quality(items, "application/json") > 0) break;
        }
        return Response.json(status, Json.bytes(document));
    }
}
