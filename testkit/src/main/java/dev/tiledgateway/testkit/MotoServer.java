package dev.tiledgateway.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * moto's server (S3, DynamoDB, ...) on a free loopback port, in a child process of the test JVM.
 *
 * <p>It is launched through a few lines of Python rather than {@code python3 -m moto.server}, for two
 * reasons. moto's threaded server runs requests concurrently on shared in-memory state without locks
 * (a transaction even restores a deep copy of the table when it fails), whereas every DynamoDB write
 * and S3 PUT is atomic; serialising requests restores that, which the concurrency tests depend on.
 * A request's body is read before it takes its turn, so a client that stops halfway through a body
 * holds up only its own connection (which is dropped after two idle minutes), never the server.
 * And the server exits when the test JVM's end of its stdin closes, so a killed test run leaves no
 * orphan server behind.
 */
public final class MotoServer implements AutoCloseable {

    private static final String LAUNCHER = String.join("\n",
            "import io, os, sys, threading",
            "from werkzeug.serving import run_simple, WSGIRequestHandler",
            "from werkzeug.wsgi import get_input_stream",
            "from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app",
            "app = DomainDispatcherApplication(create_backend_app)",
            "lock = threading.Lock()",
            "class Handler(WSGIRequestHandler):",
            "    timeout = 120",
            "def serialised(environ, start_response):",
            "    body = get_input_stream(environ).read()",
            "    environ['wsgi.input'] = io.BytesIO(body)",
            "    environ['CONTENT_LENGTH'] = str(len(body))",
            "    environ.pop('wsgi.input_terminated', None)",
            "    with lock:",
            "        return list(app(environ, start_response))",
            "def exit_with_parent():",
            "    sys.stdin.read()",
            "    os._exit(0)",
            "threading.Thread(target=exit_with_parent, daemon=True).start()",
            "exec(sys.argv[3] if len(sys.argv) > 3 else '')",
            "run_simple(sys.argv[1], int(sys.argv[2]), serialised, threaded=True, request_handler=Handler)",
            "");

    private static MotoServer shared;

    private final Process process;
    private final OutputStream stdin;
    private final int port;
    private final Path log;

    private MotoServer(Process process, int port, Path log) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.port = port;
        this.log = log;
    }

    /** One server for the whole test run, stopped when the JVM exits. */
    public static synchronized MotoServer shared() {
        if (shared == null || !shared.process.isAlive()) {
            shared = start();
            MotoServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        }
        return shared;
    }

    /** A server of one's own (for tests that stop it). */
    public static MotoServer start() { return start(""); }

    /**
     * A server of one's own that first runs {@code prelude}, Python code executed after moto is imported and before
     * the server starts (a benchmark changes how moto does something there; tests use {@link #start()}).
     */
    public static MotoServer start(String prelude) {
        checkMotoInstalled();
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Path log = Files.createTempFile("moto-" + port + "-", ".log");
            Process p = new ProcessBuilder("python3", "-c", LAUNCHER, "127.0.0.1", Integer.toString(port), prelude)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            MotoServer server = new MotoServer(p, port, log);
            server.awaitListening(Duration.ofSeconds(30));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start moto with python3: " + e.getMessage(), e);
        }
    }

    private static void checkMotoInstalled() {
        String detail;
        try {
            Process p = new ProcessBuilder("python3", "-c", "import moto, werkzeug").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return;
            detail = out.strip();
        } catch (IOException e) {
            detail = "python3 is not on PATH (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            detail = "interrupted";
        }
        throw new IllegalStateException("The AWS emulator tests need moto: `python3 -c 'import moto'` failed: " + detail
                + ". Install it with `python3 -m pip install 'moto[server]'`, or skip these tests with -DexcludedGroups=emulator.");
    }

    private void awaitListening(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive())
                throw new IllegalStateException("moto exited with " + process.exitValue() + " before listening:\n" + Files.readString(log));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for moto", e);
                }
            }
        }
        close();
        throw new IllegalStateException("moto did not listen on port " + port + " within " + timeout.toSeconds() + " s:\n" + Files.readString(log));
    }

    public URI endpoint() { return URI.create("http://127.0.0.1:" + port); }


    /** SIGSTOP: the server keeps its sockets but answers nothing, like a hung service. */
    public void freeze() { signal("STOP"); }

    public void thaw() { signal("CONT"); }

    /** Kills the server at once (SIGKILL). */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void signal(String sig) {
        try {
            Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).start();
            k.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal moto: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            stdin.close(); // the launcher exits when its stdin closes
        } catch (IOException ignored) {
            // it is going anyway
        }
        if (process.isAlive()) {
            thaw();
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temp file
        }
    }
}
