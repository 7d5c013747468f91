package dev.tiledgateway.aws.catalog;

import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.path.NodePath;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The items a creation through {@link DynamoDbCatalog#put} writes, made by the same code, for tools that load many
 * children of one container without a transaction each (the benchmarks' bulk loads). Such a loader must also write the
 * tallies ({@link #tally}) and set the container's {@code kids} and {@code seqs} to what the registrations would have
 * left; it is not safe against concurrent writers of the same container. TABLE-DESIGN.md describes every item.
 */
public final class CreationItems {

    private CreationItems() {}

    /**
     * The node item of {@code node} created as child number {@code seq} of its parent (revision 1, its index items listed
     * in {@code ix}), followed by one item per index item, exactly as {@code put} writes them in its transaction. A
     * document too large for an item is spilled to the catalog's spill store first, as {@code put} does.
     */
    public static List<Map<String, AttributeValue>> of(DynamoDbCatalog catalog, Node node, long seq) {
        if (seq < 1) throw new IllegalArgumentException("sequence numbers start at 1");
        node.checkedForWrite();
        NodePath path = node.path();
        List<SearchIndex.Entry> entries = IndexWrites.entries(node, seq);
        List<Map<String, AttributeValue>> out = new ArrayList<>(1 + entries.size());
        out.add(DynamoDbCatalog.newItem(node, CatalogTable.nodeKey(path), catalog.codec().encode(node), seq, entries));
        for (SearchIndex.Entry e : entries) out.add(IndexWrites.item(path.parent(), path.key(), e));
        return out;
    }

    /** The tally item counting {@code live} children of {@code container} whose {@code seq} falls in {@code block}. */
    public static Map<String, AttributeValue> tally(NodePath container, long block, long live) {
        Map<String, AttributeValue> item = new HashMap<>(CatalogTable.tallyKey(container, block));
        item.put(CatalogTable.LIVE, CatalogTable.n(live));
        return item;
    }

    /** How many sequence numbers one tally item covers in {@code catalog}: a child's block is {@code seq / tallyBlock}. */
    public static int tallyBlock(DynamoDbCatalog catalog) { return catalog.tallyBlock(); }
}
