package dev.tiledgateway.formats.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.store.BlobStore;

import java.io.IOException;
import java.util.Optional;

/** A Zarr group: v2 {@code .zgroup} (+ {@code .zattrs}) or v3 {@code zarr.json} with node_type group. */
public final class ZarrGroup {

    private final String prefix;
    private final int zarrFormat;
    private final JsonNode attributes;

    private ZarrGroup(String prefix, int zarrFormat, JsonNode attributes) {
        this.prefix = prefix;
        this.zarrFormat = zarrFormat;
        this.attributes = attributes.deepCopy();
    }

    /** The group under {@code prefix}, or empty if there is none (an array there is not a group). */
    public static Optional<ZarrGroup> open(BlobStore store, String prefix) throws IOException {
        String p = ZarrIo.normalize(prefix);
        Optional<JsonNode> v3 = ZarrIo.readJson(store, p + "zarr.json");
        if (v3.isPresent()) {
            JsonNode n = v3.get();
            if (!"group".equals(n.path("node_type").asText())) return Optional.empty();
            if (n.path("zarr_format").asInt(-1) != 3) throw new CorruptDataException(p + "zarr.json: zarr_format is not 3");
            JsonNode attrs = n.path("attributes").isObject() ? n.path("attributes") : Json.object();
            return Optional.of(new ZarrGroup(p, 3, attrs));
        }
        Optional<JsonNode> v2 = ZarrIo.readJson(store, p + ".zgroup");
        if (v2.isEmpty()) return Optional.empty();
        if (v2.get().path("zarr_format").asInt(-1) != 2) throw new CorruptDataException(p + ".zgroup: zarr_format is not 2");
        JsonNode attrs = ZarrIo.readJson(store, p + ".zattrs").orElseGet(Json::object);
        return Optional.of(new ZarrGroup(p, 2, attrs));
    }

    /** The normalized key prefix of the group ({@code ""} or ending with '/'). */
    public String prefix() { return prefix; }

    /** 2 or 3. */
    public int zarrFormat() { return zarrFormat; }

    /** The user attributes; an empty object if none. A copy. */
    public JsonNode attributes() { return attributes.deepCopy(); }
}
