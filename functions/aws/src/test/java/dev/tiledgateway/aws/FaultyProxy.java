package dev.tiledgateway.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small reverse proxy on loopback in front of an emulator that answers the next few requests
 * itself with a canned error (503 SlowDown, 429, a DynamoDB ThrottlingException, 403 ...) and
 * forwards everything else, so tests see how the adapters treat replies an emulator never sends.
 * It can also play a slow link: bodies in both directions pass one at a time at a set rate.
 */
public final class FaultyProxy implements AutoCloseable {

    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI target;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger faultsLeft = new AtomicInteger();
    private volatile int faultStatus;
    private volatile String faultContentType;
    private volatile String faultBody;
    private volatile long bytesPerSecond;
    private final Object link = new Object();

    public FaultyProxy(URI target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    public URI endpoint() { return URI.create("http://127.0.0.1:" + server.getAddress().getPort()); }

    /** The next {@code times} requests get this reply instead of the emulator's. */
    public void failNext(int times, int status, String contentType, String body) {
        faultStatus = status;
        faultContentType = contentType;
        faultBody = body;
        faultsLeft.set(times);
    }

    /** From now on, request and reply bodies share one link of this rate (0: no limit). */
    public void limitBandwidth(long rate) { bytesPerSecond = rate; }

    /** Holds the link for as long as {@code bytes} take on it. */
    private void pass(long bytes) throws IOException {
        long rate = bytesPerSecond;
        if (rate <= 0 || bytes == 0) return;
        synchronized (link) {
            try {
                Thread.sleep(bytes * 1000 / rate);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    public static String s3Error(String code) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>injected by the test</Message></Error>";
    }

    public static String dynamoError(String type) {
        return "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type + "\",\"message\":\"injected by the test\"}";
    }

    /** Requests received so far, failed or forwarded. */
    public int requests() { return requests.get(); }

    public void resetCount() { requests.set(0); }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            requests.incrementAndGet();
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (faultsLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                byte[] b = faultBody.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", faultContentType);
                if (ex.getRequestMethod().equals("HEAD")) {
                    ex.sendResponseHeaders(faultStatus, -1); // a HEAD reply has no body, only the status
                    return;
                }
                ex.sendResponseHeaders(faultStatus, b.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(b);
                }
                return;
            }
            pass(body.length);
            forward(ex, body);
        }
    }

    private void forward(HttpExchange ex, byte[] body) throws IOException {
        URI uri = target.resolve(ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()));
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).method(ex.getRequestMethod(),
                body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
            if (NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) continue;
            for (String v : h.getValue()) req.header(h.getKey(), v);
        }
        HttpResponse<byte[]> r;
        try {
            r = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        for (Map.Entry<String, List<String>> h : r.headers().map().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.equals(":status") || NOT_FORWARDED.contains(name)) continue;
            for (String v : h.getValue()) ex.getResponseHeaders().add(h.getKey(), v);
        }
        boolean head = ex.getRequestMethod().equals("HEAD");
        if (head) r.headers().firstValue("content-length").ifPresent(v -> ex.getResponseHeaders().set("Content-Length", v));
        byte[] out = r.body();
        if (!head) pass(out.length);
        ex.sendResponseHeaders(r.statusCode(), head || out.length == 0 ? -1 : out.length);
        if (!head && out.length > 0) {
            try (OutputStream o = ex.getResponseBody()) {
                o.write(out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
        client.close();
    }
}
