package dev.tiledgateway.core.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.awkward.AwkwardStore;
import dev.tiledgateway.core.sparse.SparseLayout;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.structure.ArrayStructure;
import dev.tiledgateway.core.structure.StructureJson;
import dev.tiledgateway.core.write.ArrayLayouts;
import dev.tiledgateway.core.write.ArrayWriter;
import dev.tiledgateway.core.write.DataWriters;
import dev.tiledgateway.core.write.ManagedArea;
import dev.tiledgateway.core.write.TableWriter;
import dev.tiledgateway.core.write.WriteLimits;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /metadata/{path}} (spec §3.11): creates a child whose data will be written through the API. A
 * container has no data; an array is stored as Zarr v2 and a table as one Parquet object per partition, in a managed
 * area of its own ({@link ManagedArea}), under a data source marked {@code writable}. The structure is checked
 * (and the storage's metadata written) before the node is created with {@link Catalog#createIfAbsent}: a taken key
 * is a 409 and leaves nothing behind.
 */
public final class CreateRoutes implements RouteGroup {

    static final Set<String> CREATING = Set.of(Scopes.WRITE_METADATA, Scopes.CREATE_NODE);

    private final Nodes nodes;
    private final Catalog catalog;
    private final BlobStore store;
    private final DataWriters writers;

    public CreateRoutes(Nodes nodes, BlobStore store, DataWriters writers) {
        this.nodes = nodes;
        this.catalog = nodes.catalog();
        this.store = store;
        this.writers = writers;
    }

    @Override
    public void register(Registrar r) {
        r.add("POST", "metadata", CREATING, this::create);
    }

    private Response create(Call call) throws IOException {
        WriteLimits.checkBody(call.request().body());
        NodeRequest req = NodeRequest.parse(call, nodes, "Data cannot be written at the path %s: it is a %s, not a container");
        Optional<Node> taken = catalog.get(req.path());
        if (taken.isPresent()) throw req.taken(taken.get());
        if (req.family() == StructureFamily.CONTAINER) {
            Node node = Node.container(req.path(), req.metadata(), req.specs());
            SpecRules.checkCreation(catalog, req.parent(), node);
            if (catalog.createIfAbsent(node).isEmpty()) throw req.taken(catalog.get(req.path()).orElse(node));
            return MetadataEncoding.respond(call, 200, answer(call, node));
        }
        JsonNode ds = req.dataSource();
        if (ds.path("assets").isArray() && !ds.get("assets").isEmpty())
            throw TiledException.unprocessable("The data source lists assets: data that already exists is registered with POST /register/"
                    + call.path().joined() + ", not created with POST /metadata (whose data is written afterwards through the API)");
        String mimetype = ds.path("mimetype").isTextual() && !ds.get("mimetype").asText().isEmpty() ? ds.get("mimetype").asText() : null;
        String area = ManagedArea.newNode();
        Node node = switch (req.family()) {
            case ARRAY -> array(req, mimetype == null ? DataWriters.DEFAULT_ARRAY : mimetype, ds.get("structure"), area);
            case TABLE -> table(req, mimetype == null ? DataWriters.DEFAULT_TABLE : mimetype, ds.get("structure"), area);
            case SPARSE -> sparse(req, mimetype, ds.get("structure"), area);
            case AWKWARD, RAGGED -> awkward(req, mimetype, ds.get("structure"), area);
            default -> throw TiledException.unsupportedMediaType("Writing " + req.family().wire() + " nodes is not supported here;"
                    + " containers, arrays (" + writers.arrayMimetypes() + "), tables (" + writers.tableMimetypes() + "), sparse, awkward and ragged arrays are");
        };
        Optional<Node> created;
        try {
            SpecRules.checkCreation(catalog, req.parent(), node);
            created = catalog.createIfAbsent(node);
        } catch (RuntimeException e) {
            discard(area);
            throw e;
        }
        if (created.isEmpty()) {
            discard(area);
            throw req.taken(catalog.get(req.path()).orElse(node));
        }
        return MetadataEncoding.respond(call, 200, answer(call, created.get()));
    }

    private Node array(NodeRequest req, String mimetype, JsonNode structure, String area) throws IOException {
        ArrayWriter writer = writers.array(mimetype).orElseThrow(() -> TiledException.unsupportedMediaType(
                "The gateway cannot write arrays as '" + mimetype + "'; it writes " + writers.arrayMimetypes() + " (or send mimetype null)"));
        ArrayStructure s = ArrayLayouts.forCreation(structure);
        writer.refusal(s).ifPresent(why -> { throw TiledException.unprocessable(why); });
        String version = ManagedArea.newVersion(area);
        writer.writeMetadata(store, version, s);
        DataSource source = new DataSource(mimetype, List.of(new Asset(version, true, "data_uri")), ManagedArea.freshFingerprint(), DataSource.WRITABLE);
        return new Node(req.path(), StructureFamily.ARRAY, req.metadata(), req.specs(), StructureJson.array(s), source, null, 0);
    }

    private Node table(NodeRequest req, String mimetype, JsonNode structure, String area) throws IOException {
        TableWriter writer = writers.table(mimetype).orElseThrow(() -> TiledException.unsupportedMediaType(
                "The gateway cannot write tables as '" + mimetype + "'; it writes " + writers.tableMimetypes() + " (or send mimetype null)"));
        if (structure == null || !structure.isObject()) throw TiledException.unprocessable("The table's data source needs a structure object");
        JsonNode np = structure.get("npartitions");
        if (np == null || !np.isIntegralNumber() || np.asLong() < 1 || np.asLong() > WriteLimits.MAX_PARTITIONS)
            throw TiledException.unprocessable("npartitions must be an integer from 1 to " + WriteLimits.MAX_PARTITIONS);
        writer.refusal(structure).ifPresent(why -> { throw TiledException.unprocessable(why); });
        ObjectNode stored = structure.deepCopy();
        stored.put("resizable", false);
        List<Asset> assets = new ArrayList<>();
        for (int i = 0; i < np.asInt(); i++) assets.add(new Asset(partitionKey(area, i, writer), false, "data_uris"));
        for (Asset a : assets) writer.writeEmpty(store, a.key(), stored);
        DataSource source = new DataSource(mimetype, assets, ManagedArea.freshFingerprint(), DataSource.WRITABLE);
        return new Node(req.path(), StructureFamily.TABLE, req.metadata(), req.specs(), stored, source, null, 0);
    }

    private Node sparse(NodeRequest req, String mimetype, JsonNode structure, String area) throws IOException {
        if (mimetype != null && !SparseWrites.CREATION_MIMETYPES.contains(mimetype))
            throw TiledException.unsupportedMediaType("The gateway cannot write sparse arrays as '" + mimetype + "'; it stores them as "
                    + SparseLayout.MIMETYPE + " (send mimetype null)");
        ObjectNode stored = SparseWrites.forCreation(structure);
        DataSource source = SparseWrites.create(store, writers, area, stored);
        return new Node(req.path(), StructureFamily.SPARSE, req.metadata(), req.specs(), stored, source, null, 0);
    }

    private Node awkward(NodeRequest req, String mimetype, JsonNode structure, String area) throws IOException {
        if (mimetype != null && !AwkwardWriteRoutes.CREATION_MIMETYPES.contains(mimetype))
            throw TiledException.unsupportedMediaType("The gateway cannot write " + req.family().wire() + " arrays as '" + mimetype + "'; it stores them as "
                    + AwkwardStore.MIMETYPE + " (send mimetype null)");
        ObjectNode stored = req.family() == StructureFamily.AWKWARD ? AwkwardWriteRoutes.awkwardStructure(structure) : AwkwardWriteRoutes.raggedStructure(structure);
        DataSource source = AwkwardWriteRoutes.create(store, area, req.family(), stored);
        return new Node(req.path(), req.family(), req.metadata(), req.specs(), stored, source, null, 0);
    }

    static String partitionKey(String area, int partition, TableWriter writer) {
        return area + "partition-%05d%s".formatted(partition, writer.suffix());
    }

    /** Removes what was stored for a node that was not created (best effort: the area is unique and unreferenced). */
    private void discard(String area) {
        try {
            for (String k : store.list(area)) store.delete(k);
        } catch (IOException e) {
            // an unreferenced area; nothing reads it
        }
    }

    private ObjectNode answer(Call call, Node node) {
        ObjectNode o = Json.object();
        o.put("id", node.path().key());
        o.set("links", Resources.links(call, node));
        ArrayNode sources = o.putArray("data_sources");
        if (node.dataSource() != null) sources.add(Resources.dataSource(node, store));
        return o;
    }
}
