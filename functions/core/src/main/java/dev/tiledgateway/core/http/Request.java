package dev.tiledgateway.core.http;

/**
 * A transport-neutral HTTP request. {@code path} is the raw (still percent-encoded) path;
 * {@code origin} is {@code scheme://host[:port]} as the client sees the service, from which absolute links are built.
 */
public record Request(String method, String path, QueryParams query, Headers headers, byte[] body, String origin) {

    public Request {
        body = body == null ? new byte[0] : body;
    }
}
