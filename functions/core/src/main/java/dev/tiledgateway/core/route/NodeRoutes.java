package dev.tiledgateway.core.route;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.http.QueryParams;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.query.Query;
import dev.tiledgateway.core.query.QueryRegistry;
import dev.tiledgateway.core.query.SearchPage;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code GET /metadata/{path}} and {@code GET /search/{path}}: one node, and a container's children (filtered by
 * the registry's queries, sorted, paged).
 */
public final class NodeRoutes implements RouteGroup {

    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 300;
    /**
     * The JSON a page of search results may hold before it stops early: Lambda's 6 MB response envelope,
     * with room for the body to double when it is escaped into the envelope as a string.
     */
    static final long PAGE_BYTE_BUDGET = 2_500_000;
    private static final Pattern SORT_ITEM = Pattern.compile("^(?:[+-][A-Za-z0-9_.]*|[A-Za-z0-9_.]+)?$");

    private final Catalog catalog;
    private final Nodes nodes;
    private final Resources resources;
    private final QueryRegistry queries;

    public NodeRoutes(Nodes nodes, QueryRegistry queries) {
        this.nodes = nodes;
        this.catalog = nodes.catalog();
        this.resources = new Resources(catalog, nodes.store());
        this.queries = queries;
    }

    @Override
    public void register(Registrar r) {
        r.add("GET", "metadata", Scopes.METADATA, this::metadata);
        r.add("GET", "search", Scopes.METADATA, this::search);
    }

    private Resources.Options options(QueryParams q) {
        MetadataSelector select = q.first("select_metadata").map(MetadataSelector::compile).orElse(null);
        int maxDepth = (int) q.getLong("max_depth", 5, 0, 5);
        return new Resources.Options(Fields.parse(q), q.getBool("omit_links", false), q.getBool("include_data_sources", false), maxDepth, select);
    }

    private Response metadata(Call call) {
        QueryParams q = call.request().query();
        Resources.Options opt = options(q);
        Node node = nodes.lookup(call.path());
        ObjectNode body = Json.object();
        body.set("data", resources.resource(call, node, opt));
        body.putNull("error");
        body.putNull("links");
        ObjectNode meta = body.putObject("meta");
        if (q.getBool("root_path", false)) meta.put("root_path", "/");
        return MetadataEncoding.respond(call, 200, body);
    }

    private Response search(Call call) {
        QueryParams q = call.request().query();
        Resources.Options opt = options(q);
        List<Query> filters = queries.parse(q);
        if (q.has("page[cursor]") && q.has("page[offset]"))
            throw TiledException.badRequest("page[cursor] and page[offset] cannot be used together");
        if (q.has("page[cursor]")) throw TiledException.badRequest("page[cursor] is not supported; use page[offset]");
        long offset = q.getLong("page[offset]", 0, 0, Long.MAX_VALUE);
        long requested = q.getLong("page[limit]", DEFAULT_PAGE, 0, Long.MAX_VALUE);
        int limit = (int) Math.min(MAX_PAGE, requested);
        List<SortKey> sort = parseSort(q.all("sort"));
        Node node = nodes.lookup(call.path());
        if (!node.isContainer()) throw TiledException.notFound("No such container: " + call.path() + " is a " + node.family().wire());

        SearchPage found = catalog.search(node, filters, sort, offset, opt.fields().onlyCount() ? 0 : limit);
        long count = found.count();
        ArrayNode data = Json.array();
        long bytes = 0;
        for (Node child : found.nodes()) {
            ObjectNode resource = resources.resource(call, child, opt);
            bytes += Json.bytes(resource).length;
            // A page shrinks rather than fails when its nodes carry large metadata: next picks up where it stops.
            if (!data.isEmpty() && bytes > PAGE_BYTE_BUDGET) break;
            data.add(resource);
        }
        long returned = data.isEmpty() ? limit : data.size();
        ObjectNode body = Json.object();
        body.set("data", data);
        body.putNull("error");
        ObjectNode links = body.putObject("links");
        String self = call.link("search", node.path());
        String carried = carriedParams(q);
        links.put("self", self + "?" + (offset > 0 ? "page[offset]=" + offset + "&" : "") + "page[limit]=" + limit + carried);
        links.put("first", self + "?page[limit]=" + limit + carried);
        if (limit > 0 && offset + returned < count) links.put("next", self + "?page[offset]=" + (offset + returned) + "&page[limit]=" + limit + carried);
        else links.putNull("next");
        body.putObject("meta").put("count", count);
        Response r = MetadataEncoding.respond(call, 200, body);
        r.header("Cache-Control", "must-revalidate");
        return r;
    }

    /**
     * The filters and sort of a search, for its links: a link followed as given pages through the same filtered,
     * sorted listing (the Python client sends its own filters and sort again, which replace these).
     */
    private static String carriedParams(QueryParams q) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, List<String>> e : q.asMap().entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("filter[") && !name.equals("sort")) continue;
            for (String v : e.getValue()) b.append('&').append(literalBrackets(name)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    /** A parameter name percent-encoded, but with its brackets literal, as Tiled writes link query strings. */
    private static String literalBrackets(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("%5B", "[").replace("%5D", "]");
    }

    /** Tiled's sort items: {@code key}, {@code +key}, {@code -key}; "" and "_" mean default order; duplicates are 400. */
    static List<SortKey> parseSort(List<String> items) {
        List<SortKey> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> nonEmpty = new ArrayList<>();
        for (String s : items) for (String part : s.split(",")) if (!part.isEmpty()) nonEmpty.add(part);
        for (int i = 0; i < nonEmpty.size(); i++) {
            String s = nonEmpty.get(i);
            if (!SORT_ITEM.matcher(s).matches()) throw TiledException.badRequest("Malformed sort item '" + s + "'");
            int dir = s.startsWith("-") ? -1 : 1;
            String key = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
            if (!seen.add(key)) throw TiledException.badRequest("Sort key '" + key + "' given more than once");
            if (key.isEmpty() && i != nonEmpty.size() - 1) throw TiledException.badRequest("The default sort key must come last");
            out.add(new SortKey(key, dir));
        }
        return out;
    }
}
