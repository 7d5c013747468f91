package dev.tiledgateway.core.auth;

import java.util.Set;

/**
 * Who a request acts for, as the authorizer resolved it: {@code id} (null when anonymous), {@code scopes} it holds
 * for this request, and {@code apiKey} the first eight characters of the key it used (null otherwise).
 */
public record Principal(String id, Set<String> scopes, String apiKey) {

    public Principal {
        scopes = Set.copyOf(scopes);
    }

    public static Principal anonymous(Set<String> scopes) { return new Principal(null, scopes, null); }

    public boolean isAnonymous() { return id == null; }

    public boolean holdsAll(Set<String> required) { return scopes.containsAll(required); }
}
