package dev.tiledgateway.core.route;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.CatalogJson;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Revision;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.http.QueryParams;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.patch.JsonPatch;
import dev.tiledgateway.core.patch.MergePatch;
import dev.tiledgateway.core.path.NodePath;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Metadata updates (spec §3.13) and revisions (§3.15): {@code PUT /metadata} replaces a node's metadata and specs,
 * {@code PATCH /metadata} patches them (JSON Patch or JSON Merge Patch, named by the body's own "content-type"),
 * {@code GET /revisions} lists what they were before each update, {@code DELETE /revisions} forgets one.
 *
 * <p>Each update reads the node, computes its new metadata and writes it conditioned on the revision read
 * ({@link Catalog#updateMetadata}); when another update won meanwhile it reads again and recomputes, so two concurrent
 * patches both land, each on top of the other, and a PUT replaces whatever it finds (without If-Match a stale view
 * cannot be told from a fresh one). After {@link #MAX_ATTEMPTS} lost races the answer is a 409.
 */
public final class MetadataUpdateRoutes implements RouteGroup {

    static final String JSON_PATCH = "application/json-patch+json";
    static final String MERGE_PATCH = "application/merge-patch+json";
    /** Reads and conditional writes one update tries before it gives up with a 409. */
    static final int MAX_ATTEMPTS = 10;
    /**
     * The largest body an update is parsed from: new metadata within {@link Node#MAX_METADATA_BYTES} plus, for a patch,
     * room for the old values its tests carry, and the specs. Checked before parsing.
     */
    static final int MAX_BODY_BYTES = 2 * Node.MAX_METADATA_BYTES + 64 * 1024;
    /** What a JSON Patch's copies may duplicate in all (each copy can double a document). */
    static final long MAX_COPIED_BYTES = 2L * Node.MAX_METADATA_BYTES;
    static final int MAX_SPECS = 20;

    private static final Set<String> WRITING = Set.of(Scopes.WRITE_METADATA);
    private static final Set<String> DELETING = Set.of(Scopes.DELETE_REVISION);

    private final Nodes nodes;
    private final Catalog catalog;

    public MetadataUpdateRoutes(Nodes nodes) {
        this.nodes = nodes;
        this.catalog = nodes.catalog();
    }

    @Override
    public void register(Registrar r) {
        r.add("PUT", "metadata", WRITING, this::replace);
        r.add("PATCH", "metadata", WRITING, this::patch);
        r.add("GET", "revisions", Scopes.METADATA, this::revisions);
        r.add("DELETE", "revisions", DELETING, this::deleteRevision);
    }

    /** New metadata and specs for a node. */
    private record Edit(ObjectNode metadata, List<Spec> specs) {}

    private Response replace(Call call) {
        ObjectNode body = body(call);
        JsonNode metadata = body.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) throw TiledException.unprocessable("\"metadata\" must be a JSON object or null");
        JsonNode specsSent = body.get("specs");
        List<Spec> specs = specsSent == null || specsSent.isNull() ? null : specs(specsSent);
        update(call, node -> new Edit(metadata == null || metadata.isNull() ? node.metadata() : (ObjectNode) metadata, specs == null ? node.specs() : specs));
        return answer(call, changesAccessBlob(body.get("access_blob")));
    }

    private Response patch(Call call) {
        ObjectNode body = body(call);
        JsonNode type = body.get("content-type");
        if (type == null || type.isNull()) throw TiledException.unprocessable("The body must name its patch type in \"content-type\": " + JSON_PATCH + " or " + MERGE_PATCH);
        JsonNode metadata = body.get("metadata");
        JsonNode specs = body.get("specs");
        Function<Node, Edit> edit;
        switch (type.asText()) {
            case JSON_PATCH -> {
                JsonPatch metadataPatch = present(metadata) ? JsonPatch.parse(metadata, MAX_COPIED_BYTES) : null;
                JsonPatch specsPatch = present(specs) ? JsonPatch.parse(specs, MAX_COPIED_BYTES) : null;
                edit = node -> new Edit(
                        metadataPatch == null ? node.metadata() : object(metadataPatch.apply(metadataOf(node))),
                        specsPatch == null ? node.specs() : specs(specsPatch.apply(CatalogJson.specs(node.specs()))));
            }
            case MERGE_PATCH -> {
                // specs: null leaves them, a list replaces them ([] clears), as merging a list does.
                List<Spec> replaced = present(specs) ? specs(specs) : null;
                edit = node -> new Edit(
                        present(metadata) ? object(MergePatch.apply(metadataOf(node), metadata)) : node.metadata(),
                        replaced == null ? node.specs() : replaced);
            }
            default -> throw TiledException.notAcceptable("valid content types: " + JSON_PATCH + ", " + MERGE_PATCH);
        }
        update(call, edit);
        return answer(call, changesAccessBlob(body.get("access_blob")));
    }

    private static boolean present(JsonNode v) { return v != null && !v.isNull(); }

    private static JsonNode metadataOf(Node node) { return node.metadata() == null ? Json.object() : node.metadata(); }

    private static ObjectNode object(JsonNode patched) {
        if (patched instanceof ObjectNode o) return o;
        throw TiledException.unprocessable("The patched metadata must be a JSON object, not " + patched.getNodeType().name().toLowerCase());
    }

    /** Reads, edits and writes under the revision read, again while another update wins; 409 when it never gets its turn. */
    private void update(Call call, Function<Node, Edit> edit) {
        NodePath path = call.path();
        boolean drop = call.request().query().getBool("drop_revision", false);
        if (path.isRoot()) throw TiledException.notAllowed("The root's metadata cannot be changed");
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Node node = stored(path);
            Edit e = edit.apply(node);
            if (!e.specs().equals(node.specs())) SpecRules.checkSpecs(catalog, node, e.specs());
            if (catalog.updateMetadata(path, node.revision(), e.metadata(), e.specs(), !drop).isPresent()) return;
        }
        throw TiledException.conflict("The metadata of " + path + " kept changing while this update was applied (" + MAX_ATTEMPTS
                + " attempts); send it again");
    }

    /** The catalog's node at {@code path}: 404 when there is none, 405 for a table's column (it has no metadata of its own). */
    private Node stored(NodePath path) {
        Optional<Node> n = catalog.get(path);
        if (n.isPresent()) return n.get();
        Node virtual = nodes.lookup(path); // 404 in Tiled's words when nothing is there
        throw TiledException.notAllowed("This node does not support update of metadata: " + virtual.path() + " is a column of a table");
    }

    /**
     * Tiled's answer: the node's key, and {@code "access_blob": {}} when the request asked to change an access blob, which
     * this server (having no access policy that reads one) keeps empty, so the client does not cache what it sent.
     */
    private static Response answer(Call call, boolean accessBlobRefused) {
        ObjectNode o = Json.object();
        o.put("id", call.path().key());
        if (accessBlobRefused) o.putObject("access_blob");
        return MetadataEncoding.respond(call, 200, o);
    }

    private static boolean changesAccessBlob(JsonNode accessBlob) {
        return accessBlob != null && !accessBlob.isNull() && !accessBlob.isEmpty();
    }

    /** The body as one JSON object: declared as JSON, within its bound before parsing, no member named twice (RFC 6902 A.13). */
    private static ObjectNode body(Call call) {
        JsonBodies.requireJson(call.request());
        byte[] bytes = call.request().body();
        if (bytes.length > MAX_BODY_BYTES)
            throw TiledException.tooLarge("A metadata update is at most " + MAX_BODY_BYTES + " bytes of JSON; this one is " + bytes.length);
        JsonNode body;
        try (JsonParser p = Json.FACTORY.createParser(bytes)) {
            p.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
            body = Json.first(p);
        } catch (JsonProcessingException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Duplicate field"))
                throw TiledException.unprocessable("The body names a member twice: " + e.getOriginalMessage());
            return (ObjectNode) JsonBodies.parse(bytes, "Body"); // says where the syntax error is
        } catch (IOException e) {
            throw TiledException.unprocessable("Body is not valid JSON");
        }
        if (!(body instanceof ObjectNode o)) throw TiledException.unprocessable("Body must be a JSON object");
        return o;
    }

    /** Specs as sent: a list of names or of {"name", "version"} objects; at most {@link #MAX_SPECS}, none twice. */
    static List<Spec> specs(JsonNode list) {
        if (!list.isArray()) throw TiledException.unprocessable("\"specs\" must be a list");
        if (list.size() > MAX_SPECS) throw TiledException.unprocessable("Update cannot result in more than " + MAX_SPECS + " specs");
        List<Spec> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode s : list) {
            String name;
            String version = null;
            if (s.isTextual()) {
                name = s.asText();
            } else if (s.isObject() && s.path("name").isTextual() && (s.path("version").isMissingNode() || s.get("version").isNull() || s.get("version").isTextual())) {
                name = s.get("name").asText();
                version = s.path("version").isTextual() ? s.get("version").asText() : null;
            } else {
                throw TiledException.unprocessable("A spec must be a name or {\"name\": ..., \"version\": ...}, not " + abbreviate(s));
            }
            if (!names.add(name)) throw TiledException.unprocessable("Update cannot result in non-unique specs ('" + name + "' twice)");
            try {
                out.add(new Spec(name, version));
            } catch (IllegalArgumentException e) {
                throw TiledException.unprocessable(e.getMessage());
            }
        }
        return out;
    }

    private static String abbreviate(JsonNode v) {
        String s = Json.text(v);
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    // ---- revisions

    private Response revisions(Call call) {
        QueryParams q = call.request().query();
        long offset = q.getLong("page[offset]", 0, 0, Long.MAX_VALUE);
        int limit = (int) Math.min(NodeRoutes.MAX_PAGE, q.getLong("page[limit]", NodeRoutes.DEFAULT_PAGE, 0, Long.MAX_VALUE));
        Node node = stored(call.path());
        long count = catalog.countRevisions(node.path());
        ArrayNode data = Json.array();
        for (Revision r : limit == 0 ? List.<Revision>of() : catalog.revisions(node.path(), offset, limit)) {
            ObjectNode item = data.addObject();
            item.put("revision_number", r.number());
            ObjectNode a = item.putObject("attributes");
            a.set("metadata", r.metadata() == null ? Json.object() : r.metadata());
            ArrayNode specs = a.putArray("specs");
            for (Spec s : r.specs()) {
                ObjectNode so = specs.addObject();
                so.put("name", s.name());
                if (s.version() == null) so.putNull("version");
                else so.put("version", s.version());
            }
            a.set("time_updated", new dev.tiledgateway.core.json.TimestampNode(r.timeUpdated()));
        }
        ObjectNode body = Json.object();
        body.set("data", data);
        body.putNull("error");
        ObjectNode links = body.putObject("links");
        String self = call.link("revisions", node.path());
        links.put("self", self + "?" + (offset > 0 ? "page[offset]=" + offset + "&" : "") + "page[limit]=" + limit);
        links.put("first", self + "?page[limit]=" + limit);
        if (limit > 0 && offset + limit < count) links.put("next", self + "?page[offset]=" + (offset + limit) + "&page[limit]=" + limit);
        else links.putNull("next");
        body.putObject("meta").put("count", count);
        return MetadataEncoding.respond(call, 200, body);
    }

    private Response deleteRevision(Call call) {
        String number = call.request().query().first("number")
                .orElseThrow(() -> TiledException.unprocessable("The revision to delete is named by ?number="));
        long n;
        try {
            n = Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw TiledException.unprocessable("number must be an integer, not '" + number + "'");
        }
        Node node = stored(call.path());
        if (!catalog.deleteRevision(node.path(), n)) throw TiledException.notFound("No revision " + n + " for node " + node.path());
        return MetadataEncoding.respond(call, 200, com.fasterxml.jackson.databind.node.NullNode.instance);
    }
}
