package dev.tiledgateway.core.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.auth.Scopes;
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
import dev.tiledgateway.core.structure.ClaimedStructures;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /register/{path}} (spec §3.11): a node over data that already lies in the object store, named by
 * data URIs. Only URIs the store can map to its own keys are accepted, and the data must open with a registered
 * reader before the node is written; the stored structure is the data's (one sent by the client must agree with
 * it, see {@link ClaimedStructures}); an existing key is a 409. The body must be declared as JSON, so a browser
 * cannot send it cross-origin without a preflight.
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
        r.add("POST", "register", Scopes.REGISTERING, this::registerNode);
    }

    private Response registerNode(Call call) throws IOException {
        JsonBodies.requireJson(call.request());
        JsonNode body = JsonBodies.parse(call.request().body(), "Body");
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
        if (!sources.isMissingNode() && !sources.isNull() && !sources.isArray()) throw TiledException.unprocessable("data_sources must be a list");
        Node node;
        if (family == StructureFamily.CONTAINER) {
            if (sources.size() > 0) throw TiledException.unprocessable("A container has no data sources");
            node = new Node(path, family, metadata, specs, null, null, null, 0);
        } else {
            if (sources.size() != 1) throw TiledException.unprocessable("A " + family.wire() + " node needs exactly one data source");
            JsonNode ds = sources.get(0);
            if (!ds.isObject()) throw TiledException.unprocessable("A data source must be a JSON object");
            if (ds.path("structure_family").isTextual() && !ds.get("structure_family").asText().equals(family.wire()))
                throw TiledException.unprocessable("The data source's structure_family '" + ds.get("structure_family").asText()
                        + "' differs from the node's '" + family.wire() + "'");
            DataSource source = fingerprinted(dataSource(ds));
            JsonNode structure = structureOf(family, source, ds.get("structure"));
            node = new Node(path, family, metadata, specs, structure, source, null, 0);
        }
        Optional<Node> taken = catalog.get(path);
        if (taken.isPresent())
            throw TiledException.conflict("The path " + path + " is taken: " + article(taken.get().family().wire()) + " node is registered"
                    + " there already. Send another \"id\" (the key under " + parent.path() + "), or register under another container.");
        ObjectNode answer = answer(call, node); // everything that can fail happens before the write
        catalog.put(node);
        return MetadataEncoding.respond(call, 200, answer);
    }

    /**
     * The data source with a fingerprint of its own: a node registered by URI is not followed by the indexer, so
     * its identity is the registration itself. Results and cached readers of an earlier node at the same path (whose
     * revisions started at 1 just the same) are never taken for this one's, and no listing of a large folder
     * asset is needed to say so.
     */
    private static DataSource fingerprinted(DataSource source) {
        return source.withFingerprint("registered-" + UUID.randomUUID());
    }

    private DataSource dataSource(JsonNode ds) {
        String mimetype = ds.path("mimetype").asText(null);
        if (mimetype == null || mimetype.isEmpty())
            throw TiledException.unprocessable("Registered data sources must name their mimetype (e.g. application/x-zarr)");
        List<Asset> assets = new ArrayList<>();
        for (JsonNode a : ds.path("assets")) {
            String which = "Asset " + assets.size();
            URI uri = dataUri(a.path("data_uri"), which);
            // Said the same way whether or not something exists there, so refusals tell nothing about other files.
            String key = store.keyOf(uri).orElseThrow(() -> TiledException.badRequest(
                    which + ": its data URI lies outside the data this server may read"));
            boolean dir = a.path("is_directory").asBoolean(false);
            assets.add(new Asset(dir && !key.endsWith("/") ? key + "/" : key, dir, a.path("parameter").asText("data_uri")));
        }
        if (assets.isEmpty())
            throw TiledException.unprocessable("The data source has no assets: list the data in \"assets\", each as"
                    + " {\"data_uri\": ..., \"is_directory\": ..., \"parameter\": ...} with a data URI this server may read"
                    + " (file:///... or s3://bucket/key). A node without data can only be a container: send \"structure_family\":"
                    + " \"container\" and no data_sources.");
        return new DataSource(mimetype, assets);
    }

    /** An absolute, hierarchical URI ({@code file:///abs/path}, {@code s3://bucket/key}); 422 for anything else. */
    private static URI dataUri(JsonNode text, String which) {
        String form = which + ": a data URI must be absolute, as file:///absolute/path, file://localhost/absolute/path or s3://bucket/key";
        if (!text.isTextual()) throw TiledException.unprocessable(form);
        URI uri;
        try {
            uri = new URI(text.asText());
        } catch (URISyntaxException e) {
            throw TiledException.unprocessable(which + ": its data URI is malformed (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
        String ssp = uri.getRawSchemeSpecificPart();
        if (uri.getScheme() == null || uri.isOpaque() || ssp == null || !ssp.startsWith("//")) throw TiledException.unprocessable(form);
        return uri;
    }

    /** Reads the data once for its structure, so a node is never registered over data no reader can serve as it claims. */
    private ObjectNode structureOf(StructureFamily family, DataSource source, JsonNode claimed) throws IOException {
        try {
            return switch (family) {
                case ARRAY -> ClaimedStructures.array(claimed, arrays.openUncached(store, source).structure());
                case TABLE -> {
                    if (!tables.handles(source.mimetype())) throw unsupported(source);
                    yield ClaimedStructures.table(claimed, tables.openUncached(store, source).structure());
                }
                default -> throw TiledException.unsupportedMediaType("Registering " + family.wire() + " nodes is not supported; arrays and tables are");
            };
        } catch (TiledException e) {
            if (e.status() == 405) throw unsupported(source);
            throw e;
        } catch (CorruptDataException e) {
            throw TiledException.unprocessable("The data cannot be read as " + source.mimetype() + ": " + e.getMessage());
        } catch (IllegalStateException e) {
            // The reader looked for an asset parameter the client did not send (e.g. data_uris for a Zarr).
            throw TiledException.unprocessable("The data source does not fit the " + source.mimetype() + " reader: " + e.getMessage());
        }
    }

    private static String article(String word) { return ("aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word; }

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
