package dev.tiledgateway.bench;

import dev.tiledgateway.local.JdkFront;
import dev.tiledgateway.local.Main;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local HTTP server chosen by measurement: the demo behind Jetty (what {@code serve demo} runs) and behind the
 * JDK's {@code com.sun.net.httpserver} with TCP_NODELAY ({@link JdkFront}, the same API function and gateway emulation),
 * on the same requests from raw-socket HTTP/1.1 clients, the two servers in turns within each round (which goes first
 * alternating from round to round):
 * <ul>
 * <li>one client, sequential: a 20,000-byte {@code /array/full} read and a {@code /metadata} read, each on a kept-alive
 *     connection and on a fresh one (the delayed-ACK stall shows as keep-alive slower than fresh);</li>
 * <li>1, 16 and 64 keep-alive clients alternating the two requests;</li>
 * <li>16 such clients while 4 slow clients (a byte of request every 10 ms, the answer read 512 bytes at a time) and
 *     100 idle connections (half a request line, then nothing) hold the server.</li>
 * </ul>
 *
 * <p>{@code --jdk-nodelay false} leaves the JDK server without TCP_NODELAY, as the local server was before Jetty: the
 * stall then shows on its keep-alive rows.
 *
 * <pre>ServerCompare --data-dir DIR --out FILE [--rounds 2] [--seconds 5] [--samples 200] [--jdk-nodelay true]</pre>
 */
public final class ServerCompare {

    static final String ARRAY = "/api/v1/array/full/nested/images/tiny_image"; // 50 x 50 float64
    static final String METADATA = "/api/v1/metadata/nested/images/tiny_image";
    static final String[] SERVERS = {"jetty", "jdk"};
    static final int[] CLIENTS = {1, 16, 64};

