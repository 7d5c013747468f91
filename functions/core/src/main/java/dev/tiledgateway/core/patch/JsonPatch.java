package dev.tiledgateway.core.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * JSON Patch (RFC 6902): a list of operations applied in order to a copy of a document, all or nothing.
 *
 * <p>Two kinds of failure, told apart because a client retries only one of them: a patch that is malformed whatever
 * the document (not a list, an unknown op, a member missing, a pointer that is not one, a move into its own child) is
 * a 422; a well-formed patch that does not fit this document (a failed {@code test}, a {@code remove} or
 * {@code replace} of nothing, an {@code add} under a parent that is missing, an index past the end) is a 409, the
 * status RFC 5789 names for a patch that conflicts with the resource's current state.
 */
public final class JsonPatch {

    private final List<Op> ops;
    private final long maxCopiedBytes;

    private record Op(String op, JsonPointer path, JsonPointer from, JsonNode value, int index) {}

    private JsonPatch(List<Op> ops, long maxCopiedBytes) {
        this.ops = ops;
        this.maxCopiedBytes = maxCopiedBytes;
    }

    /**
     * Reads a patch document; every operation is checked for form before any is applied.
     *
     * @param maxCopiedBytes how many bytes of JSON {@code copy} operations may duplicate in all: the one operation
     *                       that grows a document past what the request carried (each copy can double it)
     * @throws TiledException 422 for a malformed patch
     */
    public static JsonPatch parse(JsonNode patch, long maxCopiedBytes) {
        if (patch == null || !patch.isArray()) throw TiledException.unprocessable("A JSON Patch must be a list of operations");
        List<Op> ops = new ArrayList<>(patch.size());
        for (JsonNode o : patch) {
            int i = ops.size();
            if (!o.isObject()) throw malformed(i, "is not a JSON object");
            String name = text(o, "op", i);
            JsonPointer path = JsonPointer.parse(text(o, "path", i), i);
            JsonPointer from = null;
            JsonNode value = null;
            switch (name) {
                case "add", "replace", "test" -> {
                    if (!o.has("value")) throw malformed(i, "(" + name + ") has no \"value\"");
                    value = o.get("value");
                }
                case "remove" -> { }
                case "move", "copy" -> {
                    from = JsonPointer.parse(text(o, "from", i), i);
                    if (name.equals("move") && from.isProperPrefixOf(path))
                        throw malformed(i, "moves " + from + " into its own child " + path);
                }
                default -> throw malformed(i, "has the unknown op '" + name + "' (known: add, remove, replace, move, copy, test)");
            }
            ops.add(new Op(name, path, from, value, i));
        }
        return new JsonPatch(List.copyOf(ops), maxCopiedBytes);
    }

    public int size() { return ops.size(); }

    /**
     * The document after every operation, applied to a deep copy: {@code document} itself is never changed, and a
     * failing operation leaves nothing half-applied.
     *
     * @throws TiledException 409 when an operation does not fit the document, 413 when copies exceed their bound
     */
    public JsonNode apply(JsonNode document) {
        JsonNode doc = document == null ? JsonNodeFactory.instance.nullNode() : document.deepCopy();
        long copied = 0;
        for (Op op : ops) {
            switch (op.op()) {
                case "add" -> doc = add(doc, op.path(), op.value().deepCopy(), op.index());
                case "remove" -> doc = remove(doc, op.path(), op.index());
                case "replace" -> {
                    target(doc, op.path(), op.index()); // must exist
                    doc = op.path().isRoot() ? op.value().deepCopy() : add(remove(doc, op.path(), op.index()), op.path(), op.value().deepCopy(), op.index());
                }
                case "move" -> {
                    JsonNode v = target(doc, op.from(), op.index());
                    if (!op.from().equals(op.path())) doc = add(remove(doc, op.from(), op.index()), op.path(), v, op.index());
                }
                case "copy" -> {
                    JsonNode v = target(doc, op.from(), op.index());
                    copied += Json.bytes(v).length;
                    if (copied > maxCopiedBytes)
                        throw TiledException.tooLarge("The patch copies more than " + maxCopiedBytes + " bytes of JSON (operation " + op.index() + ")");
                    doc = add(doc, op.path(), v.deepCopy(), op.index());
                }
                case "test" -> {
                    JsonNode v = target(doc, op.path(), op.index());
                    if (!JsonValues.same(v, op.value()))
                        throw TiledException.conflict("JSON Patch operation " + op.index() + " (test) failed: the value at '" + op.path()
                                + "' is " + abbreviate(v) + ", not " + abbreviate(op.value()));
                }
                default -> throw new IllegalStateException(op.op());
            }
        }
        return doc;
    }

    /** The value {@code p} names; 409 when it names nothing. */
    private static JsonNode target(JsonNode doc, JsonPointer p, int index) {
        JsonNode at = doc;
        for (int i = 0; i < p.size(); i++) {
            at = child(at, p.token(i));
            if (at == null) throw conflict(index, "'" + p + "' names nothing in the document");
        }
        return at;
    }

    private static JsonNode child(JsonNode parent, String token) {
        if (parent.isObject()) return parent.get(token);
        if (parent.isArray()) {
            int i = JsonPointer.arrayIndex(token);
            return i >= 0 && i < parent.size() ? parent.get(i) : null;
        }
        return null;
    }

    private static JsonNode add(JsonNode doc, JsonPointer p, JsonNode value, int index) {
        if (p.isRoot()) return value;
        JsonNode parent = target(doc, p.parent(), index);
        String last = p.last();
        if (parent instanceof ObjectNode o) {
            o.set(last, value);
        } else if (parent instanceof ArrayNode a) {
            if (last.equals("-")) {
                a.add(value);
            } else {
                int i = JsonPointer.arrayIndex(last);
                if (i < 0) throw conflict(index, "'" + last + "' in '" + p + "' is not an index of the array there");
                if (i > a.size()) throw conflict(index, "index " + i + " in '" + p + "' is past the end of an array of " + a.size());
                a.insert(i, value);
            }
        } else {
            throw conflict(index, "'" + p.parent() + "' is neither an object nor an array, so '" + p + "' cannot be added");
        }
        return doc;
    }

    private static JsonNode remove(JsonNode doc, JsonPointer p, int index) {
        if (p.isRoot()) throw conflict(index, "the whole document cannot be removed");
        JsonNode parent = target(doc, p.parent(), index);
        String last = p.last();
        if (parent instanceof ObjectNode o && o.has(last)) {
            o.remove(last);
            return doc;
        }
        if (parent instanceof ArrayNode a) {
            int i = JsonPointer.arrayIndex(last);
            if (i >= 0 && i < a.size()) {
                a.remove(i);
                return doc;
            }
        }
        throw conflict(index, "'" + p + "' names nothing in the document");
    }

    private static String text(JsonNode o, String member, int index) {
        JsonNode v = o.get(member);
        if (v == null || !v.isTextual()) throw malformed(index, "has no \"" + member + "\" string");
        return v.asText();
    }

    private static String abbreviate(JsonNode v) {
        String s = Json.text(v);
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    static TiledException malformed(int index, String what) {
        return TiledException.unprocessable("JSON Patch operation " + index + " " + what);
    }

    private static TiledException conflict(int index, String what) {
        return TiledException.conflict("JSON Patch operation " + index + " does not fit the document: " + what);
    }
}
