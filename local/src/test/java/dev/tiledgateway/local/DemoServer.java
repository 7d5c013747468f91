package dev.tiledgateway.local;

import dev.tiledgateway.testkit.MotoServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.UUID;

/**
 * One demo server per test JVM, on an ephemeral port, with a small inline ceiling to exercise redirects.
 * With {@code -Dtiled.test.backend=aws} it serves from S3 and DynamoDB on a moto server (the same HTTP
 * tests then prove the AWS adapters); otherwise from the embedded stores in a fresh folder.
 */
final class DemoServer {

    static final long MAX_INLINE = 200_000;

    private static Main.Running running;

    private DemoServer() {}

    static boolean aws() { return "aws".equals(System.getProperty("tiled.test.backend")); }

    static synchronized Main.Running get() {
        if (running == null) running = start();
        return running;
    }

    /**
     * A demo server of its own for the tests that write (create, write, delete nodes): their nodes must not change
     * what the read tests see on {@link #get()} (the root's count, say). Same stores and ceiling as {@link #get()}.
     */
    static synchronized Main.Running writable() {
        if (writable == null) writable = start();
        return writable;
    }

    private static Main.Running writable;

    private static Main.Running start() {
        try {
            if (aws()) {
                String endpoint = MotoServer.shared().endpoint().toString();
                String id = UUID.randomUUID().toString().substring(0, 8);
                return Main.serveDemoOnAws("127.0.0.1", 0, endpoint, endpoint, "demo-" + id, "catalog-" + id, true, MAX_INLINE);
            }
            return Main.serveDemo("127.0.0.1", 0, Files.createTempDirectory("tiled-gateway-demo-test"), MAX_INLINE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Http http() { return new Http(get()); }

    static Http writableHttp() { return new Http(writable()); }

    /** The response limit of the bounded server: a few MB, so tests reach it cheaply. */
    static final long BOUNDED_RESPONSE = 5_000_000;
    /** The space its materialised results may take. */
    static final long BOUNDED_RESULTS = 12_000_000;

    private static Main.Running bounded;

    /**
     * A second demo server, on the embedded stores only, with tight bounds: a response limit of
     * {@link #BOUNDED_RESPONSE} bytes, one large result produced at a time with no waiting for a turn, and
     * materialised results capped at {@link #BOUNDED_RESULTS} bytes (they expire after the usual day).
     */
    static synchronized Main.Running bounded() {
        if (bounded == null) {
            Options o = new Options();
            o.mode = "demo";
            o.port = 0;
            o.maxInline = MAX_INLINE;
            o.maxResponse = BOUNDED_RESPONSE;
            o.maxMaterialising = 1;
            o.materialiseWait = java.time.Duration.ZERO;
            o.retention = new ResultSweeper.Retention(ResultSweeper.Retention.DAY, BOUNDED_RESULTS);
            try {
                o.dataDir = Files.createTempDirectory("tiled-gateway-bounded-test");
                bounded = Serve.demo(o, System.err);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bounded;
    }

    static Http boundedHttp() { return new Http(bounded()); }
}
