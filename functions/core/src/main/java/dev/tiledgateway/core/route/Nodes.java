package dev.tiledgateway.core.route;

import dev.tiledgateway.core.array.ArrayPayload;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.format.TableReaders;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.structure.ArrayStructure;
import dev.tiledgateway.core.structure.StructureJson;
import dev.tiledgateway.core.table.TableSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Node lookup for every route: catalog nodes, plus the columns of table nodes, which Tiled serves as
 * array children ({@code /metadata/table/A}) without their being catalog entries.
 */
public final class Nodes {

    /** Data-source mimetype marking a table column seen as an array; its assets are the table's. */
    public static final String TABLE_COLUMN = "application/x-tiled-table-column";

    private final Catalog catalog;
    private final BlobStore store;
    private final TableReaders tables;

    public Nodes(Catalog catalog, BlobStore store, TableReaders tables) {
        this.catalog = catalog;
        this.store = store;
        this.tables = tables;
    }

    public Catalog catalog() { return catalog; }

    public BlobStore store() { return store; }

    /** The node at {@code path}, or 404 in Tiled's wording. */
    public Node lookup(NodePath path) {
        var found = catalog.get(path);
        if (found.isPresent()) return found.get();
        if (!path.isRoot()) {
            var parent = catalog.get(path.parent());
            if (parent.isPresent() && parent.get().family() == StructureFamily.TABLE) {
                List<String> columns = columnsOf(parent.get());
                if (columns.contains(path.key())) return column(parent.get(), path.key());
            }
        }
        throw TiledException.notFound("No such entry: " + pythonList(path.parts()));
    }

    private List<String> columnsOf(Node table) {
        var cols = table.structure() == null ? null : table.structure().get("columns");
        if (cols == null) return List.of();
        List<String> out = new java.util.ArrayList<>();
        cols.forEach(c -> out.add(c.asText()));
        return out;
    }

    private Node column(Node table, String name) {
        try {
            ArrayPayload col = tables.open(store, table).readColumn(name);
            ArrayStructure s = ArrayStructure.regular(col.dataType(), col.shape(), new int[] {(int) Math.max(1, col.shape()[0])}, null);
            return new Node(table.path().child(name), StructureFamily.ARRAY, Json.object(), List.of(), StructureJson.array(s),
                    new DataSource(TABLE_COLUMN, table.dataSource().assets(), table.dataSource().fingerprint(), table.dataSource().management()), null, table.revision());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The column of the table that a {@link #TABLE_COLUMN} node stands for. */
    public ArrayPayload readColumn(Node columnNode) throws IOException {
        Node table = catalog.get(columnNode.path().parent()).orElseThrow(() -> TiledException.notFound("No such entry: " + columnNode.path()));
        TableSource t = tables.open(store, table);
        return t.readColumn(columnNode.path().key());
    }

    static String pythonList(List<String> parts) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < parts.size(); i++) b.append(i == 0 ? "" : ", ").append('\'').append(parts.get(i).replace("'", "\\'")).append('\'');
        return b.append(']').toString();
    }
}
