package dev.tiledgateway.core.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.auth.ApiKeySecrets;
import dev.tiledgateway.core.auth.ApiKeyStore;
import dev.tiledgateway.core.auth.Authenticator;
import dev.tiledgateway.core.auth.Principal;
import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.auth.Verdict;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /auth/whoami} and {@code /auth/apikey}: who a request acts for, and the API keys its owner holds, creates
 * and revokes, in the shapes the Tiled client reads ({@code whoami()}, {@code create_api_key()},
 * {@code revoke_api_key()}). There are no authentication providers, logins or sessions: a key is the credential.
 *
 * <p>A new key never holds more than the request creating it: its scopes (with {@code inherit} standing for
 * all of the owner's) must lie within the scopes that request holds, so a narrow key cannot mint a broader one.
 */
final class AuthRoutes implements RouteGroup {

    /** The longest lifetime a key may be given: ten years. */
    static final Duration MAX_LIFETIME = Duration.ofDays(3650);
    static final int MAX_NOTE = 255;

    private final Clock clock;

    AuthRoutes(Clock clock) { this.clock = clock; }

    @Override
    public void register(Registrar r) {
        r.add("GET", "auth/whoami", Scopes.NONE, this::whoami);
        r.add("GET", "auth/apikey", Scopes.NONE, this::current);
        r.add("POST", "auth/apikey", Scopes.CREATING_KEYS, this::create);
        r.add("DELETE", "auth/apikey", Scopes.REVOKING_KEYS, this::revoke);
    }

    private static ApiKeyStore keys(Call call) {
        ApiKeyStore keys = call.access().keys();
        if (keys == null) throw TiledException.notFound("This server manages no API keys");
        return keys;
    }

    /** The principal of an authenticated request, or the 401 its verdict means. */
    private static Principal authenticated(Call call) {
        Principal p = Router.authorize(call, Scopes.NONE);
        if (p.isAnonymous()) throw TiledException.unauthorized("No API key was given").withHeader("WWW-Authenticate", "Bearer")
                .withHeader("X-Tiled-Root", call.base());
        return p;
    }

    private Response whoami(Call call) {
        Principal p = Router.authorize(call, Scopes.NONE);
        if (p.isAnonymous()) return MetadataEncoding.respond(call, 200, Json.nullNode());
        ObjectNode o = Json.object();
        o.put("uuid", uuidOf(p.id()));
        o.put("type", "user");
        ObjectNode identity = o.putArray("identities").addObject();
        identity.put("id", p.id());
        identity.put("provider", "api_key");
        identity.putNull("latest_login");
        ObjectNode role = o.putArray("roles").addObject();
        role.put("name", p.id().equals(Authenticator.SINGLE_USER) ? "single-user" : "user");
        ArrayNode scopes = role.putArray("scopes");
        Scopes.sorted(p.scopes()).forEach(scopes::add);
        ArrayNode keys = o.putArray("api_keys");
        if (call.access().keys() != null) for (ApiKeyStore.ApiKey k : call.access().keys().byOwner(p.id())) keys.add(describe(k));
        o.putArray("sessions");
        o.putNull("latest_activity");
        return MetadataEncoding.respond(call, 200, o);
    }

    /** The key the request used. */
    private Response current(Call call) {
        Principal p = authenticated(call);
        if (p.apiKey() == null) throw TiledException.unauthorized("This request used no API key");
        ApiKeyStore keys = call.access().keys();
        if (keys != null) {
            for (ApiKeyStore.ApiKey k : keys.byOwner(p.id())) if (k.firstEight().equals(p.apiKey())) return MetadataEncoding.respond(call, 200, describe(k));
        }
        // The server's own key is not in the store: it is described by what it holds.
        ObjectNode o = Json.object();
        o.put("first_eight", p.apiKey());
        o.putNull("expiration_time");
        o.put("note", "the server's own key");
        ArrayNode scopes = o.putArray("scopes");
        Scopes.sorted(p.scopes()).forEach(scopes::add);
        o.putNull("access_tags");
        o.putNull("latest_activity");
        return MetadataEncoding.respond(call, 200, o);
    }

    private Response create(Call call) {
        ApiKeyStore keys = keys(call);
        Principal p = authenticated(call);
        JsonBodies.requireJson(call.request());
        JsonNode body = JsonBodies.parse(call.request().body(), "an API key request");
        if (!body.isObject()) throw TiledException.unprocessable("An API key request is a JSON object with scopes, expires_in, note and access_tags");
        List<String> scopes = scopes(body.get("scopes"));
        Set<String> owner = Authenticator.ownerScopesOf(p.id());
        Set<String> wanted = new LinkedHashSet<>();
        for (String s : scopes) {
            if (s.equals(Scopes.INHERIT)) wanted.addAll(owner);
            else wanted.add(s);
        }
        if (!p.scopes().containsAll(wanted))
            throw TiledException.forbidden("Requested scopes " + Scopes.repr(scopes) + " must be within the scopes this request holds "
                    + Scopes.repr(p.scopes()) + (scopes.contains(Scopes.INHERIT) ? " ('inherit' stands for all of " + Scopes.repr(owner) + ")" : ""));
        JsonNode tags = body.get("access_tags");
        if (tags != null && !tags.isNull() && !(tags.isArray() && tags.isEmpty()))
            throw TiledException.badRequest("Access tags are not supported by this server: it has no tag-based access policy");
        Instant now = clock.instant();
        Instant expires = expiry(body.get("expires_in"), now);
        String note = note(body.get("note"));
        String secret = ApiKeySecrets.generate();
        ApiKeyStore.ApiKey key = new ApiKeyStore.ApiKey(ApiKeySecrets.hash(secret), ApiKeySecrets.firstEight(secret), p.id(), scopes,
                expires, note, now, List.of());
        if (!keys.create(key))
            throw TiledException.badRequest("This principal holds " + ApiKeyStore.MAX_KEYS_PER_OWNER + " API keys already, the most allowed; revoke one first");
        ObjectNode o = describe(key);
        o.put("secret", secret);
        return MetadataEncoding.respond(call, 200, o);
    }

    private Response revoke(Call call) {
        ApiKeyStore keys = keys(call);
        Principal p = authenticated(call);
        String firstEight = call.request().query().first("first_eight")
                .orElseThrow(() -> TiledException.unprocessable("Say which key to revoke: ?first_eight=<its first eight characters>"));
        if (!firstEight.matches("[A-Za-z0-9_]{8}")) throw TiledException.unprocessable("first_eight must be the key's first eight characters");
        if (!keys.revoke(p.id(), firstEight)) throw TiledException.notFound("The current principal has no API key starting with " + firstEight);
        return new Response(204, null, new byte[0]);
    }

    private static List<String> scopes(JsonNode v) {
        if (v == null || v.isNull()) return List.of(Scopes.INHERIT);
        if (!v.isArray()) throw TiledException.unprocessable("scopes must be a list of scope names, or null for 'inherit'");
        List<String> out = new ArrayList<>();
        for (JsonNode s : v) {
            if (!s.isTextual()) throw TiledException.unprocessable("scopes must be a list of scope names");
            if (!Scopes.ALL.contains(s.asText())) throw TiledException.badRequest("Unknown scope '" + s.asText() + "'; known: " + Scopes.repr(Scopes.ALL));
            if (!out.contains(s.asText())) out.add(s.asText());
        }
        if (out.isEmpty()) throw TiledException.badRequest("A key with no scopes could do nothing; name at least one (or null for 'inherit')");
        return out;
    }

    private static Instant expiry(JsonNode v, Instant now) {
        if (v == null || v.isNull()) return null;
        if (!v.isNumber() || v.asDouble() != Math.rint(v.asDouble()) || v.asDouble() <= 0)
            throw TiledException.unprocessable("expires_in must be a whole number of seconds above 0, or null for a key that does not expire");
        if (v.asDouble() > MAX_LIFETIME.toSeconds())
            throw TiledException.badRequest("expires_in may be at most " + MAX_LIFETIME.toSeconds() + " seconds (ten years)");
        return now.plusSeconds(v.asLong());
    }

    private static String note(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw TiledException.unprocessable("note must be a string");
        if (v.asText().length() > MAX_NOTE) throw TiledException.unprocessable("note may be at most " + MAX_NOTE + " characters");
        return v.asText();
    }

    static ObjectNode describe(ApiKeyStore.ApiKey k) {
        ObjectNode o = Json.object();
        o.put("first_eight", k.firstEight());
        if (k.expires() == null) o.putNull("expiration_time");
        else o.set("expiration_time", new dev.tiledgateway.core.json.TimestampNode(k.expires()));
        if (k.note() == null) o.putNull("note");
        else o.put("note", k.note());
        ArrayNode scopes = o.putArray("scopes");
        k.scopes().forEach(scopes::add);
        o.putNull("access_tags");
        o.putNull("latest_activity");
        return o;
    }

    /** A principal's stable UUID (hex, as Tiled shows them), derived from its id. */
    static String uuidOf(String id) {
        return UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    }
}
