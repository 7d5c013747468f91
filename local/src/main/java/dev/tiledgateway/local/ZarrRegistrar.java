package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.ObjectVersion;
import dev.tiledgateway.core.structure.StructureJson;
import dev.tiledgateway.formats.ZarrArrayReader;
import dev.tiledgateway.formats.zarr.ZarrArray;
import dev.tiledgateway.formats.zarr.ZarrGroup;
import dev.tiledgateway.formats.zarr.ZarrNodes;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.Optional;

/** Registers Zarr arrays and groups found in an object store as catalog nodes. */
final class ZarrRegistrar {

    private final Catalog catalog;
    private final BlobStore store;

    ZarrRegistrar(Catalog catalog, BlobStore store) {
        this.catalog = catalog;
        this.store = store;
    }

    /** The node for the Zarr array at {@code prefix}, its attributes as metadata. */
    Node array(NodePath path, String prefix, List<Spec> specs) throws IOException {
        ZarrArray a = ZarrArray.open(store, prefix);
        DataSource ds = new DataSource(ZarrArrayReader.MIMETYPE, List.of(new Asset(prefix, true, "data_uri")),
                ObjectVersion.fingerprint(store.versions(prefix)));
        return catalog.put(new Node(path, StructureFamily.ARRAY, metadataOf(a.attributes()), specs,
                StructureJson.array(a.structure()), ds, null, 0));
    }

    /**
     * A container for the Zarr group or plain folder at {@code prefix}, then every array, group and folder
     * below it; returns how many nodes were registered. Lists the store once.
     */
    int tree(NodePath path, String prefix) throws IOException {
        return tree(path, prefix, store.list(prefix));
    }

    private int tree(NodePath path, String prefix, List<String> keys) throws IOException {
        int n = 0;
        if (!path.isRoot()) {
            Optional<ZarrGroup> g = ZarrGroup.open(store, prefix);
            catalog.put(Node.container(path, g.map(x -> metadataOf(x.attributes())).orElse(Json.object()), List.of()));
            n++;
        }
        TreeMap<String, List<String>> byChild = new TreeMap<>();
        for (String key : keys) {
            if (!key.startsWith(prefix)) continue;
            String rest = key.substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash > 0) byChild.computeIfAbsent(rest.substring(0, slash), k -> new ArrayList<>()).add(key);
        }
        for (var e : byChild.entrySet()) {
            String name = e.getKey();
            if (name.startsWith(".") || name.startsWith("_")) continue;
            String childPrefix = prefix + name + "/";
            Optional<String> kind = ZarrNodes.kindAt(store, childPrefix);
            if (kind.isPresent() && kind.get().equals(ZarrNodes.ARRAY)) {
                try {
                    array(path.child(name), childPrefix, List.of());
                    n++;
                } catch (IllegalArgumentException | CorruptDataException ex) {
                    System.err.println("tiled-gateway: skipped " + childPrefix + ": " + ex.getMessage());
                }
            } else {
                n += tree(path.child(name), childPrefix, e.getValue());
            }
        }
        return n;
    }

    private static ObjectNode metadataOf(JsonNode attrs) {
        ObjectNode m = attrs != null && attrs.isObject() ? ((ObjectNode) attrs).deepCopy() : Json.object();
        m.remove("_ARRAY_DIMENSIONS");
        return m;
    }
}
