package dev.tiledgateway.core.auth;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Tiled's scope names and the scope sets of its server modes (the HTTP spec's §10). */
public final class Scopes {

    public static final String READ_METADATA = "read:metadata";
    public static final String READ_DATA = "read:data";
    public static final String WRITE_METADATA = "write:metadata";
    public static final String WRITE_DATA = "write:data";
    public static final String DELETE_REVISION = "delete:revision";
    public static final String DELETE_NODE = "delete:node";
    public static final String CREATE_NODE = "create:node";
    public static final String REGISTER = "register";
    public static final String METRICS = "metrics";
    public static final String CREATE_APIKEYS = "create:apikeys";
    public static final String REVOKE_APIKEYS = "revoke:apikeys";
    public static final String ADMIN_APIKEYS = "admin:apikeys";
    public static final String READ_PRINCIPALS = "read:principals";
    public static final String WRITE_PRINCIPALS = "write:principals";
    public static final String READ_WEBHOOKS = "read:webhooks";
    public static final String WRITE_WEBHOOKS = "write:webhooks";
    /** API keys only: whatever the key's owner holds when the key is used. */
    public static final String INHERIT = "inherit";

    /** Every scope a key may name. */
    public static final Set<String> ALL = Set.of(READ_METADATA, READ_DATA, WRITE_METADATA, WRITE_DATA, DELETE_REVISION, DELETE_NODE,
            CREATE_NODE, REGISTER, METRICS, CREATE_APIKEYS, REVOKE_APIKEYS, ADMIN_APIKEYS, READ_PRINCIPALS, WRITE_PRINCIPALS,
            READ_WEBHOOKS, WRITE_WEBHOOKS, INHERIT);

    /** What anyone gets where anonymous access is allowed. */
    public static final Set<String> PUBLIC = Set.of(READ_METADATA, READ_DATA);

    /**
     * What the single user (the server's own API key) holds: Tiled's single-user scopes, plus the scopes to manage
     * API keys of its own, since here the single user is also the administrator who hands out narrower keys.
     */
    public static final Set<String> SINGLE_USER = Set.of(READ_METADATA, READ_DATA, WRITE_METADATA, WRITE_DATA, DELETE_REVISION,
            DELETE_NODE, CREATE_NODE, REGISTER, METRICS, READ_WEBHOOKS, WRITE_WEBHOOKS, CREATE_APIKEYS, REVOKE_APIKEYS);

    // What routes require (the spec's §10 table), declared where each route is registered.

    /** Routes anyone may call (the about document; who-am-I answers for anyone). */
    public static final Set<String> NONE = Set.of();
    /** Reading metadata: {@code /metadata}, {@code /search}. */
    public static final Set<String> METADATA = Set.of(READ_METADATA);
    /** Reading data: every {@code /array}, {@code /table}, {@code /container}, {@code /awkward}, {@code /ragged} read. */
    public static final Set<String> DATA = Set.of(READ_DATA);
    /** Registering external data: {@code POST /register}. */
    public static final Set<String> REGISTERING = Set.of(WRITE_METADATA, CREATE_NODE, REGISTER);
    /** Creating an API key. */
    public static final Set<String> CREATING_KEYS = Set.of(CREATE_APIKEYS);
    /** Revoking an API key. */
    public static final Set<String> REVOKING_KEYS = Set.of(REVOKE_APIKEYS);

    private Scopes() {}

    /** Python's repr of a list of strings, as Tiled's permission messages show scopes. */
    public static String repr(Collection<String> scopes) {
        StringBuilder b = new StringBuilder("[");
        for (String s : sorted(scopes)) b.append(b.length() > 1 ? ", " : "").append('\'').append(s).append('\'');
        return b.append(']').toString();
    }

    /** Sorted, for messages and stored forms. */
    public static List<String> sorted(Collection<String> scopes) { return List.copyOf(new TreeSet<>(scopes)); }

    /**
     * What a key listing {@code listed} may do for an owner holding {@code owner} now: the listed scopes the owner
     * holds, and the owner's whole set where the key lists {@code inherit}.
     */
    public static Set<String> effective(Collection<String> listed, Set<String> owner) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : listed) {
            if (s.equals(INHERIT)) out.addAll(owner);
            else if (owner.contains(s)) out.add(s);
        }
        return Set.copyOf(out);
    }
}
