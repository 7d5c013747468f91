package dev.tiledgateway.core.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.awkward.AwkwardArray;
import dev.tiledgateway.core.awkward.AwkwardBuffers;
import dev.tiledgateway.core.awkward.AwkwardStore;
import dev.tiledgateway.core.awkward.Form;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.http.QueryParams;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.write.ManagedArea;
import dev.tiledgateway.core.write.WriteLimits;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Awkward ({@code PUT /awkward/full}) and ragged ({@code PUT /ragged/full}, {@code PUT /ragged/block?block=i},
 * {@code PATCH /ragged/full?offset=&shape=&extend=true}) writes (spec §3.9, §3.10): zipped buffers, checked against
 * the node's form and length before anything is stored, kept in the layout the read routes read
 * ({@link AwkwardStore}), every write as a new version of the whole array switched to in one compare-and-set of
 * the node. A block or an append rewrites the whole ragged array, so a ragged array is bounded by
 * {@link #MAX_RAGGED_BYTES}.
 */
public final class AwkwardWriteRoutes implements RouteGroup {

    /** The most bytes of buffers one written ragged array holds (a block or an append rewrites them all). */
    public static final long MAX_RAGGED_BYTES = 32L << 20;
    /** The mimetypes that create an awkward or ragged node here (the client's, Tiled's default, ours). */
    static final Set<String> CREATION_MIMETYPES = Set.of(AwkwardStore.MIMETYPE, "application/x-ragged+sql");

    private final Nodes nodes;
    private final WrittenNodes written;
    private final BlobStore store;

    public AwkwardWriteRoutes(Nodes nodes, BlobStore store) {
        this.nodes = nodes;
        this.written = new WrittenNodes(nodes);
        this.store = store;
    }

    @Override
    public void register(Registrar r) {
        r.add("PUT", "awkward/full", ArrayWriteRoutes.WRITING, this::awkward);
        r.add("PUT", "ragged/full", ArrayWriteRoutes.WRITING, c -> ragged(c, false));
        r.add("PUT", "ragged/block", ArrayWriteRoutes.WRITING, c -> ragged(c, true));
        r.add("PATCH", "ragged/full", ArrayWriteRoutes.WRITING, this::append);
    }

    // ---- creation (called by CreateRoutes) ----

    /** The structure to store for an awkward node: its form (checked) and length. */
    static ObjectNode awkwardStructure(JsonNode s) {
        if (s == null || !s.isObject() || !s.path("form").isObject()) throw TiledException.unprocessable("The awkward structure needs a form object and a length");
        JsonNode length = s.get("length");
        if (length == null || !length.isIntegralNumber() || !length.canConvertToLong() || length.asLong() < 0)
            throw TiledException.unprocessable("The awkward structure's length must be a non-negative integer");
        Form form = AwkwardBuffers.form(s.get("form"));
        AwkwardArray empty = AwkwardBuffers.empty(form, length.asLong());
        if (AwkwardBuffers.bytes(empty) > WriteLimits.MAX_BODY_BYTES)
            throw TiledException.unprocessable("An awkward array of this form and length takes more than one request (" + WriteLimits.MAX_BODY_BYTES
                    + " bytes) even when empty, and is written whole in one request");
        ObjectNode out = Json.object();
        out.put("length", length.asLong());
        out.set("form", s.get("form").deepCopy());
        return out;
    }

    /** The structure to store for a ragged node: the sent one, checked, with its size as stored (nothing yet). */
    static ObjectNode raggedStructure(JsonNode s) {
        if (s == null || !s.isObject()) throw TiledException.unprocessable("The ragged array's data source needs a structure object");
        JsonNode shape = s.get("shape"), chunks = s.get("chunks");
        if (shape == null || !shape.isArray() || shape.isEmpty() || shape.size() > WriteLimits.MAX_NDIM)
            throw TiledException.unprocessable("The ragged structure needs a shape of 1 to " + WriteLimits.MAX_NDIM + " dimensions");
        if (chunks == null || !chunks.isArray() || chunks.size() != shape.size())
            throw TiledException.unprocessable("The ragged structure needs chunks, one entry per dimension of its shape");
        JsonNode rows = shape.get(0);
        if (!rows.isIntegralNumber() || !rows.canConvertToLong() || rows.asLong() < 0)
            throw TiledException.unprocessable("The first dimension of a ragged array must be a non-negative integer");
        for (int d = 1; d < shape.size(); d++) {
            JsonNode n = shape.get(d);
            if (!n.isNull() && (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 0))
                throw TiledException.unprocessable("Each dimension after the first is null (variable) or a non-negative integer, not " + n);
        }
        if (!chunks.get(0).isArray()) throw TiledException.unprocessable("chunks[0] must list the rows of each block");
        long sum = 0;
        for (JsonNode c : chunks.get(0)) {
            if (!c.isIntegralNumber() || !c.canConvertToLong() || c.asLong() < 0) throw TiledException.unprocessable("Block lengths must be non-negative integers");
            sum += c.asLong();
        }
        if (sum != rows.asLong()) throw TiledException.unprocessable("The blocks of chunks[0] add up to " + sum + " rows, not the shape's " + rows.asLong());
        if (chunks.get(0).size() > WriteLimits.MAX_PARTITIONS) throw TiledException.unprocessable("A ragged array of at most " + WriteLimits.MAX_PARTITIONS + " blocks can be written");
        ObjectNode out = Json.object();
        out.set("data_type", s.get("data_type") == null ? Json.nullNode() : s.get("data_type").deepCopy());
        out.set("shape", shape.deepCopy());
        out.put("size", 0);
        out.set("chunks", chunks.deepCopy());
        out.set("dims", s.get("dims") == null ? Json.nullNode() : s.get("dims").deepCopy());
        out.put("resizable", false);
        AwkwardArray empty = AwkwardBuffers.empty(Form.parse(AwkwardBuffers.raggedForm(out)), rows.asLong());
        if (AwkwardBuffers.bytes(empty) > MAX_RAGGED_BYTES) throw tooLarge(AwkwardBuffers.bytes(empty));
        out.put("size", AwkwardBuffers.elements(empty));
        return out;
    }

    /** The data source of a new awkward or ragged node: an empty array of its length under a first version. */
    static DataSource create(BlobStore store, String area, StructureFamily family, ObjectNode structure) throws IOException {
        String version = ManagedArea.newVersion(area);
        AwkwardArray empty = family == StructureFamily.AWKWARD
                ? AwkwardBuffers.empty(AwkwardBuffers.form(structure.get("form")), structure.get("length").asLong())
                : AwkwardBuffers.empty(Form.parse(AwkwardBuffers.raggedForm(structure)), structure.get("shape").get(0).asLong());
        AwkwardStore.write(store, version, empty.form().json(), empty.length(), empty.buffers());
        return new DataSource(AwkwardStore.MIMETYPE, List.of(new Asset(version, true, "data_uri")), ManagedArea.freshFingerprint(), DataSource.WRITABLE);
    }

    // ---- writes ----

    private Node writable(Call call, StructureFamily family) {
        Node node = written.writable(call, family);
        if (!AwkwardStore.MIMETYPE.equals(node.dataSource().mimetype()))
            throw TiledException.notAllowed("The gateway cannot write data of mimetype '" + node.dataSource().mimetype() + "'");
        return node;
    }

    private Response awkward(Call call) throws IOException {
        byte[] body = call.request().body();
        WriteLimits.checkBody(body);
        WrittenNodes.checkPersist(call.request().query());
        Node node = writable(call, StructureFamily.AWKWARD);
        Form form = AwkwardBuffers.form(node.structure().get("form"));
        AwkwardArray sent = AwkwardBuffers.checked(form, node.structure().get("length").asLong(), AwkwardBuffers.unzip(body));
        commit(call, node, current -> sent, null);
        return MetadataEncoding.respond(call, 200, Json.nullNode());
    }

    /** The array a ragged zip holds (its buffers, {@code length} and {@code form} entries), checked against the node's form. */
    private static AwkwardArray raggedBody(Node node, byte[] body) {
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>(AwkwardBuffers.unzip(body));
        byte[] lengthEntry = entries.remove("length"), formEntry = entries.remove("form");
        if (lengthEntry == null || lengthEntry.length != 8)
            throw TiledException.unprocessable("The ragged zip needs a 'length' entry: the number of rows, 8 bytes big-endian");
        long length = ByteBuffer.wrap(lengthEntry).getLong();
        Form form = Form.parse(AwkwardBuffers.raggedForm(node.structure()));
        if (formEntry != null) {
            Form sentForm;
            try {
                JsonNode f = Json.parse(formEntry);
                sentForm = AwkwardBuffers.form(f.isTextual() ? Json.parse(f.asText().getBytes(StandardCharsets.UTF_8)) : f);
            } catch (IOException e) {
                throw TiledException.unprocessable("The ragged zip's 'form' entry is not a JSON form");
            }
            if (!AwkwardBuffers.sameLayout(form, sentForm))
                throw TiledException.unprocessable("The ragged zip's form " + sentForm.json() + " is not this array's " + form.json()
                        + " (data type and dimensions as the node was created with)");
        }
        return AwkwardBuffers.checked(form, length, entries);
    }

    private Response ragged(Call call, boolean block) throws IOException {
        byte[] body = call.request().body();
        WriteLimits.checkBody(body);
        WrittenNodes.checkPersist(call.request().query());
        String blockParam = block ? call.request().query().first("block")
                .orElseThrow(() -> TiledException.unprocessable("Query parameter 'block' is required")) : null;
        Node node = writable(call, StructureFamily.RAGGED);
        long[] rows = block ? RaggedBlocks.rows(node.structure(), blockParam) : new long[] {0, node.structure().get("shape").get(0).asLong()};
        AwkwardArray sent = raggedBody(node, body);
        if (sent.length() != rows[1] - rows[0])
            throw TiledException.unprocessable("The zip holds " + sent.length() + " rows; " + (block ? "block " + blockParam : "the array") + " has "
                    + (rows[1] - rows[0]));
        commit(call, node, current -> {
            if (!block) return sent;
            AwkwardArray all = read(current);
            return AwkwardBuffers.concat(AwkwardBuffers.concat(all.rows(0, rows[0]), sent), all.rows(rows[1], all.length()));
        }, null);
        return MetadataEncoding.respond(call, 200, Json.nullNode());
    }

    private Response append(Call call) throws IOException {
        byte[] body = call.request().body();
        WriteLimits.checkBody(body);
        QueryParams q = call.request().query();
        boolean extend = WrittenNodes.extend(q);
        long offset = single(q, "offset"), count = single(q, "shape");
        Node node = writable(call, StructureFamily.RAGGED);
        long length = node.structure().get("shape").get(0).asLong();
        if (offset + count > length && !extend)
            throw TiledException.conflict("Rows at offset " + offset + " of count " + count + " do not fit within the current " + length
                    + " rows. Use ?extend=true to extend the array.");
        if (offset != length)
            throw TiledException.unprocessable("Ragged arrays are patched only by appending rows at the end: offset must be " + length + ", not " + offset);
        AwkwardArray sent = raggedBody(node, body);
        if (sent.length() != count) throw TiledException.unprocessable("The zip holds " + sent.length() + " rows; shape says " + count);
        Node committed = commit(call, node, current -> {
            if (current.structure().get("shape").get(0).asLong() != length)
                throw TiledException.conflict("Rows were appended to " + call.path() + " meanwhile; append again at offset "
                        + current.structure().get("shape").get(0).asLong());
            return AwkwardBuffers.concat(read(current), sent);
        }, count);
        return MetadataEncoding.respond(call, 200, committed.structure());
    }

    private static long single(QueryParams q, String name) {
        String v = q.first(name).orElseThrow(() -> TiledException.unprocessable("Query parameter '" + name + "' is required"));
        if (!v.matches("[0-9]{1,15}")) throw TiledException.unprocessable("Query parameter '" + name + "' must be one non-negative integer, not '" + v + "'");
        return Long.parseLong(v);
    }

    private AwkwardArray read(Node node) throws IOException {
        return AwkwardStore.read(store, node.dataSource().asset("data_uri").key(), k -> true);
    }

    @FunctionalInterface
    private interface Content {
        AwkwardArray of(Node current) throws IOException;
    }

    /**
     * Stores what {@code content} makes of the node as it is as a new version and switches the node to it; a ragged
     * node's structure follows (its size, and with {@code appended} rows its length and a block of them).
     */
    private Node commit(Call call, Node node, Content content, Long appended) throws IOException {
        String area = ManagedArea.nodeArea(node.dataSource().assets().getFirst().key());
        String[] version = {null}, replaced = {null};
        Node committed;
        try {
            committed = written.commit(node, current -> {
                if (version[0] != null) removeUnder(version[0]);
                AwkwardArray next = content.of(current);
                if (node.family() == StructureFamily.RAGGED && AwkwardBuffers.bytes(next) > MAX_RAGGED_BYTES) throw tooLarge(AwkwardBuffers.bytes(next));
                version[0] = ManagedArea.newVersion(area);
                AwkwardStore.write(store, version[0], next.form().json(), next.length(), next.buffers());
                replaced[0] = current.dataSource().asset("data_uri").key();
                ObjectNode structure = current.structure().deepCopy();
                if (node.family() == StructureFamily.RAGGED) {
                    structure.put("size", AwkwardBuffers.elements(next));
                    if (appended != null && appended > 0) {
                        ((ArrayNode) structure.get("shape")).set(0, Json.NODES.numberNode(next.length()));
                        ((ArrayNode) structure.get("chunks").get(0)).add(appended);
                    }
                }
                DataSource ds = current.dataSource();
                return new Node(current.path(), current.family(), current.metadata(), current.specs(), structure,
                        new DataSource(ds.mimetype(), List.of(new Asset(version[0], true, "data_uri")), ds.fingerprint(), ds.management()),
                        current.sorting(), current.revision());
            });
        } catch (RuntimeException | IOException e) {
            if (version[0] != null) removeUnder(version[0]);
            throw e;
        }
        // The version just replaced stays for readers that opened it; older ones go.
        ManagedArea.retire(store, area, version[0], replaced[0]);
        return committed;
    }

    private static TiledException tooLarge(long bytes) {
        return TiledException.unprocessable("The ragged array would hold " + bytes + " bytes; a written ragged array holds at most " + MAX_RAGGED_BYTES);
    }

    private void removeUnder(String prefix) {
        try {
            for (String k : store.list(prefix)) store.delete(k);
        } catch (IOException e) {
            // an unreferenced version; the node's deletion removes its whole area
        }
    }
}
