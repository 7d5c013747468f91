package dev.tiledgateway.core.route;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.http.QueryParams;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.query.Distinct;
import dev.tiledgateway.core.query.Query;
import dev.tiledgateway.core.query.QueryRegistry;
import dev.tiledgateway.core.query.Values;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code GET /distinct/{path}} (spec §3.4): the distinct values of metadata keys, structure families and specs
 * among a container's children that pass the request's filters, with counts when asked. What was not asked for
 * is null.
 */
public final class DistinctRoutes implements RouteGroup {

    /** The most metadata keys one request may ask about. */
    static final int MAX_KEYS = 50;

    private final Nodes nodes;
    private final Catalog catalog;
    private final QueryRegistry queries;

    public DistinctRoutes(Nodes nodes, QueryRegistry queries) {
        this.nodes = nodes;
        this.catalog = nodes.catalog();
        this.queries = queries;
    }

    @Override
    public void register(Registrar r) {
        r.add("GET", "distinct", Scopes.METADATA, this::distinct);
    }

    private Response distinct(Call call) {
        QueryParams q = call.request().query();
        List<String> keys = q.all("metadata");
        if (keys.size() > MAX_KEYS)
            throw TiledException.badRequest("distinct was asked for " + keys.size() + " metadata keys; at most " + MAX_KEYS + " are allowed");
        for (String k : keys) {
            try {
                Values.path(k);
            } catch (IllegalArgumentException e) {
                throw TiledException.badRequest("metadata=" + (k.length() > 80 ? k.substring(0, 80) + "..." : k)
                        + " is not a metadata key (a dotted path like sample.name, without empty segments)");
            }
        }
        Distinct.Request request = new Distinct.Request(keys, flag(q, "structure_families"), flag(q, "specs"), flag(q, "counts"));
        List<Query> filters = queries.parse(q);
        Node node = nodes.lookup(call.path());
        if (!node.isContainer()) throw TiledException.notAllowed("This node does not support distinct.");
        Distinct d = catalog.distinct(node.path(), filters, request);
        ObjectNode body = Json.object();
        if (keys.isEmpty()) body.putNull("metadata");
        else {
            ObjectNode m = body.putObject("metadata");
            for (String k : keys) m.set(k, values(d.metadata().getOrDefault(k, List.of())));
        }
        body.set("structure_families", request.structureFamilies() ? values(d.structureFamilies()) : Json.nullNode());
        body.set("specs", request.specs() ? values(d.specs()) : Json.nullNode());
        return MetadataEncoding.respond(call, 200, body);
    }

    private static ArrayNode values(List<Distinct.Value> vs) {
        ArrayNode a = Json.array();
        if (vs == null) return a;
        for (Distinct.Value v : vs) {
            ObjectNode o = a.addObject();
            o.set("value", v.value());
            if (v.count() == null) o.putNull("count");
            else o.put("count", v.count());
        }
        return a;
    }

    /** A boolean parameter of distinct, false when absent; 422 when not a boolean, as upstream's validation answers. */
    private static boolean flag(QueryParams q, String name) {
        Optional<String> v = q.first(name);
        if (v.isEmpty()) return false;
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw TiledException.unprocessable("Query parameter '" + name + "' must be true or false, got '"
                    + (v.get().length() > 80 ? v.get().substring(0, 80) + "..." : v.get()) + "'");
        };
    }
}
