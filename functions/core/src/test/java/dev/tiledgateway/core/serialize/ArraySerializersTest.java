package dev.tiledgateway.core.serialize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tiledgateway.core.array.ArrayPayload;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.structure.DataType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How arrays leave as JSON and text: the same bytes as ever, written as they are produced, sized before they are. */
class ArraySerializersTest {

    private static final SerializerRegistry REGISTRY = new SerializerRegistry(new ArraySerializers().serializers());

    private static Serializer serializer(String mediaType) { return REGISTRY.find("array", mediaType).orElseThrow(); }

    private static DataType.Builtin dtype(String s) { return DataType.Builtin.parse(s); }

    /** {@code n} uniform doubles in [0, 1), little-endian float64. */
    private static ArrayPayload uniform(long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        ByteBuffer b = ByteBuffer.allocate((int) n * 8).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom r = new SplittableRandom(1);
        for (long i = 0; i < n; i++) b.putDouble(r.nextDouble());
        return new ArrayPayload(dtype("<f8"), shape, b.array());
    }

    private static byte[] written(Serializer s, Object payload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.write(payload, out);
        return out.toByteArray();
    }

    /** Nested lists built as a JSON tree: how JSON exports were written before they were streamed. */
    private static JsonNode tree(ArrayPayload p, ByteBuffer b, int d, int[] cursor) {
        if (d == p.shape().length) {
            JsonNode v = Elements.json(p.dataType(), b, cursor[0]);
            cursor[0] += p.dataType().itemsize();
            return v;
        }
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (long i = 0; i < p.shape()[d]; i++) a.add(tree(p, b, d + 1, cursor));
        return a;
    }

    @Test
    void jsonIsTheSameTextAsTheNestedListsOfATree() throws IOException {
        byte[] specials = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN).putDouble(Double.NaN).putDouble(Double.POSITIVE_INFINITY)
                .putDouble(-0.0).putDouble(1e-300).putDouble(123456789.125).array();
        byte[] bigUnsigned = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).putLong(7).array();
        DataType.Struct pet = new DataType.Struct(13, List.of(new DataType.Field("name", dtype("|S5"), null),
                new DataType.Field("weights", dtype("<f4"), List.of(2))));
        byte[] pets = ByteBuffer.allocate(26).order(ByteOrder.LITTLE_ENDIAN).put("tom\0\0".getBytes()).putFloat(1.5f).putFloat(2.25f)
                .put("kitty".getBytes()).putFloat(-3f).putFloat(0.1f).array();
        List<ArrayPayload> cases = List.of(
                uniform(3, 4, 5), uniform(0, 3), uniform(), uniform(7),
                new ArrayPayload(dtype("<f8"), new long[] {5}, specials),
                new ArrayPayload(dtype("<u8"), new long[] {2}, bigUnsigned),
                new ArrayPayload(dtype("|b1"), new long[] {2, 2}, new byte[] {1, 0, 0, 1}),
                new ArrayPayload(dtype("<c16"), new long[] {1}, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.5).putDouble(-2).array()),
                new ArrayPayload(dtype("<M8[s]"), new long[] {2}, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(86_400).putLong(Long.MIN_VALUE).array()),
                new ArrayPayload(pet, new long[] {2}, pets));
        for (ArrayPayload p : cases) {
            byte[] expected = Json.bytes(tree(p, ByteBuffer.wrap(p.bytes()), 0, new int[1]));
            assertArrayEquals(expected, written(serializer("application/json"), p), new String(expected));
            assertArrayEquals(expected, serializer("application/json").serialize(p));
        }
    }

    @Test
    void csvIsOneLinePerRow() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : new double[] {1, 2.5, Double.NaN, -1e-7, 3, 1e22}) b.putDouble(v);
        ArrayPayload p = new ArrayPayload(dtype("<f8"), new long[] {2, 3}, b.array());
        assertEquals("1.0,2.5,nan\n-1e-07,3.0,1e+22\n", new String(written(serializer("text/csv"), p)));
    }

    /** Records every write call's size. */
    private static final class Recording extends OutputStream {
        long total;
        int largest;
        int calls;

        @Override
        public void write(int b) { write(new byte[1], 0, 1); }

        @Override
        public void write(byte[] b, int off, int len) {
            total += len;
            largest = Math.max(largest, len);
            calls++;
        }
    }

    @Test
    void jsonAndTextAreHandedOnInSmallPiecesAsTheyAreProduced() throws IOException {
        ArrayPayload p = uniform(500, 1000); // 4 MB of float64, about 10 MB as JSON or text
        for (String type : List.of("application/json", "text/csv", "text/plain")) {
            Recording out = new Recording();
            serializer(type).write(p, out);
            assertTrue(out.total > 8_000_000, type + ": " + out.total);
            assertTrue(out.largest <= 1 << 16, type + " handed on " + out.largest + " bytes at once");
        }
    }

    @Test
    void anExportStopsAtTheFirstBytesItsOutputRefuses() {
        ArrayPayload p = uniform(500, 1000);
        for (String type : List.of("application/json", "text/csv")) {
            long[] taken = {0};
            OutputStream refusing = new OutputStream() {
                @Override
                public void write(int b) throws IOException { write(new byte[1], 0, 1); }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (taken[0] + len > 100_000) throw new IOException("no more");
                    taken[0] += len;
                }
            };
            IOException e = assertThrows(IOException.class, () -> serializer(type).write(p, refusing), type);
            assertEquals("no more", e.getMessage());
            assertTrue(taken[0] <= 100_000, type);
        }
    }

    @Test
    void theJsonEstimateOfMeasuredFloatsIsCloseToWhatIsWritten() throws IOException {
        ArrayPayload p = uniform(300, 1000);
        long estimate = serializer("application/json").estimateArrayBytes(p.dataType(), p.shape());
        long actual = written(serializer("application/json"), p).length;
        assertTrue(Math.abs(estimate - actual) < actual / 10, "estimate " + estimate + ", written " + actual);
        long csvEstimate = serializer("text/csv").estimateArrayBytes(p.dataType(), p.shape());
        long csv = written(serializer("text/csv"), p).length;
        assertTrue(Math.abs(csvEstimate - csv) < csv / 10, "estimate " + csvEstimate + ", written " + csv);
    }

    @Test
    void integersAndBooleansAreNeverWrittenLongerThanEstimated() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 * 4).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MIN_VALUE).putLong(-1).putLong(Long.MAX_VALUE).putLong(0);
        for (ArrayPayload p : List.of(new ArrayPayload(dtype("<i8"), new long[] {2, 2}, b.array()),
                new ArrayPayload(dtype("|i1"), new long[] {4}, new byte[] {-128, 127, 0, -1}),
                new ArrayPayload(dtype("|b1"), new long[] {3}, new byte[] {0, 0, 1}))) {
            for (String type : List.of("application/json", "text/csv"))
                assertTrue(written(serializer(type), p).length <= serializer(type).estimateArrayBytes(p.dataType(), p.shape()), type + " " + p.dataType());
        }
    }

    @Test
    void rawBytesAreEstimatedExactly() {
        assertEquals(800_000_000L, serializer("application/octet-stream").estimateArrayBytes(dtype("<f8"), new long[] {10_000, 10_000}));
    }

    @Test
    void whatTextCannotHoldIsRefusedBeforeAnyDataIsRead() {
        TiledException e = assertThrows(TiledException.class, () -> serializer("text/csv").estimateArrayBytes(dtype("<f8"), new long[] {2, 2, 2}));
        assertEquals(406, e.status());
    }
}
