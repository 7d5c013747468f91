package dev.tiledgateway.core.http;

/**
 * A transport-neutral HTTP request. {@code path} is the raw (still percent-encoded) path;
 * {@code origin} is {@code scheme://host[:port]} as the client sees the service, from which absolute links are built;
 * behind a named API Gateway stage it ends with the stage's path ({@code https://host/prod}), and {@code path} is the rest.
 */
public record Request(String method, String path, QueryParams query, Headers headers, byte[] body, String origin,
                      dev.tiledgateway.core.auth.Verdict auth) {

    public Request {
        body = body == null ? new byte[0] : body;
    }

    /**
     * A request no authorizer has looked at ({@code auth} null): the router then resolves nothing and treats it as
     * anonymous under its own settings.
     */
    public Request(String method, String path, QueryParams query, Headers headers, byte[] body, String origin) {
        this(method, path, query, headers, body, origin, null);
    }

    @Override
    public String toString() { return method + " " + path; } // never the query (it may hold an API key) or the body
}
