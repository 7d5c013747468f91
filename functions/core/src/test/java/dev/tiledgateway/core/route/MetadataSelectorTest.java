package dev.tiledgateway.core.route;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** select_metadata: what it selects, and that no expression makes anything but a 400 of a client's mistake. */
class MetadataSelectorTest {

    private static ObjectNode metadata() throws Exception {
        return (ObjectNode) Json.parse("{\"color\": \"red\", \"n\": 3, \"tags\": [\"x\", 1, null], \"sample\": {\"name\": \"Cu\", \"t\": [1.5, 2]},"
                + " \"false\": 7, \"weird key\": true}");
    }

    private static String select(String expression) throws Exception {
        return MetadataSelector.compile(expression).select(metadata()).toString();
    }

    @Test
    void selectsAsJmesPathDoes() throws Exception {
        assertEquals("{\"selected\":\"red\"}", select("color"));
        assertEquals("{\"selected\":\"Cu\"}", select("sample.name"));
        assertEquals("{\"selected\":2}", select("sample.t[1]"));
        assertEquals("{\"selected\":{\"c\":\"red\",\"t\":1.5}}", select("{c: color, t: sample.t[0]}"));
        assertEquals("{\"selected\":[\"red\",3]}", select("[color, n]"));
        assertEquals("{\"selected\":7}", select("false"), "an identifier, as the composite client sends it");
        assertEquals("{\"selected\":true}", select("\"weird key\""));
        assertEquals("{\"selected\":null}", select("nope.deeper"));
        assertEquals("{\"selected\":3}", select("length(tags)"));
    }

    @Test
    void noExpressionIsAServerError() {
        List<String> odd = List.of("", "[", "foo[", "a..b", "abs(color)", "sort(tags)", "max_by(tags, &@)", "to_number(color)", "join(',', tags)",
                "tags[?@ > `1`]", "sort_by(tags, &@)", "reverse(n)", "not_null()", "keys(n)", "merge(color)", "starts_with(n, 'a')",
                "ends_with(color, n)", "contains(n, n)", "map(&foo, n)", "avg(tags)", "sum(tags)", "min(tags)", "to_array(@)[0][0]",
                "`{bad json`", "'unterminated", "&color", "@.@.@", "*.*.*", "[*][*][*]", "tags[::0]", "tags[1:2:-0]", "((((((((color))))))))",
                "(".repeat(500) + "color" + ")".repeat(500), "a".repeat(1001), "[@,@]" + " | [@,@]".repeat(40), "values(@)[*].values(@)");
        List<String> failures = new ArrayList<>();
        for (String e : odd) {
            try {
                select(e);
            } catch (TiledException t) {
                if (t.status() != 400) failures.add(e + ": " + t.status());
            } catch (Throwable t) {
                failures.add(e + ": " + t);
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void aDoublingExpressionIsRefusedBeforeItIsBuilt() {
        String doubling = "[@,@][]" + " | [@,@][]".repeat(30);
        TiledException e = assertThrows(TiledException.class, () -> select(doubling));
        assertEquals(400, e.status());
    }
}
