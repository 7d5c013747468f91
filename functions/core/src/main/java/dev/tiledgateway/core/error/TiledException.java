package dev.tiledgateway.core.error;

/**
 * An error with an HTTP meaning, raised anywhere in core and mapped once at the edge
 * to {@code {"detail": message}} with {@link #status()}.
 */
public class TiledException extends RuntimeException {

    private final int status;
    private final int retryAfterSeconds;
    private final java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();

    protected TiledException(int status, String detail) {
        this(status, detail, null, 0);
    }

    protected TiledException(int status, String detail, Throwable cause) {
        this(status, detail, cause, 0);
    }

    private TiledException(int status, String detail, Throwable cause, int retryAfterSeconds) {
        super(detail, cause);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() { return status; }

    /** For a 503: when the client may try again, in seconds (sent as {@code Retry-After}); 0 when not said. */
    public int retryAfterSeconds() { return retryAfterSeconds; }

    public String detail() { return getMessage(); }

    /** Headers the answer carries besides the detail (e.g. {@code WWW-Authenticate} on a 401). */
    public java.util.Map<String, String> headers() { return java.util.Collections.unmodifiableMap(headers); }

    public TiledException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** 401: no credential, an invalid one, or one without the scopes the route requires. */
    public static TiledException unauthorized(String detail) { return new TiledException(401, detail); }

    /** 400: a malformed or impossible request. */
    public static TiledException badRequest(String detail) { return new TiledException(400, detail); }

    /** 404: no such node or route. */
    public static TiledException forbidden(String detail) { return new TiledException(403, detail); }

    public static TiledException notFound(String detail) { return new TiledException(404, detail); }

    /** 405: the node cannot do this. */
    public static TiledException notAllowed(String detail) { return new TiledException(405, detail); }

    /** 406: no serializer for the requested format. */
    public static TiledException notAcceptable(String detail) { return new TiledException(406, detail); }

    /** 409: a conflict with what is stored. */
    public static TiledException conflict(String detail) { return new TiledException(409, detail); }

    /** 415: data of a media type this server cannot read or write. */
    public static TiledException tooLarge(String detail) { return new TiledException(413, detail); }

    public static TiledException unsupportedMediaType(String detail) { return new TiledException(415, detail); }

    /** 422: parameters that parse but do not fit the node (shape mismatch, block out of range). */
    public static TiledException unprocessable(String detail) { return new TiledException(422, detail); }

    /** 503: this server is busy with work that will end soon; the client may retry after {@code retryAfterSeconds}. */
    public static TiledException busy(String detail, int retryAfterSeconds) {
        return new TiledException(503, detail, null, Math.max(1, retryAfterSeconds));
    }

    /** 503: a backing service is unavailable; the client may retry. */
    public static TiledException unavailable(String detail, Throwable cause) { return new TiledException(503, detail, cause); }
}
