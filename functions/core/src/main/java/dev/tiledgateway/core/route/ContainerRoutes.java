package dev.tiledgateway.core.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.array.ArrayPayload;
import dev.tiledgateway.core.array.ArraySlicer;
import dev.tiledgateway.core.array.Selection;
import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.container.DatasetLayout;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@code /container/full/{path}} (GET with {@code field=}, or POST with a JSON list): an xarray dataset's
 * variables as one wide table (spec §3.8), laid out as xarray's {@code to_dataframe()} (a row per point of the product
 * of the dimensions), or a container's skeleton as JSON.
 */
public final class ContainerRoutes implements RouteGroup {

    private static final long MAX_SKELETON_NODES = 10_000;
    /** The spec of an xarray dataset's coordinates; its other arrays are data variables. */
    private static final String COORD_SPEC = "xarray_coord";

    private final Nodes nodes;
    private final Catalog catalog;
    private final BlobStore store;
    private final ArrayReaders readers;
    private final ArraySlicer slicer;
    private final SerializerRegistry serializers;
    private final DataResponses responses;
    private final GatewayConfig config;

    public ContainerRoutes(Nodes nodes, BlobStore store, ArrayReaders readers, ArraySlicer slicer, SerializerRegistry serializers,
                           DataResponses responses, GatewayConfig config) {
        this.nodes = nodes;
        this.catalog = nodes.catalog();
        this.store = store;
        this.readers = readers;
        this.slicer = slicer;
        this.serializers = serializers;
        this.responses = responses;
        this.config = config;
    }

    @Override
    public void register(Registrar r) {
        r.add("GET", "container/full", Scopes.DATA, c -> full(c, c.request().query().all("field")));
        r.add("POST", "container/full", Scopes.DATA, c -> full(c, JsonLists.fromBody(c, "field names", c.request().query().all("field"))));
    }

    private Response full(Call call, List<String> fields) throws IOException {
        Node node = nodes.lookup(call.path());
        if (!node.isContainer()) throw TiledException.notFound("No such container: " + call.path() + " is a " + node.family().wire());
        Serializer ser = serializers.negotiate(node, call.request().query().first("format"), call.request().headers().get("accept"));
        List<Node> children = catalog.children(node.path(), List.of(), 0, Resources.MAX_INLINED);
        Map<String, Node> byKey = new LinkedHashMap<>();
        children.forEach(c -> byKey.put(c.path().key(), c));
        for (String f : fields) if (!byKey.containsKey(f)) throw TiledException.badRequest("No such field " + f + ".");
        String canonical = "fields=" + DataResponses.names(fields);
        if (ser.servesFor().contains(Resources.INLINE_SPEC) && node.hasSpec(Resources.INLINE_SPEC)) {
            List<Variable> variables = variables(fields.isEmpty() ? children : new LinkedHashSet<>(fields).stream().map(byKey::get).toList());
            checkTableSize(variables);
            return responses.respond(call, node, ser, canonical, -1, () -> dataset(variables));
        }
        return responses.respond(call, node, ser, canonical, -1, () -> skeleton(node, fields));
    }

    /** A selected child as a dataset variable: its node and structure. */
    private record Variable(Node node, ArrayStructure structure) {
        String name() { return node.path().key(); }

        DatasetLayout.Shape shape() { return new DatasetLayout.Shape(name(), structure.dims(), structure.shape()); }
    }

    /**
     * The selected children in the order upstream builds the dataset: data variables, then coordinates (spec
     * {@code xarray_coord}), each in the order given.
     */
    private static List<Variable> variables(List<Node> selected) {
        List<Variable> dataVars = new ArrayList<>();
        List<Variable> coords = new ArrayList<>();
        for (Node child : selected) {
            String key = child.path().key();
            if (child.family() != StructureFamily.ARRAY) throw TiledException.badRequest("Field " + key + " is not an array");
            Variable v = new Variable(child, StructureJson.array(child.structure()));
            (child.hasSpec(COORD_SPEC) ? coords : dataVars).add(v);
        }
        dataVars.addAll(coords);
        return dataVars;
    }

    /** Refuses, before anything is read, a table that the dataset's shapes cannot form or that would be over the response limit. */
    private void checkTableSize(List<Variable> variables) {
        DatasetLayout layout;
        try {
            layout = DatasetLayout.of(variables.stream().map(Variable::shape).toList(), List.of());
        } catch (IllegalArgumentException e) {
            throw TiledException.unprocessable("This dataset's variables do not form one table: " + e.getMessage());
        }
        long rowBytes = 0;
        for (Variable v : variables) rowBytes += v.structure().dataType().itemsize();
        for (String d : layout.indexLevels()) if (!layout.isIndexCoordinate(d)) rowBytes += Long.BYTES;
        long bytes = layout.rows() > 0 && rowBytes > Long.MAX_VALUE / layout.rows() ? Long.MAX_VALUE : layout.rows() * rowBytes;
        if (bytes > config.responseByteLimit())
            throw TiledException.badRequest(String.format(java.util.Locale.ROOT,
                    "This dataset's table would have %,d rows (the product of its dimensions %s), about %,d bytes, over the limit of "
                            + "%,d bytes per response. Select fewer variables with 'field=' or read them as arrays.",
                    layout.rows(), layout.indexLevels(), bytes, config.responseByteLimit()));
    }

    /** The selected variables read whole; the table writer lays them out as xarray's {@code to_dataframe()}. */
    private DatasetPayload dataset(List<Variable> variables) throws IOException {
        List<DatasetPayload.Variable> vars = new ArrayList<>();
        for (Variable v : variables) {
            ArrayStructure s = v.structure();
            byte[] bytes = slicer.read(readers.open(store, v.node()), Selection.all(s.shape()));
            vars.add(new DatasetPayload.Variable(v.name(), s.dims(), new ArrayPayload(s.dataType(), s.shape(), bytes)));
        }
        return new DatasetPayload(vars, List.of());
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
