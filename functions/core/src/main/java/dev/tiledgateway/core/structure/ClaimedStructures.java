package dev.tiledgateway.core.structure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.error.TiledException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks the structure a client sends with registered data against the structure the data has, and yields the
 * one to store: always the data's. A client may leave the structure out; what it does send must agree with the
 * data on everything the data determines (an array's data type, shape and chunks; a table's columns and
 * partitions), or the request is refused with 422 and a detail naming each disagreement. Names the data does not
 * give (an array's dims) may come from the client.
 */
public final class ClaimedStructures {

    /** Longest list quoted in a detail before it is cut short. */
    private static final int QUOTED = 8;

    private ClaimedStructures() {}

    /** The array structure to store over data whose structure is {@code data}; {@code claimed} may be null or missing. */
    public static ObjectNode array(JsonNode claimed, ArrayStructure data) {
        ObjectNode stored = StructureJson.array(data);
        if (absent(claimed)) return stored;
        requireObject(claimed, "array");
        List<String> wrong = new ArrayList<>();
        JsonNode dt = claimed.get("data_type");
        if (dt == null || !dt.isObject()) throw malformed("array", "data_type must be an object");
        DataType claimedType;
        try {
            claimedType = StructureJson.dataType(dt);
        } catch (RuntimeException e) {
            throw malformed("array", "data_type is not a data type");
        }
        if (!claimedType.equals(data.dataType()))
            wrong.add("data_type " + dt + " was sent, the data has " + stored.get("data_type"));
        long[] shape = longs(claimed.get("shape"), "array", "shape");
        if (!Arrays.equals(shape, data.shape()))
            wrong.add("shape " + quote(shape) + " was sent, the data has " + quote(data.shape()));
        JsonNode chunksNode = claimed.get("chunks");
        if (chunksNode == null || !chunksNode.isArray()) throw malformed("array", "chunks must be a list of lists of integers");
        long[][] chunks = new long[chunksNode.size()][];
        for (int d = 0; d < chunks.length; d++) chunks[d] = longs(chunksNode.get(d), "array", "chunks");
        if (!Arrays.deepEquals(chunks, data.chunks()))
            wrong.add("chunks " + quote(chunks) + " were sent, the data has " + quote(data.chunks()));
        JsonNode dims = claimed.get("dims");
        if (dims != null && !dims.isNull()) {
            List<String> names = strings(dims, "array", "dims");
            if (names.size() != data.ndim()) wrong.add("dims name " + names.size() + " dimensions, the data has " + data.ndim());
            else if (data.dims() != null && !names.equals(data.dims()))
                wrong.add("dims " + quote(names) + " were sent, the data names its dimensions " + quote(data.dims()));
            else if (data.dims() == null) stored.set("dims", dims.deepCopy());
        }
        refuseIf(wrong);
        return stored;
    }

    /**
     * The table structure to store over data whose structure is {@code data} (spec §5.3); {@code claimed} may be
     * null or missing. Its {@code arrow_schema} is never compared: the data's is stored, as clients compute theirs
     * with their own readers (pandas), whose type choices may differ from this server's.
     */
    public static ObjectNode table(JsonNode claimed, ObjectNode data) {
        ObjectNode stored = data.deepCopy();
        if (absent(claimed)) return stored;
        requireObject(claimed, "table");
        List<String> wrong = new ArrayList<>();
        JsonNode columns = claimed.get("columns");
        if (columns != null && !columns.isNull()) {
            List<String> names = strings(columns, "table", "columns");
            List<String> actual = strings(data.get("columns"), "table", "columns");
            if (!names.equals(actual)) wrong.add("columns " + quote(names) + " were sent, the data has " + quote(actual));
        }
        JsonNode npartitions = claimed.get("npartitions");
        if (npartitions != null && !npartitions.isNull()) {
            if (!npartitions.isIntegralNumber()) throw malformed("table", "npartitions must be an integer");
            if (npartitions.asLong() != data.get("npartitions").asLong())
                wrong.add("npartitions " + npartitions.asLong() + " was sent, the data has " + data.get("npartitions").asLong());
        }
        refuseIf(wrong);
        return stored;
    }

    private static boolean absent(JsonNode claimed) { return claimed == null || claimed.isMissingNode() || claimed.isNull(); }

    private static void requireObject(JsonNode claimed, String family) {
        if (!claimed.isObject()) throw malformed(family, "it must be a JSON object");
    }

    private static void refuseIf(List<String> wrong) {
        if (!wrong.isEmpty()) throw TiledException.unprocessable("The structure sent does not match the data: " + String.join("; ", wrong));
    }

    private static TiledException malformed(String family, String why) {
        return TiledException.unprocessable("The " + family + " structure sent is malformed: " + why);
    }

    private static long[] longs(JsonNode n, String family, String field) {
        if (n == null || !n.isArray()) throw malformed(family, field + " must be a list of integers");
        long[] out = new long[n.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = n.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) throw malformed(family, field + " must hold non-negative integers");
            out[i] = v.asLong();
        }
        return out;
    }

    private static List<String> strings(JsonNode n, String family, String field) {
        if (n == null || !n.isArray()) throw malformed(family, field + " must be a list of strings");
        List<String> out = new ArrayList<>();
        for (JsonNode v : n) {
            if (!v.isTextual()) throw malformed(family, field + " must hold strings");
            out.add(v.asText());
        }
        return out;
    }

    private static String quote(long[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < Math.min(v.length, QUOTED); i++) b.append(i > 0 ? ", " : "").append(v[i]);
        return b.append(v.length > QUOTED ? ", ... (" + v.length + " in all)]" : "]").toString();
    }

    private static String quote(long[][] v) {
        List<String> dims = new ArrayList<>();
        for (long[] d : v) dims.add(quote(d));
        return dims.toString();
    }

    private static String quote(List<String> v) {
        if (v.size() <= QUOTED) return v.toString();
        String head = v.subList(0, QUOTED).toString();
        return head.substring(0, head.length() - 1) + ", ... (" + v.size() + " in all)]";
    }
}
