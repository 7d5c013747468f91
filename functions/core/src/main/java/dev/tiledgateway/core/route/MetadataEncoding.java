package dev.tiledgateway.core.route;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.json.MsgPack;

/**
 * JSON or MessagePack for metadata-like documents (spec §2.4): the first of any-type (star-slash-star),
 * {@code application/json}, {@code application/x-msgpack} in Accept decides; JSON otherwise.
 */
final class MetadataEncoding {

    private MetadataEncoding() {}

    static Response respond(Call call, int status, JsonNode document) {
        for (String item : call.request().headers().get("accept").orElse("").split(",")) {
            String t = item.strip();
            int semi = t.indexOf(';');
            if (semi >= 0) t = t.substring(0, semi).strip();
            if (t.equals("application/x-msgpack")) return new Response(status, "application/x-msgpack", MsgPack.encode(document));
            if (t.equals("application/json") || t.equals("*/*")) break;
        }
        return Response.json(status, Json.bytes(document));
    }
}
