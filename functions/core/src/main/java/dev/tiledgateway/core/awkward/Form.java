package dev.tiledgateway.core.awkward;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * An Awkward Array v2 form (the layout of an awkward or ragged node) reduced to the classes the gateway
 * reads: NumpyArray, ListOffsetArray, RegularArray, RecordArray. {@code json} keeps the original document.
 */
public sealed interface Form permits Form.Numpy, Form.ListOffset, Form.Regular, Form.Record {

    String formKey();

    JsonNode json();

    /** A leaf of fixed-width primitives, e.g. {@code float64}; {@code innerShape} are trailing fixed dims. */
    record Numpy(String formKey, String primitive, List<Integer> innerShape, JsonNode json) implements Form {}

    /** Variable-length lists: offsets (int64, int32 or uint32) into the content. */
    record ListOffset(String formKey, String offsets, Form content, JsonNode json) implements Form {}

    /** Fixed-length lists of {@code size}. */
    record Regular(String formKey, int size, Form content, JsonNode json) implements Form {}

    /** Records: named fields of equal length. */
    record Record(String formKey, List<String> fields, List<Form> contents, JsonNode json) implements Form {}

    static Form parse(JsonNode j) {
        String cls = j.path("class").asText();
        String key = j.path("form_key").isNull() ? null : j.path("form_key").asText(null);
        return switch (cls) {
            case "NumpyArray" -> {
                List<Integer> inner = new ArrayList<>();
                for (JsonNode d : j.path("inner_shape")) inner.add(d.asInt());
                yield new Numpy(key, j.path("primitive").asText(), inner, j);
            }
            case "ListOffsetArray" -> new ListOffset(key, j.path("offsets").asText("i64"), parse(j.get("content")), j);
            case "RegularArray" -> new Regular(key, j.path("size").asInt(), parse(j.get("content")), j);
            case "RecordArray" -> {
                List<String> fields = new ArrayList<>();
                for (JsonNode f : j.path("fields")) fields.add(f.asText());
                List<Form> contents = new ArrayList<>();
                for (JsonNode c : j.path("contents")) contents.add(parse(c));
                yield new Record(key, fields, contents, j);
            }
            default -> throw new IllegalArgumentException("unsupported awkward form class '" + cls + "'");
        };
    }

    /** Bytes per element of a NumpyArray primitive. */
    static int primitiveSize(String primitive) {
        return switch (primitive) {
            case "bool", "int8", "uint8" -> 1;
            case "int16", "uint16", "float16" -> 2;
            case "int32", "uint32", "float32" -> 4;
            case "int64", "uint64", "float64", "complex64" -> 8;
            case "complex128" -> 16;
            default -> {
                if (primitive.startsWith("datetime64") || primitive.startsWith("timedelta64")) yield 8;
                throw new IllegalArgumentException("unsupported awkward primitive '" + primitive + "'");
            }
        };
    }

    /** Bytes per offset of a ListOffsetArray index type. */
    static int offsetSize(String offsets) {
        return switch (offsets) {
            case "i64" -> 8;
            case "i32", "u32" -> 4;
            default -> throw new IllegalArgumentException("unsupported awkward offsets type '" + offsets + "'");
        };
    }
}