    private ServerCompare() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = null, out = null;
        boolean jdkNoDelay = true;
        int rounds = 2, seconds = 5, samples = 200;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--jdk-nodelay" -> jdkNoDelay = Boolean.parseBoolean(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (dataDir == null || out == null) throw new IllegalArgumentException("usage: ServerCompare --data-dir DIR --out FILE [--rounds N] [--seconds S] [--samples N] [--jdk-nodelay B]");
        JdkFront.configure(jdkNoDelay); // before the JDK server's classes load
        Files.createDirectories(dataDir);
        Results r = new Results();
        r.put("srv.jdk_nodelay", String.valueOf(jdkNoDelay));
        r.put("srv.load_start", Load.now());
        Main.Running running = Main.serveDemo("127.0.0.1", 0, dataDir, 4_500_000);
        JdkFront jdk = new JdkFront(running.server(), "127.0.0.1", 0);
        jdk.start();
        Map<String, Integer> ports = Map.of("jetty", running.server().port(), "jdk", jdk.port());
        Map<String, List<long[]>> pooled = new LinkedHashMap<>();
        Map<String, double[]> counts = new LinkedHashMap<>(); // requests, errors, window seconds, slow answers
        try {
            for (String s : SERVERS) sequential(ports.get(s), 20, new LinkedHashMap<>(), s); // warm both
            for (int round = 0; round < rounds; round++) {
                log("round " + (round + 1) + " of " + rounds + " (load " + Load.now() + ")");
                // Which server goes first alternates from round to round (A B, B A, ...).
                List<String> order = round % 2 == 0 ? List.of(SERVERS) : List.of(SERVERS).reversed();
                for (String s : order) sequential(ports.get(s), samples, pooled, s);
                for (int c : CLIENTS)
                    for (String s : order) load(ports.get(s), c, 0, 0, seconds, s + ".c" + c, pooled, counts);
                for (String s : order) load(ports.get(s), 16, 4, 100, seconds, s + ".hostile", pooled, counts);
            }
        } finally {
            jdk.close();
            running.server().close();
        }
        for (var e : pooled.entrySet()) {
            long[] all = e.getValue().stream().flatMapToLong(Arrays::stream).toArray();
            r.put("srv." + e.getKey() + ".p50_ms", Stats.millis(Stats.percentile(all, 50)));
            r.put("srv." + e.getKey() + ".p90_ms", Stats.millis(Stats.percentile(all, 90)));
            r.put("srv." + e.getKey() + ".p99_ms", Stats.millis(Stats.percentile(all, 99)));
            r.put("srv." + e.getKey() + ".n", all.length);
        }
        for (var e : counts.entrySet()) {
            double[] c = e.getValue();
            r.put("srv." + e.getKey() + ".rps", c[0] / c[2]);
            r.put("srv." + e.getKey() + ".errors", (long) c[1]);
            r.put("srv." + e.getKey() + ".slow_answers", (long) c[3]);
        }
        r.put("srv.rounds", rounds);
        r.put("srv.seconds", seconds);
        r.put("srv.load_end", Load.now());
        r.save(out);
        log("done");
        System.exit(0); // the demo's dynamic-array ticker is not stopped by closing the server
    }

    /** Interleaved: keep-alive array, fresh array, keep-alive metadata, fresh metadata. */
    private static void sequential(int port, int n, Map<String, List<long[]>> pooled, String server) throws IOException {
        long[][] t = new long[4][n];
        try (Conn ka = new Conn(port)) {
            for (int i = 0; i < n; i++) {
                t[0][i] = ka.timed(ARRAY, 20_000);
                try (Conn f = new Conn(port)) { t[1][i] = f.timedFromConnect(ARRAY, 20_000); }
                t[2][i] = ka.timed(METADATA, -1);
                try (Conn f = new Conn(port)) { t[3][i] = f.timedFromConnect(METADATA, -1); }
            }
        }
        String[] names = {"keepalive.array", "fresh.array", "keepalive.metadata", "fresh.metadata"};
        for (int k = 0; k < 4; k++) pooled.computeIfAbsent(server + ".seq." + names[k], x -> new ArrayList<>()).add(t[k]);
    }

    private static void load(int port, int clients, int slow, int idle, int seconds, String key, Map<String, List<long[]>> pooled,
                             Map<String, double[]> counts) throws Exception {
        long from = System.nanoTime() + 1_000_000_000L, until = from + seconds * 1_000_000_000L;
        AtomicLong errors = new AtomicLong(), slowAnswers = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Socket> idlers = new ArrayList<>();
        for (int i = 0; i < idle; i++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.getOutputStream().write("GET /api/v1/metadata/ HT".getBytes(StandardCharsets.US_ASCII));
            idlers.add(s);
        }
        List<Thread> slowThreads = new ArrayList<>();
        for (int i = 0; i < slow; i++) slowThreads.add(Thread.ofPlatform().daemon().start(() -> slowClient(port, stop, slowAnswers)));
        long[][] lat = new long[clients][];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int id = c;
            threads.add(Thread.ofPlatform().start(() -> lat[id] = client(port, id, from, until, errors)));
        }
        for (Thread t : threads) t.join();
        stop.set(true);
        for (Thread t : slowThreads) t.join(10_000);
        for (Socket s : idlers) s.close();
        long[] all = Arrays.stream(lat).flatMapToLong(Arrays::stream).toArray();
        pooled.computeIfAbsent(key, x -> new ArrayList<>()).add(all);
        double[] c = counts.computeIfAbsent(key, x -> new double[4]);
        c[0] += all.length;
        c[1] += errors.get();
        c[2] += seconds;
        c[3] += slowAnswers.get();
    }

    private static long[] client(int port, int id, long from, long until, AtomicLong errors) {
        long[] lat = new long[1 << 14];
        int n = 0;
        Conn conn = null;
        for (int i = id; ; i++) {
            long t0 = System.nanoTime();
            if (t0 >= until) break;
            long d;
            try {
                if (conn == null) conn = new Conn(port);
                d = i % 2 == 0 ? conn.timed(ARRAY, 20_000) : conn.timed(METADATA, -1);
            } catch (IOException e) {
                errors.incrementAndGet();
                if (conn != null) conn.close();
                conn = null;
                continue;
            }
            if (t0 >= from && t0 + d <= until) {
                if (n == lat.length) lat = Arrays.copyOf(lat, n * 2);
                lat[n++] = d;
            }
        }
        if (conn != null) conn.close();
        return Arrays.copyOf(lat, n);
    }

    /** Sends a metadata request a byte every 10 ms and reads the answer 512 bytes at a time, until told to stop. */
    private static void slowClient(int port, AtomicBoolean stop, AtomicLong answers) {
        byte[] req = request(METADATA);
        while (!stop.get()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                s.setSoTimeout(30_000);
                OutputStream o = s.getOutputStream();
                for (byte b : req) {
                    if (stop.get()) return;
                    o.write(b);
                    o.flush();
                    Thread.sleep(10);
                }
                InputStream in = s.getInputStream();
                byte[] buf = new byte[512];
                int length = -1, read = 0, headEnd = -1;
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                for (int k; (headEnd < 0 || read - headEnd < length) && (k = in.read(buf)) > 0; ) {
                    got.write(buf, 0, k);
                    read += k;
                    if (headEnd < 0) {
                        String h = got.toString(StandardCharsets.ISO_8859_1);
                        int e = h.indexOf("\r\n\r\n");
                        if (e >= 0) { headEnd = e + 4; length = contentLength(h.substring(0, e)); }
                    }
                    Thread.sleep(5);
                }
                if (headEnd >= 0 && read - headEnd >= length) answers.incrementAndGet();
            } catch (IOException e) {
                // counted by its absence from the answers
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static byte[] request(String path) {
        String accept = path.startsWith("/api/v1/array") ? "application/octet-stream" : "application/json";
        return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static int contentLength(String head) {
        for (String l : head.split("\r\n"))
            if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")) return Integer.parseInt(l.substring(15).strip());
        throw new IllegalStateException("no Content-Length in " + head.lines().findFirst().orElse(""));
    }

    /** One HTTP/1.1 connection, requests sent one after another on it. */
    private static final class Conn implements AutoCloseable {
        private final long connectStart = System.nanoTime();
        private final Socket socket = new Socket();
        private final InputStream in;
        private final OutputStream out;

        Conn(int port) throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            out = socket.getOutputStream();
        }

        /** Nanoseconds from sending to the last byte of a 200 answer; {@code expect} its body length, or -1 for any. */
        long timed(String path, int expect) throws IOException {
            long t0 = System.nanoTime();
            exchange(path, expect);
            return System.nanoTime() - t0;
        }

        /** The same, counted from before the connection was opened. */
        long timedFromConnect(String path, int expect) throws IOException {
            exchange(path, expect);
            return System.nanoTime() - connectStart;
        }

        private void exchange(String path, int expect) throws IOException {
            out.write(request(path));
            ByteArrayOutputStream head = new ByteArrayOutputStream(512);
            int state = 0;
            while (state < 4) {
                int b = in.read();
                if (b < 0) throw new IOException("connection closed before the answer to " + path);
                head.write(b);
                state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : (b == '\r' ? 1 : 0);
            }
            String h = head.toString(StandardCharsets.ISO_8859_1);
            if (!h.startsWith("HTTP/1.1 200")) throw new IOException(path + ": " + h.lines().findFirst().orElse(""));
            int length = contentLength(h);
            byte[] body = in.readNBytes(length);
            if (body.length != length || (expect >= 0 && length != expect)) throw new IOException(path + ": " + body.length + " bytes of " + length);
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    static void log(String s) {
        System.err.println("[servers] " + s);
    }
}
