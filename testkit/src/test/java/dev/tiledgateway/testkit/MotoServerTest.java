package dev.tiledgateway.testkit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher serialises moto's requests; a client that sent a request's headers and stopped before its body
 * (a caller interrupted between the two) must not hold the others up while it waits for bytes that never come.
 */
@Tag("emulator")
class MotoServerTest {

    @Test
    void aClientStoppedHalfwayThroughABodyHoldsUpNoOtherRequest() throws IOException {
        try (MotoServer moto = MotoServer.start(); Socket stalled = connect(moto); Socket other = connect(moto)) {
            send(stalled, "PUT /stalled-bucket HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n");
            sleep(300); // its handler is now reading the body
            other.setSoTimeout(20_000);
            send(other, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            String status = statusLine(other.getInputStream());
            assertTrue(status.startsWith("HTTP/1.1 200"), status);
        }
    }

    private static Socket connect(MotoServer moto) throws IOException {
        return new Socket(moto.endpoint().getHost(), moto.endpoint().getPort());
    }

    private static void send(Socket s, String request) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) line.append((char) b);
        return line.toString().strip();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
