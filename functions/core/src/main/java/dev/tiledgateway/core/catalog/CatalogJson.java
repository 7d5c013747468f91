package dev.tiledgateway.core.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.json.Json;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The stored JSON of specs, data sources, sort keys and lists of strings, as the catalogs keep them: the members of
 * each record by their component names, in declaration order, {@code null} where a value is absent (a data source's
 * fingerprint and management are left out instead). Reading accepts what this writes, a missing member as absent and
 * members it does not know; anything else is an {@link IllegalArgumentException}.
 */
public final class CatalogJson {

    private CatalogJson() {}

    public static ArrayNode specs(List<Spec> specs) {
        ArrayNode a = Json.array();
        for (Spec s : specs) {
            ObjectNode o = a.addObject();
            o.put("name", s.name());
            o.put("version", s.version());
        }
        return a;
    }

    public static List<Spec> readSpecs(JsonNode n) {
        JsonNode specs = array(n, "specs");
        List<Spec> out = new ArrayList<>(specs.size());
        for (JsonNode s : specs) out.add(new Spec(text(s, "name"), text(s, "version")));
        return List.copyOf(out);
    }

    public static ObjectNode dataSource(DataSource d) {
        ObjectNode o = Json.object();
        o.put("mimetype", d.mimetype());
        ArrayNode assets = o.putArray("assets");
        for (Asset a : d.assets()) {
            ObjectNode x = assets.addObject();
            x.put("key", a.key());
            x.put("directory", a.directory());
            x.put("parameter", a.parameter());
        }
        if (d.fingerprint() != null) o.put("fingerprint", d.fingerprint());
        if (d.management() != null) o.put("management", d.management());
        return o;
    }

    public static DataSource readDataSource(JsonNode n) {
        object(n, "data source");
        List<Asset> assets = new ArrayList<>();
        for (JsonNode a : array(n.path("assets"), "assets")) {
            object(a, "asset");
            JsonNode directory = a.path("directory");
            if (!directory.isMissingNode() && !directory.isNull() && !directory.isBoolean())
                throw new IllegalArgumentException("an asset's directory must be true or false, not " + directory.getNodeType());
            assets.add(new Asset(text(a, "key"), directory.booleanValue(), text(a, "parameter")));
        }
        return new DataSource(text(n, "mimetype"), assets, text(n, "fingerprint"), text(n, "management"));
    }

    public static ArrayNode sorting(List<SortKey> sorting) {
        ArrayNode a = Json.array();
        for (SortKey k : sorting) {
            ObjectNode o = a.addObject();
            o.put("key", k.key());
            o.put("direction", k.direction());
        }
        return a;
    }

    public static List<SortKey> readSorting(JsonNode n) {
        JsonNode sorting = array(n, "sorting");
        List<SortKey> out = new ArrayList<>(sorting.size());
        for (JsonNode k : sorting) {
            object(k, "sort key");
            JsonNode direction = k.path("direction");
            if (!direction.canConvertToExactIntegral() || !direction.canConvertToInt())
                throw new IllegalArgumentException("a sort key's direction must be an integer");
            out.add(new SortKey(text(k, "key"), direction.intValue()));
        }
        return List.copyOf(out);
    }

    public static ArrayNode strings(Collection<String> strings) {
        ArrayNode a = Json.array();
        for (String s : strings) a.add(s);
        return a;
    }

    public static List<String> readStrings(JsonNode n) {
        JsonNode strings = array(n, "list of strings");
        List<String> out = new ArrayList<>(strings.size());
        for (JsonNode s : strings) {
            if (!s.isTextual()) throw new IllegalArgumentException("a list of strings holds " + s.getNodeType());
            out.add(s.textValue());
        }
        return List.copyOf(out);
    }

    private static JsonNode array(JsonNode n, String what) {
        if (n == null || !n.isArray()) throw new IllegalArgumentException(what + " must be a JSON array");
        return n;
    }

    private static void object(JsonNode n, String what) {
        if (n == null || !n.isObject()) throw new IllegalArgumentException(what + " must be a JSON object");
    }

    /** The member's text; null when it is missing or null. */
    private static String text(JsonNode o, String name) {
        object(o, "the holder of " + name);
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new IllegalArgumentException(name + " must be a string, not " + v.getNodeType());
        return v.textValue();
    }
}
