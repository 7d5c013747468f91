package dev.tiledgateway.core.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.array.ArrayPayload;
import dev.tiledgateway.core.array.ArraySlicer;
import dev.tiledgateway.core.array.Selection;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.container.DatasetPayload;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.format.ArrayReaders;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.serialize.Serializer;
import dev.tiledgateway.core.serialize.SerializerRegistry;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.structure.ArrayStructure;
import dev.tiledgateway.core.structure.StructureJson;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /container/full/{path}} (GET with {@code field=}, or POST with a JSON list): an xarray dataset's
 * variables as one wide table (spec §3.8), or a container's skeleton as JSON.
 */
public final class ContainerRoutes implements RouteGroup {

    private static final long MAX_SKELETON_NODES = 10_000;

    private final Nodes nodes;
    private final Catalog catalog;
    private final BlobStore store;
    private final ArrayReaders readers;
    private final ArraySlicer slicer;
    private final SerializerRegistry serializers;
    private final DataResponses responses;

    public ContainerRoutes(Nodes nodes, BlobStore store, ArrayReaders readers, ArraySlicer slicer, SerializerRegistry serializers,
                           DataResponses responses) {
        this.nodes = nodes;
        this.catalog = nodes.catalog();
        this.store = store;
        this.readers = readers;
        this.slicer = slicer;
        this.serializers = serializers;
        this.responses = responses;
    }

    @Override
    public void register(Registrar r) {
        r.add("GET", "container/full", c -> full(c, c.request().query().all("field")));
        r.add("POST", "container/full", c -> full(c, JsonLists.fromBody(c, "field names", c.request().query().all("field"))));
    }

    private Response full(Call call, List<String> fields) throws IOException {
        Node node = nodes.lookup(call.path());
        if (!node.isContainer()) throw TiledException.notFound("No such container: " + call.path() + " is a " + node.family().wire());
        Serializer ser = serializers.negotiate(node, call.request().query().first("format"), call.request().headers().get("accept"));
        List<Node> children = catalog.children(node.path(), List.of(), 0, Resources.MAX_INLINED);
        Set<String> keys = new LinkedHashSet<>();
        children.forEach(c -> keys.add(c.path().key()));
        for (String f : fields) if (!keys.contains(f)) throw TiledException.badRequest("No such field " + f + ".");
        String canonical = "fields=" + fields;
        if (ser.servesFor().contains(Resources.INLINE_SPEC) && node.hasSpec(Resources.INLINE_SPEC))
            return responses.respond(call, node, ser, canonical, -1, () -> dataset(children, fields));
        return responses.respond(call, node, ser, canonical, -1, () -> skeleton(node, fields));
    }

    /** The selected (or all) 0-d and 1-d variables; the coordinates named like their only dimension index them. */
    private DatasetPayload dataset(List<Node> children, List<String> fields) throws IOException {
        List<DatasetPayload.Variable> vars = new ArrayList<>();
        List<String> index = new ArrayList<>();
        Long length = null;
        for (Node child : children) {
            String key = child.path().key();
            if (!fields.isEmpty() && !fields.contains(key)) continue;
            if (child.family() != StructureFamily.ARRAY) throw TiledException.badRequest("Field " + key + " is not an array");
            ArrayStructure s = StructureJson.array(child.structure());
            if (s.ndim() > 1) throw TiledException.badRequest("Variable " + key + " has " + s.ndim() + " dimensions; only 0-d and 1-d variables form a table");
            long n = s.ndim() == 0 ? 1 : s.shape()[0];
            if (length != null && n != length) throw TiledException.badRequest("Variables of different lengths do not form one table");
            length = n;
            byte[] bytes = slicer.read(readers.open(store, child), Selection.all(s.shape()));
            vars.add(new DatasetPayload.Variable(key, new ArrayPayload(s.dataType(), s.shape(), bytes)));
            if (s.ndim() == 1 && s.dims() != null && s.dims().size() == 1 && s.dims().get(0).equals(key)) index.add(key);
        }
        return new DatasetPayload(vars, index);
    }

    /** {@code {"contents": {key: {...}}, "metadata": {...}}} without data, as upstream's JSON export of a container. */
    private JsonNode skeleton(Node node, List<String> fields) {
        long[] budget = {MAX_SKELETON_NODES};
        return skeletonOf(node, fields, budget);
    }

    private ObjectNode skeletonOf(Node node, List<String> fields, long[] budget) {
        if (--budget[0] < 0) throw TiledException.badRequest("This container is too large to export as one document");
        ObjectNode o = Json.object();
        if (node.isContainer()) {
            ObjectNode contents = o.putObject("contents");
            for (Node child : catalog.children(node.path(), List.of(), 0, Resources.MAX_INLINED)) {
                if (!fields.isEmpty() && !fields.contains(child.path().key())) continue;
                contents.set(child.path().key(), skeletonOf(child, List.of(), budget));
            }
        }
        o.set("metadata", node.metadata() == null ? Json.object() : node.metadata());
        return o;
    }
}
