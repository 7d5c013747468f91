package dev.tiledgateway.core.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;

import java.util.List;

/**
 * One catalog entry. {@code structure} is the family's structure in Tiled's wire form
 * (for containers it is null: the count is the catalog's). {@code revision} changes on every
 * replacement, so it can key caches and ETags. {@code sorting} is null for non-containers
 * and for containers that list in the catalog's default order.
 */
public record Node(
        NodePath path,
        StructureFamily family,
        ObjectNode metadata,
        List<Spec> specs,
        JsonNode structure,
        DataSource dataSource,
        List<SortKey> sorting,
        long revision) {

    public Node {
        specs = specs == null ? List.of() : List.copyOf(specs);
        sorting = sorting == null ? null : List.copyOf(sorting);
        if (specs.size() > 20) throw new IllegalArgumentException("a node has at most 20 specs");
    }

    /**
     * The most metadata a node may carry, as JSON bytes: DynamoDB's item limit (400 KB), so that a node's
     * metadata fits in one item even where the catalog could spill it, and a page of listings stays far
     * below the response limit.
     */
    public static final int MAX_METADATA_BYTES = 400 * 1024;

    /** This node, when its metadata is within {@link #MAX_METADATA_BYTES}; else a 413 (catalogs check every write). */
    public Node checkedForWrite() {
        if (metadata == null) return this;
        int size = Json.bytes(metadata).length;
        if (size > MAX_METADATA_BYTES)
            throw TiledException.tooLarge("Metadata of " + path.joined() + " is " + size + " bytes of JSON; at most " + MAX_METADATA_BYTES + " are allowed");
        return this;
    }

    public static Node container(NodePath path, ObjectNode metadata, List<Spec> specs) {
        return new Node(path, StructureFamily.CONTAINER, metadata, specs, null, null, null, 0);
    }

    public boolean isContainer() { return family == StructureFamily.CONTAINER; }

    public boolean hasSpec(String name) {
        for (Spec s : specs) if (s.name().equals(name)) return true;
        return false;
    }

    /** Same path, family, metadata, specs, structure, data source and sorting; the revision aside (null metadata counts as empty). */
    public boolean sameContent(Node o) {
        ObjectNode m1 = metadata == null ? dev.tiledgateway.core.json.Json.object() : metadata;
        ObjectNode m2 = o.metadata == null ? dev.tiledgateway.core.json.Json.object() : o.metadata;
        return path.equals(o.path) && family == o.family && sameJson(m1, m2) && specs.equals(o.specs)
                && (structure == null ? o.structure == null : o.structure != null && sameJson(structure, o.structure))
                && java.util.Objects.equals(dataSource, o.dataSource) && java.util.Objects.equals(sorting, o.sorting);
    }

    /** JSON equality where numbers compare by value (a stored 3 may read back as another numeric node type). */
    private static boolean sameJson(JsonNode a, JsonNode b) {
        return a.equals((x, y) -> {
            if (x.isNumber() && y.isNumber()) {
                if (x.isIntegralNumber() && y.isIntegralNumber()) return x.bigIntegerValue().compareTo(y.bigIntegerValue());
                return Double.compare(x.doubleValue(), y.doubleValue());
            }
            return x.equals(y) ? 0 : 1;
        }, b);
    }

    /** A container with no metadata and no specs: what a folder becomes when it is created on demand. */
    public boolean isBareContainer() {
        return isContainer() && (metadata == null || metadata.isEmpty()) && specs.isEmpty();
    }

    /**
     * What everything derived from the node's data is keyed by (ETags, cached readers, materialised results):
     * its path and revision, and the fingerprint of the stored bytes. The revision alone is not enough: it
     * starts again at 1 when a path is removed and registered anew, and a catalog may be rebuilt while
     * results stay in the store.
     */
    public String dataKey() {
        String fingerprint = dataSource == null ? null : dataSource.fingerprint();
        return path.joined() + "@" + revision + (fingerprint == null ? "" : "#" + fingerprint);
    }

    public Node withRevision(long r) {
        return new Node(path, family, metadata, specs, structure, dataSource, sorting, r);
    }
}
