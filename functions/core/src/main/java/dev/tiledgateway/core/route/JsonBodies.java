package dev.tiledgateway.core.route;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.http.Request;
import dev.tiledgateway.core.json.Json;

import java.io.IOException;

/** Request bodies that hold JSON: their declared type, and parse errors in plain words. */
final class JsonBodies {

    private JsonBodies() {}

    /**
     * 415 unless the body is declared as {@code application/json} (parameters such as charset allowed): a
     * browser sends text/plain across origins without asking first, application/json only after a preflight.
     */
    static void requireJson(Request request) {
        String type = request.headers().get("content-type").orElse("");
        int semicolon = type.indexOf(';');
        String base = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
        if (!base.equalsIgnoreCase("application/json"))
            throw TiledException.unsupportedMediaType("The body must be sent with Content-Type: application/json"
                    + (base.isEmpty() ? " (none was given)" : ""));
    }

    /** The body as JSON; a parse error says where ({@code what} names what was expected), not what the parser made of it. */
    static JsonNode parse(byte[] body, String what) {
        try {
            return Json.parse(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw TiledException.unprocessable(at == null || at.getLineNr() < 1 ? what + " is not valid JSON"
                    : what + " is not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
        } catch (IOException e) {
            throw TiledException.unprocessable(what + " is not valid JSON");
        }
    }
}
