package dev.tiledgateway.core.route;

import dev.tiledgateway.core.array.NDSlice;
import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.awkward.AwkwardArray;
import dev.tiledgateway.core.awkward.AwkwardStore;
import dev.tiledgateway.core.awkward.RaggedSelection;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.serialize.Serializer;
import dev.tiledgateway.core.serialize.SerializerRegistry;
import dev.tiledgateway.core.store.BlobStore;

import java.io.IOException;
import java.util.List;
import java.util.TreeSet;

/** Awkward ({@code /awkward/buffers}, {@code /awkward/full}) and ragged ({@code /ragged/full}, {@code /ragged/block}) reads. */
public final class AwkwardRoutes implements RouteGroup {

    private final Nodes nodes;
    private final BlobStore store;
    private final SerializerRegistry serializers;
    private final DataResponses responses;

    public AwkwardRoutes(Nodes nodes, BlobStore store, SerializerRegistry serializers, DataResponses responses) {
        this.nodes = nodes;
        this.store = store;
        this.serializers = serializers;
        this.responses = responses;
    }

    @Override
    public void register(Registrar r) {
        r.add("GET", "awkward/buffers", Scopes.DATA, c -> buffers(c, c.request().query().all("form_key")));
        r.add("POST", "awkward/buffers", Scopes.DATA, c -> buffers(c, JsonLists.fromBody(c, "form keys", List.of())));
        r.add("GET", "awkward/full", Scopes.DATA, c -> buffers(c, List.of()));
        r.add("GET", "ragged/full", Scopes.DATA, this::ragged);
        r.add("GET", "ragged/block", Scopes.DATA, this::raggedBlock);
    }

    private Node node(Call call, StructureFamily family) {
        Node node = nodes.lookup(call.path());
        if (node.family() != family) throw TiledException.notFound("No such " + family.wire() + " node: " + call.path() + " is a " + node.family().wire());
        if (node.dataSource() == null || !AwkwardStore.MIMETYPE.equals(node.dataSource().mimetype()))
            throw TiledException.notAllowed("This node's data cannot be read as awkward buffers");
        return node;
    }

    private Response buffers(Call call, List<String> formKeys) throws IOException {
        Node node = node(call, StructureFamily.AWKWARD);
        Serializer ser = serializers.negotiate(node, call.request().query().first("format"), call.request().headers().get("accept"));
        TreeSet<String> keys = new TreeSet<>(formKeys);
        String prefix = node.dataSource().asset("data_uri").key();
        return responses.respond(call, node, ser, "keys=" + DataResponses.names(keys), -1, () ->
                AwkwardStore.read(store, prefix, k -> keys.isEmpty() || keys.stream().anyMatch(k::startsWith)));
    }

    private Response ragged(Call call) throws IOException {
        Node node = node(call, StructureFamily.RAGGED);
        Serializer ser = serializers.negotiate(node, call.request().query().first("format"), call.request().headers().get("accept"));
        NDSlice slice = raggedSlice(call);
        String prefix = node.dataSource().asset("data_uri").key();
        return responses.respond(call, node, ser, "slice=" + slice.parts(), -1, () -> select(AwkwardStore.read(store, prefix, k -> true), slice));
    }

    /**
     * {@code GET /ragged/block/{path}?block=i}: the rows of block {@code i} along the first dimension (the structure's
     * {@code chunks[0]}), with an optional {@code slice=} inside the block, served as {@code /ragged/full} serves rows. The
     * node's {@code links.block} points here; Tiled itself only writes blocks there (PUT), which this gateway does not.
     */
    private Response raggedBlock(Call call) throws IOException {
        String blockParam = call.request().query().first("block")
                .orElseThrow(() -> TiledException.unprocessable("Query parameter 'block' is required"));
        NDSlice slice = raggedSlice(call);
        Node node = node(call, StructureFamily.RAGGED);
        long[] rows = RaggedBlocks.rows(node.structure(), blockParam);
        Serializer ser = serializers.negotiate(node, call.request().query().first("format"), call.request().headers().get("accept"));
        String prefix = node.dataSource().asset("data_uri").key();
        return responses.respond(call, node, ser, "rows=" + rows[0] + ":" + rows[1] + "|slice=" + slice.parts(), -1, () -> {
            AwkwardArray all = AwkwardStore.read(store, prefix, k -> true);
            if (rows[1] > all.length())
                throw TiledException.unprocessable("The stored ragged array has " + all.length() + " rows, fewer than its structure's blocks claim ("
                        + rows[1] + ")");
            return select(all.rows(rows[0], rows[1]), slice);
        });
    }

    private static NDSlice raggedSlice(Call call) {
        NDSlice slice = NDSlice.parse(call.request().query().first("slice").orElse(""));
        if (slice.parts().size() > 1) throw TiledException.unprocessable("Ragged arrays can only be sliced along their first dimension");
        return slice;
    }

    /** The rows (or the one element) of {@code rows} that {@code slice} picks along the first dimension. */
    private static RaggedSelection select(AwkwardArray rows, NDSlice slice) {
        if (slice.parts().isEmpty()) return new RaggedSelection(rows, null);
        NDSlice.Part p = slice.parts().get(0);
        var dim = new NDSlice(List.of(p)).resolve(new long[] {rows.length()}).dims()[0];
        if (dim.dropped()) return new RaggedSelection(rows.element(dim.start()), rows.row(dim.start()));
        if (dim.step() != 1 && dim.count() > 1) throw TiledException.unprocessable("Ragged arrays can only be sliced with step 1");
        return new RaggedSelection(rows.rows(dim.start(), dim.start() + dim.count()), null);
    }
}
