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
        long revision,
        long knownChildren) {

    /** {@link #knownChildren} of a node read without its number of children. */
    public static final long CHILDREN_UNKNOWN = -1;

    public Node {
        specs = specs == null ? List.of() : List.copyOf(specs);
        sorting = sorting == null ? null : List.copyOf(sorting);
        if (specs.size() > 20) throw new IllegalArgumentException("a node has at most 20 specs");
        if (knownChildren < CHILDREN_UNKNOWN || (knownChildren >= 0 && family != StructureFamily.CONTAINER))
            throw new IllegalArgumentException("only a container has a number of children, and never a negative one");
    }

    /** A node as written or read without its number of children. */
    public Node(NodePath path, StructureFamily family, ObjectNode metadata, List<Spec> specs, JsonNode structure, DataSource dataSource,
                List<SortKey> sorting, long revision) {
        this(path, family, metadata, specs, structure, dataSource, sorting, revision, CHILDREN_UNKNOWN);
    }

    /**
     * This container as a catalog read it together with its number of children, in the same read (a DynamoDB item
     * holds both): {@link #knownChildren} saves the second request that {@link Catalog#countChildren} would make. It is
     * as fresh as the node itself, and is not part of the node's identity ({@link #equals} ignores it).
     */
    public Node withKnownChildren(long n) {
        return new Node(path, family, metadata, specs, structure, dataSource, sorting, revision, n);
    }

    /** Equal nodes have the same content and revision, however they were read (the number of children aside). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Node n && revision == n.revision && path.equals(n.path) && family == n.family
                && java.util.Objects.equals(metadata, n.metadata) && specs.equals(n.specs) && java.util.Objects.equals(structure, n.structure)
                && java.util.Objects.equals(dataSource, n.dataSource) && java.util.Objects.equals(sorting, n.sorting);
    }

    @Override
    public int hashCode() { return java.util.Objects.hash(path, family, metadata, specs, structure, dataSource, sorting, revision); }

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
