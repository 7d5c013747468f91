package dev.tiledgateway.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.json.Json;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link Verdict} as the authorizer hands it to the API function: the {@code context} of its simple response,
 * which API Gateway passes on as {@code requestContext.authorizer.lambda} (and which no client can set). Values
 * are strings only.
 */
public final class AuthContext {

    private AuthContext() {}

    public static ObjectNode encode(Verdict v) {
        ObjectNode c = Json.object();
        switch (v) {
            case Verdict.Allowed a -> {
                c.put("verdict", "allowed");
                c.put("principal", a.principal().id() == null ? "" : a.principal().id());
                c.put("scopes", String.join(" ", Scopes.sorted(a.principal().scopes())));
                c.put("apiKey", a.principal().apiKey() == null ? "" : a.principal().apiKey());
            }
            case Verdict.Refused r -> {
                c.put("verdict", "refused");
                c.put("status", Integer.toString(r.status()));
                c.put("detail", r.detail());
            }
        }
        return c;
    }

    /** The verdict in an authorizer's context; empty when there is none or it is not one of ours. */
    public static Optional<Verdict> decode(JsonNode c) {
        if (c == null || !c.isObject()) return Optional.empty();
        switch (c.path("verdict").asText("")) {
            case "allowed" -> {
                String id = c.path("principal").asText("");
                String key = c.path("apiKey").asText("");
                Set<String> scopes = new LinkedHashSet<>();
                for (String s : c.path("scopes").asText("").split(" ")) if (!s.isEmpty()) scopes.add(s);
                return Optional.of(new Verdict.Allowed(new Principal(id.isEmpty() ? null : id, scopes, key.isEmpty() ? null : key)));
            }
            case "refused" -> {
                int status = c.path("status").asInt(401);
                return Optional.of(new Verdict.Refused(status == 400 || status == 503 ? status : 401, c.path("detail").asText("Invalid credentials")));
            }
            default -> {
                return Optional.empty();
            }
        }
    }
}
