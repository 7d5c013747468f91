package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The write requests of the Tiled client against one server, as its {@code create_container}, {@code write_array},
 * {@code write_block} and {@code write_dataframe} send them, each checked for its 200.
 */
record Writes(Http http) {

    /** {@code POST /metadata/{parent}}: the created node's document. */
    JsonNode create(String parent, String body) throws Exception {
        HttpResponse<byte[]> r = http.send("POST", "/api/v1/metadata/" + parent, body.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json", "Accept", "application/json");
        assertEquals(200, r.statusCode(), "POST /metadata/" + parent + ": " + new String(r.body(), StandardCharsets.UTF_8));
        return Json.parse(r.body());
    }

    JsonNode container(String parent, String key, String metadataJson) throws Exception {
        return create(parent, "{\"structure_family\": \"container\", \"metadata\": " + metadataJson + ", \"specs\": [], \"data_sources\": [],"
                + " \"id\": \"" + key + "\"}");
    }

    /** An array node as {@code write_array} creates it (see {@link WriteHttpTest#arrayBody}). */
    JsonNode array(String parent, String key, String dataType, String shape, String chunks) throws Exception {
        return create(parent, WriteHttpTest.arrayBody(key, dataType, shape, chunks, "null"));
    }

    /** {@code PUT} of raw bytes to one of the server's links (absolute, as the documents give them). */
    void put(String link, byte[] body, String contentType) throws Exception {
        String path = link.startsWith(http.origin()) ? link.substring(http.origin().length()) : link;
        HttpResponse<byte[]> r = http.send("PUT", path, body, "Content-Type", contentType, "Accept", "application/json");
        assertEquals(200, r.statusCode(), "PUT " + path + ": " + new String(r.body(), StandardCharsets.UTF_8));
    }

    /** {@code PUT /array/block} of block {@code index} of the node {@code doc} describes. */
    void block(JsonNode doc, byte[] body, long... index) throws Exception {
        String link = doc.at("/links/block").asText();
        for (int i = 0; i < index.length; i++) link = link.replace("{" + i + "}", Long.toString(index[i]));
        put(link, body, "application/octet-stream");
    }

    /** {@code DELETE /metadata/{path}} of written data and what lies below it. */
    void delete(String path) throws Exception {
        HttpResponse<byte[]> r = http.send("DELETE", "/api/v1/metadata/" + path + "?recursive=true&external_only=false", null);
        assertEquals(200, r.statusCode(), "DELETE " + path + ": " + new String(r.body(), StandardCharsets.UTF_8));
    }

    /** The first asset's data URI of a node's first data source, as the catalog holds it now. */
    String dataUri(String path) throws Exception {
        return http.json("/api/v1/metadata/" + path + "?include_data_sources=true").at("/data/attributes/data_sources/0/assets/0/data_uri").asText();
    }
}
