package dev.tiledgateway.aws.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.CatalogJson;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.store.BlobStore;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns a node's content into the item's {@code doc} attribute (one JSON document) and back, spilling
 * documents larger than the threshold to the object store under a fresh, never reused key.
 */
final class NodeCodec {

    /** Leaves ~50 KB of the 400 KB item limit for keys and the other attributes. */
    static final int DEFAULT_SPILL_THRESHOLD = 350 * 1024;
    static final String SPILL_PREFIX = "catalog-spill/";


    private final BlobStore spillStore;
    private final int spillThreshold;

    NodeCodec(BlobStore spillStore, int spillThreshold) {
        this.spillStore = spillStore;
        this.spillThreshold = spillThreshold;
    }

    /** A node's content as stored: inline, or the key of the object that holds it. */
    record Content(String doc, String spillKey) {
        AttributeValue attribute() { return CatalogTable.s(doc != null ? doc : spillKey); }
        String attributeName() { return doc != null ? CatalogTable.DOC : CatalogTable.SPILL; }
        String otherAttributeName() { return doc != null ? CatalogTable.SPILL : CatalogTable.DOC; }
    }

    /** Where spilled documents go (null when none is configured). */
    BlobStore spillStore() { return spillStore; }

    /** Serialises the node; a document above the threshold is written to the object store first. */
    Content encode(Node node) {
        ObjectNode doc = Json.object();
        doc.set("m", node.metadata() == null ? Json.object() : node.metadata());
        doc.set("sp", CatalogJson.specs(node.specs()));
        if (node.structure() != null) doc.set("st", node.structure());
        if (node.dataSource() != null) doc.set("ds", CatalogJson.dataSource(node.dataSource()));
        if (node.sorting() != null) doc.set("so", CatalogJson.sorting(node.sorting()));
        byte[] bytes = Json.bytes(doc);
        if (bytes.length <= spillThreshold) return new Content(new String(bytes, StandardCharsets.UTF_8), null);
        if (spillStore == null) throw new IllegalStateException("node " + node.path() + " is too large for an item and no spill store is configured");
        String key = SPILL_PREFIX + UUID.randomUUID() + ".json";
        try {
            spillStore.put(key, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Content(null, key);
    }

    /** Removes a spilled document; failures leave an unreferenced object, never a broken node. */
    void discard(String spillKey) {
        if (spillKey == null || spillStore == null) return;
        try {
            spillStore.delete(spillKey);
        } catch (IOException | RuntimeException e) {
            System.getLogger(NodeCodec.class.getName()).log(System.Logger.Level.WARNING,
                    "could not remove spilled catalog document " + spillKey + ": " + e.getMessage());
        }
    }

    /**
     * The JSON document an item holds, inline ({@code doc}) or spilled ({@code spill}); empty when the spilled object
     * is gone (replaced or deleted after the item was read). {@code what} names the item in the error for neither.
     */
    Optional<byte[]> document(Map<String, AttributeValue> item, String what) {
        String inline = CatalogTable.string(item, CatalogTable.DOC);
        if (inline != null) return Optional.of(inline.getBytes(StandardCharsets.UTF_8));
        String key = CatalogTable.string(item, CatalogTable.SPILL);
        if (key == null) throw new UncheckedIOException(new IOException("catalog item for " + what + " has no document"));
        try {
            return spillStore.get(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The node an item holds, or empty when its spilled document is gone (a concurrent replace or
     * delete removed it after this item was read: the caller reads the item again).
     */
    Optional<Node> decode(NodePath path, Map<String, AttributeValue> item) {
        Optional<byte[]> document = document(item, path.joined());
        if (document.isEmpty()) return Optional.empty();
        byte[] bytes = document.get();
        try {
            JsonNode doc = Json.parse(bytes);
            JsonNode st = doc.get("st");
            JsonNode ds = doc.get("ds");
            JsonNode so = doc.get("so");
            StructureFamily family = StructureFamily.fromWire(CatalogTable.string(item, CatalogTable.FAMILY));
            // A container's item counts its children (the attribute DynamoDbCatalog.countChildren reads).
            return Optional.of(new Node(
                    path,
                    family,
                    (ObjectNode) doc.get("m"),
                    CatalogJson.readSpecs(doc.get("sp")),
                    st == null || st.isNull() ? null : st,
                    ds == null || ds.isNull() ? null : CatalogJson.readDataSource(ds),
                    so == null || so.isNull() ? null : CatalogJson.readSorting(so),
                    CatalogTable.number(item, CatalogTable.REV),
                    family == StructureFamily.CONTAINER ? CatalogTable.number(item, CatalogTable.KIDS) : Node.CHILDREN_UNKNOWN));
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            throw new UncheckedIOException(new IOException("corrupt catalog item for " + path + ": " + e.getMessage(), e));
        }
    }
}
