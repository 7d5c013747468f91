package dev.tiledgateway.core.route;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.error.TiledException;

import java.util.ArrayList;
import java.util.List;

/** The JSON list of names that POST variants of data routes carry instead of repeated query parameters. */
final class JsonLists {

    private JsonLists() {}

    /**
     * The body as a list of strings; an empty body or {@code null} is {@code fallback}.
     * Anything else is a 422 naming {@code what} the list holds (e.g. "column names").
     */
    static List<String> fromBody(Call call, String what, List<String> fallback) {
        byte[] body = call.request().body();
        if (body.length == 0) return fallback;
        JsonNode j = JsonBodies.parse(body, "Body (a JSON list of " + what + ")");
        if (j.isNull()) return fallback;
        if (!j.isArray()) throw TiledException.unprocessable("Body must be a JSON list of " + what);
        List<String> out = new ArrayList<>();
        for (JsonNode k : j) {
            if (!k.isTextual()) throw TiledException.unprocessable("Body must be a JSON list of " + what + " (strings)");
            out.add(k.asText());
        }
        return out;
    }
}
