package dev.tiledgateway.local;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keep-alive connections answer without the delayed-ACK stall: the server's end of a client's connection has
 * {@code TCP_NODELAY}. (Whether head and body leave in one write cannot be seen deterministically from a client:
 * segment boundaries are the kernel's. The keep-alive step of the benchmarks measures the stall itself.)
 */
class KeepAliveHttpTest {

    private static final String ARRAY = "/api/v1/array/full/nested/images/tiny_image"; // 50 x 50 float64: 20,000 bytes

    @Test
    void theServersEndOfAKeepAliveConnectionSendsWithoutNagle() throws IOException {
        Main.Running running = DemoServer.get();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", running.server().port()), 5_000);
            s.setSoTimeout(30_000);
            for (int i = 0; i < 2; i++) { // the second answer comes on the same connection: it was kept alive
                s.getOutputStream().write(("GET " + ARRAY + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/octet-stream\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                assertEquals(20_000, readResponseBody(s.getInputStream()).length);
            }
            SocketChannel servers = null;
            for (SocketChannel c : running.server().connections()) {
                if (c.getRemoteAddress() instanceof InetSocketAddress a && a.getPort() == s.getLocalPort()) servers = c;
            }
            assertNotNull(servers, "the server lists this client's connection among its open ones");
            assertTrue(servers.getOption(StandardSocketOptions.TCP_NODELAY), "TCP_NODELAY on the server's end of the connection");
        }
    }

    /** One HTTP/1.1 response with a Content-Length: its body, after checking the status is 200. */
    private static byte[] readResponseBody(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            assertTrue(b >= 0, "the connection stays open for the response");
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') break;
        }
        String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
        assertTrue(lines[0].startsWith("HTTP/1.1 200"), lines[0]);
        int length = -1;
        for (String l : lines) if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(l.substring(15).strip());
        assertTrue(length >= 0, "a Content-Length");
        return in.readNBytes(length);
    }
}
