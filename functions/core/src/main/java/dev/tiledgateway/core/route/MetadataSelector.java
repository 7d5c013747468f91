package dev.tiledgateway.core.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import io.burt.jmespath.Expression;
import io.burt.jmespath.JmesPathException;
import io.burt.jmespath.RuntimeConfiguration;
import io.burt.jmespath.jackson.JacksonRuntime;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;

/**
 * {@code select_metadata}: a JMESPath expression applied to each node's metadata in one response, whose result
 * replaces the metadata as {@code {"selected": <result>}} (as upstream Tiled does). A malformed expression, or one
 * that fails on a node's metadata (a function given the wrong type), is a 400.
 *
 * <p>JMESPath can build large values from small ones ({@code [@,@][] | [@,@][] | …} doubles a list at each
 * step), so one response's evaluations may create at most {@value #MAX_CREATED} array elements and object
 * members together, and one result may weigh at most {@value #MAX_RESULT_BYTES} bytes (estimated by walking
 * it, shared parts counted each time they appear); past either bound the request is refused with a 400.
 */
final class MetadataSelector {

    static final int MAX_EXPRESSION_CHARS = 1000;
    static final long MAX_CREATED = 5_000_000;
    static final long MAX_RESULT_BYTES = 1_000_000;

    private final String source;
    private final Expression<JsonNode> expression;

    private MetadataSelector(String source, Expression<JsonNode> expression) {
        this.source = source;
        this.expression = expression;
    }

    /** The expression, compiled for one response (its bound on created values is the response's). */
    static MetadataSelector compile(String source) {
        if (source.length() > MAX_EXPRESSION_CHARS)
            throw TiledException.badRequest("select_metadata is " + source.length() + " characters long; at most " + MAX_EXPRESSION_CHARS + " are allowed");
        try {
            return new MetadataSelector(source, new Counting().compile(source));
        } catch (JmesPathException e) {
            throw malformed(e.getMessage());
        } catch (StackOverflowError e) {
            throw malformed("the expression is nested too deeply");
        } catch (RuntimeException e) {
            throw malformed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** {@code {"selected": <the expression's result on metadata>}}. */
    ObjectNode select(ObjectNode metadata) {
        JsonNode result;
        try {
            result = expression.search(metadata == null ? Json.object() : metadata);
        } catch (JmesPathException e) {
            throw malformed(e.getMessage());
        } catch (Counting.Exhausted e) {
            throw TiledException.badRequest("select_metadata " + quote() + " builds more than " + MAX_CREATED + " values in this response; select less");
        } catch (StackOverflowError e) {
            throw malformed("the expression recurses too deeply");
        } catch (RuntimeException e) {
            // The library failing otherwise on what a client wrote: still the expression's fault, not the server's.
            throw malformed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        if (result != null && tooLarge(result))
            throw TiledException.badRequest("select_metadata " + quote() + " selects more than " + MAX_RESULT_BYTES + " bytes of one node's metadata; select less");
        ObjectNode out = Json.object();
        out.set("selected", result == null ? Json.nullNode() : result);
        return out;
    }

    private String quote() { return "'" + (source.length() > 80 ? source.substring(0, 80) + "..." : source) + "'"; }

    private static TiledException malformed(String why) {
        return TiledException.badRequest("Malformed 'select_metadata' parameter raised JMESPathError: " + why);
    }

    /** Whether the value, written out, would pass {@link #MAX_RESULT_BYTES} (each part counted where it appears). */
    private static boolean tooLarge(JsonNode root) {
        long size = 0;
        Deque<JsonNode> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            JsonNode n = todo.pop();
            size += 8;
            if (n.isTextual()) size += n.textValue().length();
            else if (n.isObject()) {
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    size += e.getKey().length();
                    todo.push(e.getValue());
                }
            } else if (n.isArray()) for (JsonNode c : n) todo.push(c);
            if (size > MAX_RESULT_BYTES) return true;
        }
        return false;
    }

    /** Jackson's runtime, counting the array elements and object members an evaluation creates. */
    private static final class Counting extends JacksonRuntime {
        private long created;

        Counting() { super(RuntimeConfiguration.defaultConfiguration(), Json.mapper()); }

        private void charge(long n) {
            created += n;
            if (created > MAX_CREATED) throw new Exhausted();
        }

        @Override
        public JsonNode createArray(Collection<JsonNode> elements) {
            charge(elements.size());
            return super.createArray(elements);
        }

        @Override
        public JsonNode createObject(Map<JsonNode, JsonNode> members) {
            charge(members.size());
            return super.createObject(members);
        }

        @Override
        public JsonNode createString(String s) {
            charge(1 + s.length() / 64);
            return super.createString(s);
        }

        /** The bound was reached (no stack trace: it is a limit, not a bug). */
        static final class Exhausted extends RuntimeException {
            Exhausted() { super(null, null, false, false); }
        }
    }
}
