package dev.tiledgateway.core.route;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.catalog.CatalogJson;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.query.QueryRegistry;
import dev.tiledgateway.core.serialize.SerializerRegistry;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** {@code GET /api/v1/}: the about document the client validates on connect (spec §3.1). */
public final class AboutRoutes implements RouteGroup {

    private final SerializerRegistry serializers;
    /** Query types this server answers, listed under {@code queries}; the client only displays the list. */
    private final QueryRegistry queries;
    private final GatewayConfig config;

    public AboutRoutes(SerializerRegistry serializers, QueryRegistry queries, GatewayConfig config) {
        this.serializers = serializers;
        this.queries = queries;
        this.config = config;
    }

    @Override
    public void register(Registrar r) {
        r.add("GET", "", Scopes.NONE, this::about);
    }

    private Response about(Call call) {
        ObjectNode o = Json.object();
        o.put("api_version", 0);
        o.put("library_version", config.libraryVersion());
        ObjectNode formats = o.putObject("formats");
        for (String family : List.of("array", "awkward", "container", "sparse", "table", "ragged", "bytes")) formats.putArray(family);
        serializers.formats().forEach((k, v) -> {
            ArrayNode a = formats.putArray(k);
            v.forEach(a::add);
        });
        ObjectNode aliases = o.putObject("aliases");
        serializers.aliases().forEach((family, types) -> {
            ObjectNode byType = aliases.putObject(family);
            types.forEach((type, extensions) -> byType.set(type, CatalogJson.strings(extensions)));
        });
        ArrayNode q = o.putArray("queries");
        queries.names().forEach(q::add);
        ObjectNode auth = o.putObject("authentication");
        auth.put("required", !call.access().settings().isPublic());
        auth.putArray("providers");
        if (call.access().keys() == null) auth.putNull("links");
        else {
            // No providers, but API keys to manage: the client finds whoami and apikey here (it logs in through
            // providers only, so the session links are never followed).
            ObjectNode links = auth.putObject("links");
            links.put("whoami", call.base() + "/auth/whoami");
            links.put("apikey", call.base() + "/auth/apikey");
            links.put("refresh_session", call.base() + "/auth/session/refresh");
            links.put("revoke_session", call.base() + "/auth/session/revoke/{session_id}");
            links.put("logout", call.base() + "/auth/logout");
        }
        ObjectNode links = o.putObject("links");
        links.put("self", call.base());
        o.putObject("meta").put("root_path", "/api");
        Response r = MetadataEncoding.respond(call, 200, o);
        r.header("Expires", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(600)));
        return r;
    }
}
