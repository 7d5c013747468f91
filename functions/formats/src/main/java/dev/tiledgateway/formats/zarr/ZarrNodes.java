package dev.tiledgateway.formats.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.store.BlobStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** What Zarr node, if any, lives under a key prefix, and which nodes lie directly below it. */
public final class ZarrNodes {

    public static final String ARRAY = "array";
    public static final String GROUP = "group";

    private ZarrNodes() {}

    /** {@code "array"}, {@code "group"}, or empty when no Zarr metadata lies directly under {@code prefix}. */
    public static Optional<String> kindAt(BlobStore store, String prefix) throws IOException {
        String p = ZarrIo.normalize(prefix);
        Optional<JsonNode> v3 = ZarrIo.readJson(store, p + "zarr.json");
        if (v3.isPresent()) {
            String t = v3.get().path("node_type").asText();
            return t.equals(ARRAY) || t.equals(GROUP) ? Optional.of(t) : Optional.empty();
        }
        if (store.size(p + ".zarray").isPresent()) return Optional.of(ARRAY);
        if (store.size(p + ".zgroup").isPresent()) return Optional.of(GROUP);
        return Optional.empty();
    }

    /**
     * Names of the nodes (arrays or groups, v2 or v3) one level below {@code prefix}, sorted. Lists
     * the store under the prefix, so it costs one listing of everything below it.
     */
    public static List<String> children(BlobStore store, String prefix) throws IOException {
        String p = ZarrIo.normalize(prefix);
        TreeSet<String> names = new TreeSet<>();
        for (String key : store.list(p)) {
            String rest = key.substring(p.length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || rest.indexOf('/', slash + 1) >= 0) continue;
            String file = rest.substring(slash + 1);
            if (file.equals("zarr.json") || file.equals(".zarray") || file.equals(".zgroup")) names.add(rest.substring(0, slash));
        }
        return new ArrayList<>(names);
    }
}
