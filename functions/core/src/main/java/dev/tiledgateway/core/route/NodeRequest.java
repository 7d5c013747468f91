package dev.tiledgateway.core.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The body of a request that creates a node, {@code POST /metadata} and {@code POST /register} alike (spec §3.11):
 * the new node's path under its parent (the {@code id}, or a new UUID), family, metadata, specs (at most 20, each
 * once), and its one data source (null for a container, which has none). Keys Tiled's client adds
 * ({@code ancestors}, {@code access_blob}) are ignored.
 *
 * @param dataSource the data source's JSON object, checked to be one and to agree with the node's family
 */
record NodeRequest(Node parent, NodePath path, StructureFamily family, ObjectNode metadata, List<Spec> specs, JsonNode dataSource) {

    /** Tiled's limit on a node's specs. */
    static final int MAX_SPECS = 20;

    /**
     * Parses and checks the body against the parent at the call's path.
     *
     * @param notContainer the 405 detail when the parent is not a container (it is given the parent's path and family)
     */
    static NodeRequest parse(Call call, Nodes nodes, String notContainer) {
        JsonBodies.requireJson(call.request());
        JsonNode body = JsonBodies.parse(call.request().body(), "Body");
        if (body == null || !body.isObject()) throw TiledException.unprocessable("Body must be a JSON object");
        Node parent = nodes.lookup(call.path());
        if (!parent.isContainer()) throw TiledException.notAllowed(notContainer.formatted(call.path(), parent.family().wire()));
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
        if (specs.size() > MAX_SPECS) throw TiledException.unprocessable("A node has at most " + MAX_SPECS + " specs; " + specs.size() + " were sent");
        JsonNode sources = body.path("data_sources");
        if (!sources.isMissingNode() && !sources.isNull() && !sources.isArray()) throw TiledException.unprocessable("data_sources must be a list");
        if (family == StructureFamily.CONTAINER) {
            if (sources.size() > 0) throw TiledException.unprocessable("A container has no data sources");
            return new NodeRequest(parent, path, family, metadata, specs, null);
        }
        if (sources.size() != 1) throw TiledException.unprocessable("A " + family.wire() + " node needs exactly one data source");
        JsonNode ds = sources.get(0);
        if (!ds.isObject()) throw TiledException.unprocessable("A data source must be a JSON object");
        if (ds.path("structure_family").isTextual() && !ds.get("structure_family").asText().equals(family.wire()))
            throw TiledException.unprocessable("The data source's structure_family '" + ds.get("structure_family").asText()
                    + "' differs from the node's '" + family.wire() + "'");
        return new NodeRequest(parent, path, family, metadata, specs, ds);
    }

    /** The 409 for a path that is taken, naming it. */
    TiledException taken(Node existing) {
        return TiledException.conflict("The path " + path + " is taken: " + article(existing.family().wire()) + " node is there"
                + " already. Send another \"id\" (the key under " + parent.path() + "), or create it under another container.");
    }

    private static String article(String word) { return ("aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word; }
}
