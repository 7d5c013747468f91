package dev.tiledgateway.core.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.format.ArrayReaders;
import dev.tiledgateway.core.format.TableReaders;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.store.BlobStore;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /register/{path}} (spec §3.11): a node over data that already lies in the object store, named by
 * data URIs. Only URIs the store can map to its own keys are accepted, and the data must open with a registered
 * reader before the node is written; an existing key is a 409.
 */
public final class RegisterRoutes implements RouteGroup {

    private final Nodes nodes;
    private final Catalog catalog;
    private final BlobStore store;
    private final ArrayReaders arrays;
    private final TableReaders tables;

    public RegisterRoutes(Nodes nodes, BlobStore store, ArrayReaders arrays, TableReaders tables) {
        this.nodes = nodes;
        this.catalog = nodes.catalog();
        this.store = store;
        this.arrays = arrays;
        this.tables = tables;
    }

    @Override
    public void register(Registrar r) {
        r.add("POST", "register", this::registerNode);
    }

    private Response registerNode(Call call) throws IOException {
        JsonNode body;
        try {
            body = Json.parse(call.request().body());
        } catch (IOException e) {
            throw TiledException.unprocessable("Body must be a JSON node description: " + e.getMessage());
        }
        if (body == null || !body.isObject()) throw TiledException.unprocessable("Body must be a JSON object");
        Node parent = nodes.lookup(call.path());
        if (!parent.isContainer()) throw TiledException.notAllowed("Cannot register under " + call.path() + ": it is a " + parent.family().wire());
        String key = body.hasNonNull("id") ? body.get("id").asText() : UUID.randomUUID().toString();
        if (key.isEmpty() || key.contains("/")) throw TiledException.unprocessable("Invalid key '" + key + "'");
        NodePath path = parent.path().child(key);
        StructureFamily family;
        try {
            family = StructureFamily.fromWire(body.path("structure_family").asText());
        } catch (IllegalArgumentException e) {
            throw TiledException.unprocessable(e.getMessage());
        }
        ObjectNode metadata = body.path("metadata").isObject() ? (ObjectNode) body.get("metadata") : Json.object();
        List<Spec> specs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode s : body.path("specs")) {
            String name = s.isTextual() ? s.asText() : s.path("name").asText();
            if (!seen.add(name)) throw TiledException.unprocessable("Spec '" + name + "' given twice");
            try {
                specs.add(new Spec(name, s.path("version").isTextual() ? s.get("version").asText() : null));
            } catch (IllegalArgumentException e) {
                throw TiledException.unprocessable(e.getMessage());
            }
        }
        JsonNode sources = body.path("data_sources");
        Node node;
        if (family == StructureFamily.CONTAINER) {
            if (sources.size() > 0) throw TiledException.unprocessable("A container has no data sources");
            node = new Node(path, family, metadata, specs, null, null, null, 0);
        } else {
            if (sources.size() != 1) throw TiledException.unprocessable("A " + family.wire() + " node needs exactly one data source");
            JsonNode ds = sources.get(0);
            DataSource source = dataSource(ds);
            JsonNode structure = ds.path("structure");
            check(family, source);
            node = new Node(path, family, metadata, specs, structure.isMissingNode() ? null : structure, source, null, 0);
        }
        if (catalog.get(path).isPresent()) throw TiledException.conflict(path.joined());
        ObjectNode answer = answer(call, node); // everything that can fail happens before the write
        catalog.put(node);
        return MetadataEncoding.respond(call, 200, answer);
    }

    private DataSource dataSource(JsonNode ds) {
        String mimetype = ds.path("mimetype").asText(null);
        if (mimetype == null || mimetype.isEmpty())
            throw TiledException.unprocessable("Registered data sources must name their mimetype (e.g. application/x-zarr)");
        List<Asset> assets = new ArrayList<>();
        for (JsonNode a : ds.path("assets")) {
            String uri = a.path("data_uri").asText();
            String which = "Asset " + assets.size();
            String key;
            try {
                // Said the same way whether or not something exists there, so refusals tell nothing about other files.
                key = store.keyOf(URI.create(uri)).orElseThrow(() -> TiledException.badRequest(
                        which + ": its data URI lies outside the data this server may read"));
            } catch (IllegalArgumentException e) {
                throw TiledException.unprocessable("Malformed data URI " + uri);
            }
            boolean dir = a.path("is_directory").asBoolean(false);
            assets.add(new Asset(dir && !key.endsWith("/") ? key + "/" : key, dir, a.path("parameter").asText("data_uri")));
        }
        if (assets.isEmpty()) throw TiledException.unprocessable("Registered data sources need at least one asset; use POST /metadata to create nodes without data");
        return new DataSource(mimetype, assets);
    }

    /** Opens the data once, so a node is never registered over data no reader can serve. */
    private void check(StructureFamily family, DataSource source) throws IOException {
        Node probe = new Node(NodePath.of("_probe/" + UUID.randomUUID()), family, Json.object(), List.of(), null, source, null, 0);
        try {
            switch (family) {
                case ARRAY -> arrays.open(store, source, "probe:" + UUID.randomUUID());
                case TABLE -> {
                    if (!tables.handles(source.mimetype())) throw unsupported(source);
                    tables.open(store, probe);
                }
                default -> throw TiledException.unsupportedMediaType("Registering " + family.wire() + " nodes is not supported; arrays and tables are");
            }
        } catch (TiledException e) {
            if (e.status() == 405) throw unsupported(source);
            throw e;
        } catch (CorruptDataException e) {
            throw TiledException.unprocessable("The data cannot be read as " + source.mimetype() + ": " + e.getMessage());
        }
    }

    private static TiledException unsupported(DataSource source) {
        return TiledException.unsupportedMediaType("This server cannot read data of mimetype '" + source.mimetype() + "'");
    }

    private ObjectNode answer(Call call, Node node) {
        ObjectNode o = Json.object();
        o.put("id", node.path().key());
        ObjectNode links = o.putObject("links");
        links.put("self", call.link("metadata", node.path()));
        ArrayNode sources = o.putArray("data_sources");
        if (node.dataSource() != null) sources.add(Resources.dataSource(node, store));
        return o;
    }
}
