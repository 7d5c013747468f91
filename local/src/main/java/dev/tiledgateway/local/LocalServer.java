package dev.tiledgateway.local;

import dev.tiledgateway.api.ApiHandler;
import dev.tiledgateway.authorizer.AuthorizerHandler;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.write.WriteLimits;
import dev.tiledgateway.embedded.store.FileBlobStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The local stand-in for API Gateway and S3: real HTTP in, the same v2.0 events the API function gets
 * on AWS, and presigned downloads of the embedded object store at {@code /_blob/}.
 *
 * <p>It keeps API Gateway's limits, so a client meets the same refusals here as on AWS: request line and
 * headers of at most 10,240 bytes, bodies of at most 4.5 MB, what one Lambda invocation carries after base64 (413 from the declared
 * length before anything is read, and as a chunked body grows past it, with a detail that says how to write in pieces). Every refusal, Jetty's own included (a malformed URI, say),
 * is {@code {"detail": ...}} JSON.
 */
public final class LocalServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalServer.class.getName());

    /** The request body limit: API Gateway HTTP API takes 10 MB, the Lambda invocation behind it 6 MB including base64 (see {@link WriteLimits}). */
    public static final int MAX_BODY_BYTES = WriteLimits.MAX_BODY_BYTES;
    /**
     * API Gateway HTTP API's payload limit (10 MB): a body declared larger is refused at once, as API Gateway does; one
     * between {@link #MAX_BODY_BYTES} and this is read and dropped first, so that the sender sees the 413 and its detail.
     */
    static final long GATEWAY_PAYLOAD_BYTES = 10L * 1024 * 1024;
    /** API Gateway HTTP API's limit on the request line and headers together. */
    public static final int MAX_HEADER_BYTES = 10_240;

    static {
        // Jetty otherwise starts the platform MBean server (half a second of a cold start) only to learn how many
        // object references fit in a cache line: 64 bytes of 4-byte compressed references.
        if (System.getProperty("org.eclipse.jetty.util.referencesPerCacheLine") == null)
            System.setProperty("org.eclipse.jetty.util.referencesPerCacheLine", "16");
    }

    private final Server server;
    private final ServerConnector connector;
    private final ApiHandler handler;
    private final ApiGatewayEmulator gateway;

    /**
     * @param store          the embedded store whose presigned downloads this server answers, or null when there is none
     * @param leases         where downloads are noted, so that a result is not expired while it is being read
     * @param trustedProxies addresses of proxies whose X-Forwarded-* headers are believed (none: every client's are replaced)
     * @param authorizer     the Lambda authorizer, run in-process on every API request before the handler, as API Gateway runs it
     */
    LocalServer(String host, int port, ApiHandler handler, AuthorizerHandler authorizer, FileBlobStore store, BlobUrls urls, ResultLeases leases,
                Set<String> trustedProxies) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("local-server");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor()); // requests block on storage
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_HEADER_BYTES);
        http.setSendServerVersion(false);
        // Clients send keys in raw UTF-8 too (API Gateway takes them): decode them rather than refuse them.
        // Empty segments are ignored and an encoded '/' is refused by the router itself, as on Lambda.
        http.setUriCompliance(UriCompliance.DEFAULT.with("as API Gateway passes them", UriCompliance.Violation.ILLEGAL_PATH_CHARACTERS,
                UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT, UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        http.setSendDateHeader(true);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setAcceptQueueSize(256);
        // Jetty's default, pinned: without it a response written in two segments waits for the client's delayed ACK
        // (~40 ms on a keep-alive connection). Jetty also writes the head and a buffered body in one writev.
        connector.setAcceptedTcpNoDelay(true);
        server.addConnector(connector);
        server.setErrorHandler(new JsonErrors());
        this.handler = handler;
        ApiGatewayEmulator gateway = new ApiGatewayEmulator(trustedProxies, authorizer);
        this.gateway = gateway;
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                try {
                    if (store != null && request.getHttpURI().getPath().startsWith(BlobUrls.PREFIX)) serveBlob(request, response, store, urls, leases);
                    else answer(request, response, handler, gateway);
                    callback.succeeded();
                } catch (Throwable e) {
                    LOG.log(Level.WARNING, "failed to answer " + request.getHttpURI().getPath(), e);
                    callback.failed(e);
                }
                return true;
            }
        });
    }

    public void start() throws IOException {
        try {
            server.start();
        } catch (Exception e) {
            throw new IOException("cannot start the HTTP server on " + connector.getHost() + ":" + connector.getPort() + ": " + e.getMessage(), e);
        }
    }

    public int port() { return connector.getLocalPort(); }

    /** The open connections' sockets, for tests of their options. */
    List<java.nio.channels.SocketChannel> connections() {
        List<java.nio.channels.SocketChannel> open = new ArrayList<>();
        for (var e : connector.getConnectedEndPoints())
            if (e instanceof org.eclipse.jetty.io.SocketChannelEndPoint s) open.add(s.getChannel());
        return open;
    }

    /** The API function this server fronts, for a benchmark that puts another HTTP server in front of the same one. */
    ApiHandler handler() { return handler; }

    /** The API Gateway emulation (authorizer included) in front of {@link #handler()}. */
    ApiGatewayEmulator gateway() { return gateway; }

    private static void answer(Request request, Response response, ApiHandler handler, ApiGatewayEmulator gateway) throws IOException {
        long declared = request.getLength();
        if (declared > GATEWAY_PAYLOAD_BYTES) {
            send(response, 413, tooLarge(declared));
            return;
        }
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                // Read the rest (up to API Gateway's own limit) before answering, so that the client, still sending,
                // gets the 413 and its detail rather than a connection reset in the middle of its upload.
                long drained = drain(in, GATEWAY_PAYLOAD_BYTES - body.length);
                send(response, 413, tooLarge(declared >= 0 ? declared : drained + body.length));
                return;
            }
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (HttpField f : request.getHeaders()) headers.add(Map.entry(f.getName(), f.getValue()));
        var in = new ApiGatewayEmulator.Incoming(request.getMethod(), request.getHttpURI().getPath(), request.getHttpURI().getQuery(),
                headers, request.getConnectionMetaData().getProtocol(), Request.getRemoteAddr(request), Request.getLocalPort(request), body);
        Object event = gateway.authorized(in);
        ApiGatewayEmulator.Outgoing out = event instanceof ApiGatewayEmulator.Outgoing refused ? refused : gateway.respond(handler.handle((byte[]) event));
        HttpFields.Mutable h = response.getHeaders();
        for (Map.Entry<String, String> e : out.headers()) h.add(e.getKey(), e.getValue());
        response.setStatus(out.status());
        boolean head = request.getMethod().equals("HEAD");
        if (out.status() == 304 || out.status() == 204) return;
        h.put(HttpHeader.CONTENT_LENGTH, out.body().length);
        if (head || out.body().length == 0) return;
        try (OutputStream o = Content.Sink.asOutputStream(response)) {
            o.write(out.body());
        }
    }

    /** Reads and drops at most {@code limit} bytes of {@code in}; returns how many. */
    private static long drain(InputStream in, long limit) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        while (total < limit) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, limit - total));
            if (n < 0) break;
            total += n;
        }
        return total;
    }

    private static byte[] tooLarge(long declared) {
        return detail(WriteLimits.tooLargeDetail(declared));
    }

    private static byte[] detail(String detail) {
        return Json.bytes(Json.object().put("detail", detail));
    }

    private static void serveBlob(Request request, Response response, FileBlobStore store, BlobUrls urls, ResultLeases leases) throws IOException {
        String key;
        Map<String, String> q = new HashMap<>();
        try {
            key = URLDecoder.decode(request.getHttpURI().getPath().substring(BlobUrls.PREFIX.length()), StandardCharsets.UTF_8);
            String raw = request.getHttpURI().getQuery();
            if (raw != null) for (String p : raw.split("&")) {
                int eq = p.indexOf('=');
                if (eq > 0) q.put(p.substring(0, eq), URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
            }
        } catch (IllegalArgumentException e) {
            send(response, 400, detail("Malformed percent-encoding"));
            return;
        }
        if (!urls.verify(key, q.get("expires"), q.get("signature"))) {
            send(response, 403, detail("Request has expired or its signature does not match"));
            return;
        }
        Optional<Path> found;
        try {
            found = store.regularFile(key);
        } catch (IllegalArgumentException e) {
            found = Optional.empty();
        }
        if (found.isEmpty()) {
            send(response, 404, detail("No such object"));
            return;
        }
        leases.downloadStarts(key);
        // Opened first, then measured: a result removed or replaced meanwhile is either read whole or not found.
        try (FileChannel ch = FileChannel.open(found.get(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = ch.size();
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, size);
            if (request.getMethod().equals("HEAD") || size == 0) return;
            sendFile(request, response, ch, size);
        } catch (NoSuchFileException e) {
            send(response, 404, detail("No such object"));
        } finally {
            leases.downloadEnds(key);
        }
    }

    /** The most bytes a download reads ahead of the socket: two direct buffers of this size per download. */
    static final int DOWNLOAD_BUFFER = 1 << 18;
    /** Downloads that may hold direct buffers at once (8 MiB outside the heap in all, kept); the others use small heap buffers. */
    static final int DIRECT_DOWNLOADS = 16;
    /** The buffers of a download past {@link #DIRECT_DOWNLOADS}. */
    static final int SMALL_DOWNLOAD_BUFFER = 1 << 16;
    private static final java.util.concurrent.Semaphore DIRECT_SLOTS = new java.util.concurrent.Semaphore(DIRECT_DOWNLOADS);
    /**
     * The direct buffers downloads have used, kept for the next ones (at most two per slot). A new direct buffer is
     * zeroed and faulted in page by page (an 8 MB download took 23 ms with two new 2 MiB buffers, 8-10 ms with kept
     * ones, curl on loopback); Jetty's own pool keeps none this large.
     */
    private static final java.util.concurrent.BlockingQueue<ByteBuffer> DIRECT_BUFFERS = new java.util.concurrent.ArrayBlockingQueue<>(2 * DIRECT_DOWNLOADS);

    private static final java.util.concurrent.atomic.AtomicInteger DIRECT_BUFFERS_MADE = new java.util.concurrent.atomic.AtomicInteger();

    private static ByteBuffer directBuffer() {
        ByteBuffer kept = DIRECT_BUFFERS.poll();
        if (kept != null) return kept;
        DIRECT_BUFFERS_MADE.incrementAndGet();
        return ByteBuffer.allocateDirect(DOWNLOAD_BUFFER);
    }

    /** How many direct buffers downloads have allocated in this JVM: at most two per download slot when they are kept. */
    static int directBuffersMade() { return DIRECT_BUFFERS_MADE.get(); }

    /**
     * Sends {@code size} bytes of {@code ch} through two direct buffers: one is filled from the file while the other
     * is on the socket, and neither passes through the heap (a heap array costs a copy each way).
     */
    private static void sendFile(Request request, Response response, FileChannel ch, long size) throws IOException {
        boolean direct = DIRECT_SLOTS.tryAcquire(); // however many connections a client opens, direct memory stays bounded
        int chunk = direct ? DOWNLOAD_BUFFER : SMALL_DOWNLOAD_BUFFER;
        ByteBuffer a = direct ? directBuffer() : ByteBuffer.allocate(chunk);
        ByteBuffer b = direct ? directBuffer() : ByteBuffer.allocate(chunk);
        Callback.Completable pending = null;
        try {
            long pos = 0;
            for (int turn = 0; pos < size; turn++) {
                ByteBuffer buf = turn % 2 == 0 ? a : b;
                buf.clear().limit((int) Math.min(chunk, size - pos));
                while (buf.hasRemaining()) {
                    if (ch.read(buf, pos + buf.position()) < 0) throw new IOException("a stored result ended before its " + size + " bytes");
                }
                buf.flip();
                pos += buf.remaining();
                if (pending != null) await(pending); // the buffer filled next is the one that write used
                pending = new Callback.Completable();
                response.write(pos == size, buf, pending);
            }
            if (pending != null) await(pending);
            pending = null;
        } finally {
            // A write still on the socket (a failure on the way here) must end before its buffer is used again; one
            // that does not is left to the garbage collector rather than handed to another download.
            boolean settled = pending == null;
            if (!settled) {
                try {
                    pending.get(30, java.util.concurrent.TimeUnit.SECONDS);
                    settled = true;
                } catch (java.util.concurrent.ExecutionException e) {
                    settled = true; // failed, so no longer on the socket; the failure is the connection's
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.TimeoutException e) {
                    // still on the socket
                }
            }
            if (direct) {
                if (settled) {
                    DIRECT_BUFFERS.offer(a);
                    DIRECT_BUFFERS.offer(b);
                }
                DIRECT_SLOTS.release();
            }
        }
    }

    private static void await(Callback.Completable write) throws IOException {
        try {
            write.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while sending a download");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private static void send(Response response, int status, byte[] json) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, json.length);
        try (OutputStream o = Content.Sink.asOutputStream(response)) {
            o.write(json);
        }
    }

    /** What Jetty refuses itself (a malformed URI, headers over the limit, an unsupported method) as Tiled's JSON. */
    private static final class JsonErrors extends ErrorHandler {
        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
            byte[] json = detail(message == null || message.isBlank() ? "Bad request" : message);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, json.length);
            response.write(true, ByteBuffer.wrap(json), callback);
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, "application/json");
            fields.put("X-Content-Type-Options", "nosniff");
            return ByteBuffer.wrap(detail(reason == null || reason.isBlank() ? "Bad request" : reason));
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "stopping the HTTP server", e);
        }
    }
}
