package dev.tiledgateway.core.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/**
 * JSON Merge Patch (RFC 7386): an object patch merges member by member ({@code null} removes a member), anything
 * else replaces the target whole. It cannot fail; what the result must be (an object for metadata) is the caller's check.
 */
public final class MergePatch {

    private MergePatch() {}

    /** The merged document; {@code target} is never changed. */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (patch == null || !patch.isObject()) return patch == null ? JsonNodeFactory.instance.nullNode() : patch.deepCopy();
        ObjectNode out = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) out.remove(e.getKey());
            else out.set(e.getKey(), apply(out.get(e.getKey()), e.getValue()));
        }
        return out;
    }
}
