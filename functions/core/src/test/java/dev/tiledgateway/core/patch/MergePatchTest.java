package dev.tiledgateway.core.patch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RFC 7386's own example table (Appendix A), row by row. */
class MergePatchTest {

    private static JsonNode json(String s) {
        try {
            return Json.parse(s);
        } catch (IOException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            {"a":"b"}                        | {"a":"c"}                    | {"a":"c"}
            {"a":"b"}                        | {"b":"c"}                    | {"a":"b","b":"c"}
            {"a":"b"}                        | {"a":null}                   | {}
            {"a":"b","b":"c"}                | {"a":null}                   | {"b":"c"}
            {"a":["b"]}                      | {"a":"c"}                    | {"a":"c"}
            {"a":"c"}                        | {"a":["b"]}                  | {"a":["b"]}
            {"a": {"b": "c"}}                | {"a": {"b": "d","c": null}}  | {"a": {"b": "d"}}
            {"a": [{"b":"c"}]}               | {"a": [1]}                   | {"a": [1]}
            ["a","b"]                        | ["c","d"]                    | ["c","d"]
            {"a":"b"}                        | ["c"]                        | ["c"]
            {"a":"foo"}                      | null                         | null
            {"a":"foo"}                      | "bar"                        | "bar"
            {"e":null}                       | {"a":1}                      | {"e":null,"a":1}
            [1,2]                            | {"a":"b","c":null}           | {"a":"b"}
            {}                               | {"a":{"bb":{"ccc":null}}}    | {"a":{"bb":{}}}
            """)
    void appendixA(String original, String patch, String result) {
        JsonNode target = json(original);
        JsonNode before = target.deepCopy();
        assertEquals(json(result), MergePatch.apply(target, json(patch)));
        assertEquals(before, target, "the target itself is left as it was");
    }
}
