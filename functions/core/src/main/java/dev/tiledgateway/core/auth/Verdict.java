package dev.tiledgateway.core.auth;

/** What the authorizer concluded about a request's credential: a principal, or why it is refused (401 or 400). */
public sealed interface Verdict {

    record Allowed(Principal principal) implements Verdict {}

    record Refused(int status, String detail) implements Verdict {}
}
