package dev.tiledgateway.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The requests the real Tiled client sent for each of its calls, as recorded in
 * {@code client-requests/queries.txt} (its README says how): one block per client call.
 */
final class RecordedRequests {

    /** One request as it went on the wire: method, raw path and query, Accept header. */
    record Request(String method, String pathAndQuery, String accept) {}

    /** One client call ({@code # <Python call>}) and the requests it sent, in order (none for some calls). */
    record Call(String python, List<Request> requests) {}

    private RecordedRequests() {}

    static List<Call> load() {
        String text;
        try (InputStream in = RecordedRequests.class.getResourceAsStream("/client-requests/queries.txt")) {
            if (in == null) throw new IllegalStateException("client-requests/queries.txt is not on the test class path");
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Call> calls = new ArrayList<>();
        String python = null;
        List<Request> requests = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("##") || line.isBlank() || line.startsWith("#   note:")) continue;
            if (line.startsWith("#   accept: ")) {
                Request last = requests.remove(requests.size() - 1);
                requests.add(new Request(last.method(), last.pathAndQuery(), line.substring("#   accept: ".length()).strip()));
            } else if (line.startsWith("# ")) {
                if (python != null) calls.add(new Call(python, List.copyOf(requests)));
                python = line.substring(2).strip();
                requests = new ArrayList<>();
            } else {
                int space = line.indexOf(' ');
                requests.add(new Request(line.substring(0, space), line.substring(space + 1).strip(), null));
            }
        }
        if (python != null) calls.add(new Call(python, List.copyOf(requests)));
        return calls;
    }
}
