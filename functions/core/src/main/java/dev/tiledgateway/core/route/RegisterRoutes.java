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
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.format.ArrayReaders;
import dev.tiledgateway.core.format.TableReaders;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.structure.ClaimedStructures;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
        NodeRequest req = NodeRequest.parse(call, nodes, "Cannot register under %s: it is a %s");
        Node node;
        if (req.family() == StructureFamily.CONTAINER) {
            node = new Node(req.path(), req.family(), req.metadata(), req.specs(), null, null, null, 0);
        } else {
            DataSource source = fingerprinted(dataSource(req.dataSource()));
            JsonNode structure = structureOf(req.family(), source, req.dataSource().get("structure"));
            node = new Node(req.path(), req.family(), req.metadata(), req.specs(), structure, source, null, 0);
        }
        Optional<Node> taken = catalog.get(req.path());
        if (taken.isPresent()) throw req.taken(taken.get());
        SpecRules.checkCreation(catalog, req.parent(), node);
        ObjectNode answer = answer(call, node); // everything that can fail happens before the write
        if (catalog.createIfAbsent(node).isEmpty()) throw req.taken(catalog.get(req.path()).orElse(node));
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
