package dev.tiledgateway.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tiledgateway.api.ApiHandler;
import dev.tiledgateway.embedded.store.FileBlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The local stand-in for API Gateway and S3: real HTTP in, the same v2.0 events the API function gets
 * on AWS, and presigned downloads of the embedded object store at {@code /_blob/}.
 */
public final class LocalServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalServer.class.getName());

    private final HttpServer server;
    private final ExecutorService executor;

    /** @param store the embedded store whose presigned downloads this server answers, or null when there is none */
    public LocalServer(String host, int port, ApiHandler handler, FileBlobStore store, BlobUrls urls) throws IOException {
        this(host, port, handler, store, urls, new ResultLeases(java.time.Clock.systemUTC()));
    }

    /** @param leases where downloads are noted, so that a result is not expired while it is being read */
    LocalServer(String host, int port, ApiHandler handler, FileBlobStore store, BlobUrls urls, ResultLeases leases) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 256);
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", ex -> {
            try {
                if (store != null && ex.getRequestURI().getRawPath().startsWith(BlobUrls.PREFIX)) serveBlob(ex, store, urls, leases);
                else {
                    byte[] body;
                    try (InputStream in = ex.getRequestBody()) {
                        body = in.readAllBytes();
                    }
                    ApiGatewayEmulator.respond(ex, handler.handle(ApiGatewayEmulator.event(ex, body)));
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "failed to answer " + ex.getRequestURI(), e);
                ex.close();
            }
        });
    }

    public void start() { server.start(); }

    public int port() { return server.getAddress().getPort(); }

    private static void serveBlob(HttpExchange ex, FileBlobStore store, BlobUrls urls, ResultLeases leases) throws IOException {
        String key = URLDecoder.decode(ex.getRequestURI().getRawPath().substring(BlobUrls.PREFIX.length()), StandardCharsets.UTF_8);
        Map<String, String> q = new HashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw != null) for (String p : raw.split("&")) {
            int eq = p.indexOf('=');
            if (eq > 0) q.put(p.substring(0, eq), URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
        }
        if (!urls.verify(key, q.get("expires"), q.get("signature"))) {
            send(ex, 403, "application/json", "{\"detail\": \"Request has expired or its signature does not match\"}");
            return;
        }
        Path file;
        try {
            file = store.fileOf(key);
        } catch (IllegalArgumentException e) {
            send(ex, 404, "application/json", "{\"detail\": \"No such object\"}");
            return;
        }
        if (!Files.isRegularFile(file)) {
            send(ex, 404, "application/json", "{\"detail\": \"No such object\"}");
            return;
        }
        leases.downloadStarts(key);
        // Opened first, then measured: a result removed or replaced meanwhile is either read whole or not found.
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().set("Content-Length", String.valueOf(size));
                ex.sendResponseHeaders(200, -1);
            } else {
                ex.sendResponseHeaders(200, size == 0 ? -1 : size);
                try (OutputStream out = ex.getResponseBody(); InputStream in = Channels.newInputStream(ch)) {
                    byte[] buf = new byte[1 << 20]; // large writes: the socket, not the copy loop, should be the limit
                    for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
                }
            }
        } catch (NoSuchFileException e) {
            send(ex, 404, "application/json", "{\"detail\": \"No such object\"}");
            return;
        } finally {
            leases.downloadEnds(key);
        }
        ex.close();
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

}
