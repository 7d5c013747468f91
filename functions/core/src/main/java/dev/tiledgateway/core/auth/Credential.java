package dev.tiledgateway.core.auth;

import dev.tiledgateway.core.http.Headers;
import dev.tiledgateway.core.http.QueryParams;

import java.util.Locale;
import java.util.Optional;

/**
 * What a request presents to prove who it is, found as Tiled looks for it: the {@code api_key} query parameter,
 * then {@code Authorization: Apikey <key>} (scheme in any case), then the {@code tiled_api_key} cookie.
 */
public sealed interface Credential {

    /** Nothing presented. */
    record None() implements Credential {}

    /** An API key, and where it was found. */
    record ApiKey(String secret, Place place) implements Credential {
        @Override
        public String toString() { return "ApiKey[" + place + "]"; } // never the secret
    }

    /** {@code Authorization: Bearer ...}: an access token of an authentication provider. */
    record Bearer() implements Credential {}

    /** Something that is no credential this server understands (a 400 in Tiled). */
    record Malformed(String reason) implements Credential {}

    enum Place { QUERY, HEADER, COOKIE }

    static Credential of(QueryParams query, Headers headers) {
        Optional<String> q = query.first("api_key");
        if (q.isPresent()) return new ApiKey(q.get(), Place.QUERY);
        Optional<String> auth = headers.get("authorization");
        if (auth.isPresent()) {
            String v = auth.get().strip();
            int space = v.indexOf(' ');
            String scheme = (space < 0 ? v : v.substring(0, space)).toLowerCase(Locale.ROOT);
            String value = space < 0 ? "" : v.substring(space + 1).strip();
            switch (scheme) {
                case "apikey" -> {
                    if (!value.isEmpty()) return new ApiKey(value, Place.HEADER);
                    // "Apikey " with nothing after it counts as no key (Tiled's reading); a cookie may still hold one.
                }
                case "bearer" -> {
                    return new Bearer();
                }
                default -> {
                    return new Malformed("The Authorization header must name its scheme, a space, then the secret: 'Apikey <key>' "
                            + "(or 'Bearer <token>')");
                }
            }
        }
        Optional<String> cookie = headers.cookie("tiled_api_key");
        if (cookie.isPresent()) return new ApiKey(cookie.get(), Place.COOKIE);
        return new None();
    }
}
