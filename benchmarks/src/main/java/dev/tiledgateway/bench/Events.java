package dev.tiledgateway.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** API Gateway HTTP API (payload v2.0) request events: the stored one for {@code GET /api/v1/metadata/}, and variants of it. */
public final class Events {

    /** A GET event as API Gateway sends it for {@code /api/v1/metadata/} (AWS's documented v2.0 shape). */
    public static final String METADATA_ROOT = "/events/get-metadata-root.json";

    private Events() {}

    public static byte[] metadataRoot() {
        try (InputStream in = Events.class.getResourceAsStream(METADATA_ROOT)) {
            if (in == null) throw new IllegalStateException("missing resource " + METADATA_ROOT);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stored event with another path, query string and Accept header (it keeps {@code accept-encoding: gzip, deflate}). */
    public static byte[] get(String rawPath, String rawQuery, String accept) {
        return get(rawPath, rawQuery, accept, true);
    }

    /** As {@link #get(String, String, String)}; without {@code accept-encoding} when {@code compressed} is false. */
    public static byte[] get(String rawPath, String rawQuery, String accept, boolean compressed) {
        try {
            ObjectNode e = (ObjectNode) Json.parse(metadataRoot());
            e.put("rawPath", rawPath);
            e.put("rawQueryString", rawQuery);
            ObjectNode headers = (ObjectNode) e.get("headers");
            headers.put("accept", accept);
            if (!compressed) headers.remove("accept-encoding");
            ((ObjectNode) e.path("requestContext").path("http")).put("path", rawPath);
            return Json.bytes(e);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The status code of a v2.0 response event. */
    public static int status(byte[] responseEvent) {
        try {
            return Json.parse(responseEvent).path("statusCode").asInt(-1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
