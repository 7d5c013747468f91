package dev.tiledgateway.core.observe;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tiledgateway.core.json.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * One JSON line per request: what the request was and did, and, in the same document, its metrics in CloudWatch's
 * embedded metric format (EMF), so that CloudWatch Logs extracts {@code Latency} (ms), {@code Errors4xx},
 * {@code Errors5xx}, {@code Bytes} and {@code Redirects} by {@code Route} from the function's log without a call to
 * CloudWatch. The other members (ids, node path, status, backend calls) are only logged: a node path as a metric
 * dimension would make a metric per node.
 */
public final class RequestLog {

    /** The environment variable naming the CloudWatch namespace of the metrics. */
    public static final String NAMESPACE = "TILED_GATEWAY_METRICS_NAMESPACE";
    public static final String DEFAULT_NAMESPACE = "TiledGateway";

    private final String namespace;
    private final Consumer<String> out;

    /** @param out receives each line, without its line feed */
    public RequestLog(String namespace, Consumer<String> out) {
        if (namespace == null || namespace.isBlank() || namespace.length() > 255)
            throw new IllegalArgumentException("a CloudWatch namespace has 1 to 255 characters: " + namespace);
        this.namespace = namespace;
        this.out = out;
    }

    /** Lines to {@code stream} (Lambda sends a function's standard output to CloudWatch Logs), the namespace from {@code env}. */
    public static RequestLog to(PrintStream stream, java.util.Map<String, String> env) {
        String ns = env.get(NAMESPACE);
        return new RequestLog(ns == null || ns.isBlank() ? DEFAULT_NAMESPACE : ns.strip(), stream::println);
    }

    public String namespace() { return namespace; }

    /** Writes the line of a finished request. */
    public void write(RequestTrace t) { out.accept(line(t)); }

    /** The line of a finished request: one JSON object, an EMF document. */
    public String line(RequestTrace t) {
        StringWriter w = new StringWriter(512);
        try (JsonGenerator g = Json.FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeObjectFieldStart("_aws");
            g.writeNumberField("Timestamp", t.startEpochMillis());
            g.writeArrayFieldStart("CloudWatchMetrics");
            g.writeStartObject();
            g.writeStringField("Namespace", namespace);
            g.writeArrayFieldStart("Dimensions");
            g.writeStartArray();
            g.writeString("Route");
            g.writeEndArray();
            g.writeEndArray();
            g.writeArrayFieldStart("Metrics");
            metric(g, "Latency", "Milliseconds");
            metric(g, "Errors4xx", "Count");
            metric(g, "Errors5xx", "Count");
            metric(g, "Bytes", "Bytes");
            metric(g, "Redirects", "Count");
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();

            g.writeStringField("Route", t.route());
            g.writeNumberField("Latency", t.durationNanos() / 1e6);
            g.writeNumberField("Errors4xx", t.status() >= 400 && t.status() < 500 ? 1 : 0);
            g.writeNumberField("Errors5xx", t.status() >= 500 ? 1 : 0);
            g.writeNumberField("Bytes", t.bytes());
            g.writeNumberField("Redirects", t.redirect() ? 1 : 0);

            g.writeStringField("requestId", t.requestId());
            g.writeStringField("tiledRequestId", t.tiledRequestId());
            g.writeStringField("path", t.path() == null ? null : t.path().toString());
            g.writeNumberField("status", t.status());
            g.writeObjectFieldStart("backend");
            for (RequestTrace.Port p : RequestTrace.Port.values()) {
                g.writeObjectFieldStart(p.label);
                g.writeNumberField("calls", t.calls(p));
                g.writeNumberField("ms", t.nanos(p) / 1e6);
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void metric(JsonGenerator g, String name, String unit) throws IOException {
        g.writeStartObject();
        g.writeStringField("Name", name);
        g.writeStringField("Unit", unit);
        g.writeEndObject();
    }
}
