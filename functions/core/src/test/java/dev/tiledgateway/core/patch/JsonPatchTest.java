package dev.tiledgateway.core.patch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 6902's own examples (Appendix A, numbered as there), then the edges a server meets. */
class JsonPatchTest {

    private static final long COPY_BOUND = 1 << 20;

    private static JsonNode json(String s) {
        try {
            return Json.parse(s);
        } catch (IOException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static JsonNode apply(String target, String patch) {
        return JsonPatch.parse(json(patch), COPY_BOUND).apply(json(target));
    }

    private static void applies(String target, String patch, String result) {
        JsonNode doc = json(target);
        JsonNode before = doc.deepCopy();
        assertEquals(json(result), JsonPatch.parse(json(patch), COPY_BOUND).apply(doc));
        assertEquals(before, doc, "the target itself is left as it was");
    }

    private static TiledException fails(String target, String patch) {
        return assertThrows(TiledException.class, () -> apply(target, patch));
    }

    @Test
    void a1AddingAnObjectMember() {
        applies("{\"foo\": \"bar\"}", "[{\"op\": \"add\", \"path\": \"/baz\", \"value\": \"qux\"}]", "{\"baz\": \"qux\", \"foo\": \"bar\"}");
    }

    @Test
    void a2AddingAnArrayElement() {
        applies("{\"foo\": [\"bar\", \"baz\"]}", "[{\"op\": \"add\", \"path\": \"/foo/1\", \"value\": \"qux\"}]", "{\"foo\": [\"bar\", \"qux\", \"baz\"]}");
    }

    @Test
    void a3RemovingAnObjectMember() {
        applies("{\"baz\": \"qux\", \"foo\": \"bar\"}", "[{\"op\": \"remove\", \"path\": \"/baz\"}]", "{\"foo\": \"bar\"}");
    }

    @Test
    void a4RemovingAnArrayElement() {
        applies("{\"foo\": [\"bar\", \"qux\", \"baz\"]}", "[{\"op\": \"remove\", \"path\": \"/foo/1\"}]", "{\"foo\": [\"bar\", \"baz\"]}");
    }

    @Test
    void a5ReplacingAValue() {
        applies("{\"baz\": \"qux\", \"foo\": \"bar\"}", "[{\"op\": \"replace\", \"path\": \"/baz\", \"value\": \"boo\"}]", "{\"baz\": \"boo\", \"foo\": \"bar\"}");
    }

    @Test
    void a6MovingAValue() {
        applies("{\"foo\": {\"bar\": \"baz\", \"waldo\": \"fred\"}, \"qux\": {\"corge\": \"grault\"}}",
                "[{\"op\": \"move\", \"from\": \"/foo/waldo\", \"path\": \"/qux/thud\"}]",
                "{\"foo\": {\"bar\": \"baz\"}, \"qux\": {\"corge\": \"grault\", \"thud\": \"fred\"}}");
    }

    @Test
    void a7MovingAnArrayElement() {
        applies("{\"foo\": [\"all\", \"grass\", \"cows\", \"eat\"]}", "[{\"op\": \"move\", \"from\": \"/foo/1\", \"path\": \"/foo/3\"}]",
                "{\"foo\": [\"all\", \"cows\", \"eat\", \"grass\"]}");
    }

    @Test
    void a8TestingAValueSucceeds() {
        applies("{\"baz\": \"qux\", \"foo\": [\"a\", 2, \"c\"]}",
                "[{\"op\": \"test\", \"path\": \"/baz\", \"value\": \"qux\"}, {\"op\": \"test\", \"path\": \"/foo/1\", \"value\": 2}]",
                "{\"baz\": \"qux\", \"foo\": [\"a\", 2, \"c\"]}");
    }

    @Test
    void a9TestingAValueFailsAsAConflict() {
        TiledException e = fails("{\"baz\": \"qux\"}", "[{\"op\": \"test\", \"path\": \"/baz\", \"value\": \"bar\"}]");
        assertEquals(409, e.status());
        assertTrue(e.detail().contains("test"), e.detail());
    }

    @Test
    void a10AddingANestedMemberObject() {
        applies("{\"foo\": \"bar\"}", "[{\"op\": \"add\", \"path\": \"/child\", \"value\": {\"grandchild\": {}}}]",
                "{\"foo\": \"bar\", \"child\": {\"grandchild\": {}}}");
    }

    @Test
    void a11IgnoringUnrecognizedElements() {
        applies("{\"foo\": \"bar\"}", "[{\"op\": \"add\", \"path\": \"/baz\", \"value\": \"qux\", \"xyz\": 123}]", "{\"foo\": \"bar\", \"baz\": \"qux\"}");
    }

    @Test
    void a12AddingToANonexistentTargetIsAConflict() {
        assertEquals(409, fails("{\"foo\": \"bar\"}", "[{\"op\": \"add\", \"path\": \"/baz/bat\", \"value\": \"qux\"}]").status());
    }

    // A.13 (an operation with "op" twice) is refused where the body is parsed, with duplicate keys detected: see the HTTP test.

    @Test
    void a14TildeEscapeOrdering() {
        applies("{\"/\": 9, \"~1\": 10}", "[{\"op\": \"test\", \"path\": \"/~01\", \"value\": 10}]", "{\"/\": 9, \"~1\": 10}");
    }

    @Test
    void a15StringsAndNumbersDiffer() {
        assertEquals(409, fails("{\"/\": 9, \"~1\": 10}", "[{\"op\": \"test\", \"path\": \"/~01\", \"value\": \"10\"}]").status());
    }

    @Test
    void a16AddingAnArrayValue() {
        applies("{\"foo\": [\"bar\"]}", "[{\"op\": \"add\", \"path\": \"/foo/-\", \"value\": [\"abc\", \"def\"]}]", "{\"foo\": [\"bar\", [\"abc\", \"def\"]]}");
    }

    // ---- beyond the appendix

    @Test
    void operationsApplyInOrderAndAllOrNothing() {
        String target = "{\"a\": 1}";
        // The second operation fails: the first is not kept either (the target is never changed).
        assertEquals(409, fails(target, "[{\"op\": \"add\", \"path\": \"/b\", \"value\": 2}, {\"op\": \"remove\", \"path\": \"/zzz\"}]").status());
        applies(target, "[{\"op\": \"add\", \"path\": \"/b\", \"value\": 2}, {\"op\": \"copy\", \"from\": \"/b\", \"path\": \"/c\"}, {\"op\": \"remove\", \"path\": \"/a\"}]",
                "{\"b\": 2, \"c\": 2}");
    }

    @Test
    void replaceAndRemoveOfNothingAreConflicts() {
        assertEquals(409, fails("{\"a\": 1}", "[{\"op\": \"replace\", \"path\": \"/b\", \"value\": 2}]").status());
        assertEquals(409, fails("{\"a\": [1]}", "[{\"op\": \"remove\", \"path\": \"/a/1\"}]").status());
        assertEquals(409, fails("{\"a\": [1]}", "[{\"op\": \"add\", \"path\": \"/a/2\", \"value\": 0}]").status());
        assertEquals(409, fails("{\"a\": [1]}", "[{\"op\": \"add\", \"path\": \"/a/01\", \"value\": 0}]").status());
        assertEquals(409, fails("{\"a\": 1}", "[{\"op\": \"add\", \"path\": \"/a/b\", \"value\": 0}]").status());
    }

    @Test
    void malformedPatchesAreUnprocessable() {
        assertEquals(422, fails("{}", "{\"op\": \"add\"}").status());
        assertEquals(422, fails("{}", "[{\"op\": \"frobnicate\", \"path\": \"/a\"}]").status());
        assertEquals(422, fails("{}", "[{\"op\": \"add\", \"path\": \"/a\"}]").status());
        assertEquals(422, fails("{}", "[{\"op\": \"add\", \"path\": \"a\", \"value\": 1}]").status());
        assertEquals(422, fails("{}", "[{\"op\": \"add\", \"path\": \"/a~2\", \"value\": 1}]").status());
        assertEquals(422, fails("{}", "[{\"op\": \"copy\", \"path\": \"/a\"}]").status());
        assertEquals(422, fails("{\"a\": {}}", "[{\"op\": \"move\", \"from\": \"/a\", \"path\": \"/a/b\"}]").status());
        assertEquals(422, fails("{}", "[7]").status());
    }

    @Test
    void replacingTheWholeDocumentAndMovingOntoItself() {
        applies("{\"a\": 1}", "[{\"op\": \"replace\", \"path\": \"\", \"value\": {\"b\": 2}}]", "{\"b\": 2}");
        applies("{\"a\": 1}", "[{\"op\": \"move\", \"from\": \"/a\", \"path\": \"/a\"}]", "{\"a\": 1}");
        assertEquals(409, fails("{\"a\": 1}", "[{\"op\": \"remove\", \"path\": \"\"}]").status());
    }

    @Test
    void numbersTestEqualByValue() {
        applies("{\"a\": 1.0}", "[{\"op\": \"test\", \"path\": \"/a\", \"value\": 1}]", "{\"a\": 1.0}");
        applies("{\"a\": {\"x\": 1, \"y\": [2]}}", "[{\"op\": \"test\", \"path\": \"/a\", \"value\": {\"y\": [2], \"x\": 1}}]", "{\"a\": {\"x\": 1, \"y\": [2]}}");
    }

    @Test
    void copiesThatWouldBlowUpTheDocumentAreRefusedByTheirBound() {
        StringBuilder patch = new StringBuilder("[");
        for (int i = 0; i < 40; i++) patch.append(i == 0 ? "" : ",").append("{\"op\": \"copy\", \"from\": \"\", \"path\": \"/c").append(i).append("\"}");
        patch.append(']');
        // Each copy doubles the document: 2^40 times its size without the bound.
        TiledException e = assertThrows(TiledException.class, () -> JsonPatch.parse(json(patch.toString()), 100_000).apply(json("{\"x\": \"0123456789\"}")));
        assertEquals(413, e.status());
    }
}
