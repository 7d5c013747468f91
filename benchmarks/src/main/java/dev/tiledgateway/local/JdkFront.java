package dev.tiledgateway.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.write.WriteLimits;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The candidate the local server is measured against: the JDK's {@code com.sun.net.httpserver} on virtual threads,
 * with {@code TCP_NODELAY} (or without, to show the stall), in front of the same API Gateway emulation and API function as a running
 * {@link LocalServer}, keeping its body limits. Lives in the benchmarks only.
 *
 * <p>The JDK server reads its options once, when its classes load: call {@link #configure(boolean)} before any is used.
 */
public final class JdkFront implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * API Gateway's 10,240-byte request head and, with {@code noDelay}, TCP_NODELAY on accepted sockets (the JDK's
     * default is without: what the local server was before Jetty, and the delayed-ACK stall it had).
     */
    public static void configure(boolean noDelay) {
        System.setProperty("sun.net.httpserver.nodelay", String.valueOf(noDelay));
        System.setProperty("sun.net.httpserver.maxReqHeaderSize", String.valueOf(LocalServer.MAX_HEADER_BYTES));
    }

    /** Serves {@code jetty}'s API function and gateway emulation on a port of its own (0: any). */
    public JdkFront(LocalServer jetty, String host, int port) throws IOException {
        ApiGatewayEmulator gateway = jetty.gateway();
        var handler = jetty.handler();
        server = HttpServer.create(new InetSocketAddress(host, port), 256);
        server.setExecutor(executor);
        server.createContext("/", ex -> {
            try (ex) {
                String declared = ex.getRequestHeaders().getFirst("Content-Length");
                long length = declared == null ? -1 : Long.parseLong(declared.strip());
                if (length > LocalServer.GATEWAY_PAYLOAD_BYTES) {
                    send(ex, 413, Json.bytes(Json.object().put("detail", WriteLimits.tooLargeDetail(length))));
                    return;
                }
                byte[] body;
                try (InputStream in = ex.getRequestBody()) {
                    body = in.readNBytes(LocalServer.MAX_BODY_BYTES + 1);
                    if (body.length > LocalServer.MAX_BODY_BYTES) {
                        long drained = in.skip(LocalServer.GATEWAY_PAYLOAD_BYTES - body.length);
                        send(ex, 413, Json.bytes(Json.object().put("detail", WriteLimits.tooLargeDetail(length >= 0 ? length : drained + body.length))));
                        return;
                    }
                }
                List<Map.Entry<String, String>> headers = new ArrayList<>();
                ex.getRequestHeaders().forEach((k, vs) -> vs.forEach(v -> headers.add(Map.entry(k, v))));
                var in = new ApiGatewayEmulator.Incoming(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(),
                        headers, ex.getProtocol(), ex.getRemoteAddress().getAddress().getHostAddress(), ex.getLocalAddress().getPort(), body);
                Object event = gateway.authorized(in);
                ApiGatewayEmulator.Outgoing out = event instanceof ApiGatewayEmulator.Outgoing refused ? refused : gateway.respond(handler.handle((byte[]) event));
                for (Map.Entry<String, String> e : out.headers()) ex.getResponseHeaders().add(e.getKey(), e.getValue());
                boolean none = out.status() == 304 || out.status() == 204 || ex.getRequestMethod().equals("HEAD") || out.body().length == 0;
                if (none && out.status() != 304 && out.status() != 204) ex.getResponseHeaders().set("Content-Length", String.valueOf(out.body().length));
                ex.sendResponseHeaders(out.status(), none ? -1 : out.body().length);
                if (!none) {
                    try (OutputStream o = ex.getResponseBody()) {
                        o.write(out.body());
                    }
                }
            } catch (RuntimeException e) {
                throw new IOException(e);
            }
        });
    }

    private static void send(HttpExchange ex, int status, byte[] json) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(status, json.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(json);
        }
    }

    public void start() { server.start(); }

    public int port() { return server.getAddress().getPort(); }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
