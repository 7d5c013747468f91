package dev.tiledgateway.core.route;

import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.format.TableReaders;
import dev.tiledgateway.core.http.QueryParams;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.serialize.Serializer;
import dev.tiledgateway.core.serialize.SerializerRegistry;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.table.TableSource;

import java.io.IOException;
import java.util.List;

/**
 * {@code /table/partition/{path}} and {@code /table/full/{path}}, GET with {@code column=} or POST with a JSON column list.
 * Bodies answered inline are kept in a bounded {@link InlineResultCache} by ETag (the node's data revision, the
 * format, the partition and columns): a repeated read neither decodes Parquet nor encodes the format again.
 */
public final class TableRoutes implements RouteGroup {

    /** The default bounds of the kept bodies: a 16th of the heap, at most 64 MB, in at most 256 bodies of at most 8 MB. */
    static InlineResultCache defaultCache() {
        long total = Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 16);
        return new InlineResultCache(total, 256, Math.min(8L << 20, total / 4));
    }

    private final Nodes nodes;
    private final BlobStore store;
    private final TableReaders tables;
    private final SerializerRegistry serializers;
    private final DataResponses responses;
    private final InlineResultCache kept;

    public TableRoutes(Nodes nodes, BlobStore store, TableReaders tables, SerializerRegistry serializers, DataResponses responses) {
        this(nodes, store, tables, serializers, responses, defaultCache());
    }

    public TableRoutes(Nodes nodes, BlobStore store, TableReaders tables, SerializerRegistry serializers, DataResponses responses,
                       InlineResultCache kept) {
        this.kept = kept;
        this.nodes = nodes;
        this.store = store;
        this.tables = tables;
        this.serializers = serializers;
        this.responses = responses;
    }

    @Override
    public void register(Registrar r) {
        r.add("GET", "table/partition", Scopes.DATA, c -> partition(c, columnsFromQuery(c)));
        r.add("POST", "table/partition", Scopes.DATA, c -> partition(c, JsonLists.fromBody(c, "column names", columnsFromQuery(c))));
        r.add("GET", "table/full", Scopes.DATA, c -> full(c, columnsFromQuery(c)));
        r.add("POST", "table/full", Scopes.DATA, c -> full(c, JsonLists.fromBody(c, "column names", columnsFromQuery(c))));
    }

    private static List<String> columnsFromQuery(Call call) {
        QueryParams q = call.request().query();
        if (q.has("column") && q.has("field")) throw TiledException.badRequest("Use 'column' or its deprecated alias 'field', not both");
        return q.has("column") ? q.all("column") : q.all("field");
    }

    private Node table(Call call) {
        Node node = nodes.lookup(call.path());
        if (node.family() != StructureFamily.TABLE) throw TiledException.notFound("No such table: " + call.path() + " is a " + node.family().wire());
        return node;
    }

    private Serializer serializer(Call call, Node node) {
        return serializers.negotiate(node, call.request().query().first("format"), call.request().headers().get("accept"));
    }

    private Response partition(Call call, List<String> columns) throws IOException {
        String p = call.request().query().first("partition")
                .orElseThrow(() -> TiledException.unprocessable("Query parameter 'partition' is required"));
        long index;
        try {
            index = Long.parseLong(p.strip());
        } catch (NumberFormatException e) {
            if (!p.strip().matches("[+-]?[0-9]+")) throw TiledException.unprocessable("Query parameter 'partition' must be an integer, got '" + p + "'");
            index = Long.MAX_VALUE; // an integer past any table's partitions
        }
        Node node = table(call);
        Serializer ser = serializer(call, node);
        TableSource t = tables.open(store, node);
        if (index < 0 || index >= t.npartitions())
            throw TiledException.badRequest("Partition out of range: " + p.strip() + " (the table has " + switch (t.npartitions()) {
                case 0 -> "none)";
                case 1 -> "1 partition, 0)";
                default -> t.npartitions() + " partitions, 0 to " + (t.npartitions() - 1) + ")";
            });
        int partition = (int) index;
        checkColumns(t, columns);
        return responses.respond(call, node, ser, "partition=" + partition + "|columns=" + DataResponses.names(columns), -1, () -> t.readPartition(partition, columns), kept);
    }

    private Response full(Call call, List<String> columns) throws IOException {
        Node node = table(call);
        Serializer ser = serializer(call, node);
        TableSource t = tables.open(store, node);
        checkColumns(t, columns);
        return responses.respond(call, node, ser, "full|columns=" + DataResponses.names(columns), -1, () -> t.readAll(columns), kept);
    }

    private static void checkColumns(TableSource t, List<String> columns) {
        for (String c : columns) if (!t.columns().contains(c)) throw TiledException.badRequest("No such field " + c + ".");
    }
}
