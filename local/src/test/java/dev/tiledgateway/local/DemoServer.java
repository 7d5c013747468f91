package dev.tiledgateway.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One demo server per test JVM, on an ephemeral port, over a fresh data folder; small inline ceiling to exercise redirects. */
final class DemoServer {

    static final long MAX_INLINE = 200_000;

    private static Main.Running running;
    private static Path dataDir;

    private DemoServer() {}

    static synchronized Main.Running get() {
        if (running == null) {
            try {
                dataDir = Files.createTempDirectory("tiled-gateway-demo-test");
                running = Main.serveDemo("127.0.0.1", 0, dataDir, MAX_INLINE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return running;
    }

    static Path dataDir() {
        get();
        return dataDir;
    }

    static Http http() { return new Http(get().server().port()); }
}
