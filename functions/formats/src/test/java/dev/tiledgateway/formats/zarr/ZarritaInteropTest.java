package dev.tiledgateway.formats.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.core.structure.DataType.Builtin;
import dev.tiledgateway.embedded.store.FileBlobStore;
import dev.tiledgateway.testkit.interop.Interop;
import dev.tiledgateway.testkit.interop.InteropTools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stores written by {@link ZarrV2Writer}, read back value for value by zarrita (the npm package), an
 * implementation we did not write, through src/test/node/zarrita-read.mjs; and zarrita's reading of the
 * zarr-python fixtures, which must equal their expected.bin. .ci/run installs zarrita (pinned by
 * src/test/node/package-lock.json) into target/zarrita at the repository root; ZARRITA_NODE_MODULES
 * names another node_modules folder. Without node or zarrita the test skips, and under CI=true it fails.
 */
@Interop
class ZarritaInteropTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCRIPT = Path.of("src", "test", "node", "zarrita-read.mjs").toAbsolutePath();
    private static final String[] WORDS = {"", "a", "héllo", "日本語", "zarr v2", "ÆØÅ🙂x", "end"};
    private static Path nodeModules;

    /** One array our writer writes: values follow from its dtype, and chunks in {@code missing} stay unwritten. */
    private record Case(String name, String dtype, long[] shape, int[] chunks, Object fill, V2Compressor compressor,
                        List<long[]> missing) {
        Builtin type() { return Builtin.parse(dtype); }
    }

    @BeforeEach // not @BeforeAll: a skip there would count no test at all
    void findZarrita() {
        String env = System.getenv("ZARRITA_NODE_MODULES");
        Path dir = env == null || env.isBlank() ? Path.of("..", "..", "target", "zarrita", "node_modules") : Path.of(env);
        nodeModules = dir.toAbsolutePath().normalize();
        if (!nodeRuns()) InteropTools.unavailable("node is not on the PATH");
        if (!Files.isRegularFile(nodeModules.resolve("zarrita").resolve("package.json")))
            InteropTools.unavailable("zarrita is not installed in " + nodeModules + " (npm ci in a copy of src/test/node, or set ZARRITA_NODE_MODULES)");
    }

    static List<Case> cases() {
        List<V2Compressor> compressors = List.of(V2Compressor.none(), V2Compressor.zstd(3), V2Compressor.gzip(5),
                V2Compressor.zlib(6), V2Compressor.blosc("lz4", 5, 0), V2Compressor.blosc("lz4", 5, 1),
                V2Compressor.blosc("lz4", 5, 2), V2Compressor.blosc("zstd", 3, 1), V2Compressor.blosc("blosclz", 9, -1),
                V2Compressor.blosc("lz4hc", 4, 1), V2Compressor.blosc("zlib", 4, 2));
        Map<String, Object> fills = new LinkedHashMap<>();
        fills.put("|b1", true);
        fills.put("|i1", -128);
        fills.put("|u1", 255);
        fills.put("<i2", -2);
        fills.put(">i2", 300);
        fills.put("<i4", Integer.MIN_VALUE);
        fills.put(">i4", 7);
        fills.put("<i8", Long.MIN_VALUE);
        fills.put(">i8", -1L);
        fills.put("<u2", 65535);
        fills.put(">u2", 1);
        fills.put("<u4", 4_000_000_000L);
        fills.put(">u4", 0);
        fills.put("<u8", BigInteger.ONE.shiftLeft(63)); // zarrita parses JSON numbers as doubles: 2**64-1 would not survive
        fills.put(">u8", 12345);
        fills.put("<f4", Double.NaN);
        fills.put(">f4", Double.NEGATIVE_INFINITY);
        fills.put("<f8", Double.NaN);
        fills.put(">f8", -0.0);
        fills.put("|S5", "ab".getBytes(StandardCharsets.US_ASCII));
        fills.put("<U7", "fïll");
        fills.put(">U7", "ßü"); // zarrita turns a fill string into UTF-16 units: no astral characters here (values have them)
        List<Case> out = new ArrayList<>();
        List<long[]> missing = List.of(new long[] {1, 1}, new long[] {2, 2});
        int i = 0;
        for (var e : fills.entrySet()) {
            V2Compressor c = compressors.get(i++ % compressors.size());
            // zarrita 0.7.5 takes a bytes fill value as text instead of decoding its base64: no missing chunks for S
            List<long[]> gaps = e.getKey().charAt(1) == 'S' ? List.of() : missing;
            out.add(new Case("dtype_" + e.getKey().replace('<', 'l').replace('>', 'b').replace('|', 'n'), e.getKey(),
                    new long[] {7, 5}, new int[] {3, 2}, e.getValue(), c, gaps));
        }
        for (V2Compressor c : compressors) {
            String name = c.isNone() ? "none" : c.id() + "_" + c.parameters().getOrDefault("cname", "") + "_" + c.parameters().getOrDefault("shuffle", "");
            out.add(new Case("comp_" + name.replace("-", "m"), "<f8", new long[] {20, 13}, new int[] {8, 5}, 3.5, c,
                    List.of(new long[] {2, 2})));
        }
        out.add(new Case("three_d", ">i4", new long[] {4, 5, 6}, new int[] {3, 2, 4}, -9, V2Compressor.zstd(1),
                List.of(new long[] {0, 1, 1})));
        out.add(new Case("one_d_edge", "<u2", new long[] {10}, new int[] {4}, 11, V2Compressor.gzip(1), List.of(new long[] {1})));
        out.add(new Case("grp/sub/leaf", "<i8", new long[] {3, 3}, new int[] {2, 2}, 0, V2Compressor.blosc("lz4", 5, 1), List.of()));
        return out;
    }

    @Test
    void zarritaReadsWhatOurV2WriterWrites(@TempDir Path dir) throws Exception {
        Path tree = dir.resolve("tree");
        FileBlobStore store = new FileBlobStore(tree);
        ZarrV2Writer.writeGroup(store, "", Map.of("title", "written by Java", "answer", 42));
        ZarrV2Writer.writeGroup(store, "grp", Map.of("level", 1));
        ZarrV2Writer.writeGroup(store, "grp/sub", Map.of("level", 2, "tags", List.of("a", "b")));
        List<Case> cases = cases();
        List<String> nodes = new ArrayList<>(List.of("v2:", "v2:grp", "v2:grp/sub"));
        for (Case c : cases) {
            write(store, c);
            nodes.add("v2:" + c.name());
        }
        List<JsonNode> reports = zarrita(dir, tree, nodes);

        assertEquals(JSON.valueToTree(Map.of("title", "written by Java", "answer", 42)), reports.get(0).get("attrs"));
        assertEquals("group", reports.get(1).path("kind").asText());
        assertEquals(JSON.valueToTree(Map.of("level", 2, "tags", List.of("a", "b"))), reports.get(2).get("attrs"));
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            int at = i + 3;
            JsonNode r = reports.get(at);
            assertEquals("array", r.path("kind").asText(), c.name());
            assertEquals(zarritaTypeName(c.type()), r.path("data_type").asText(), c.name());
            assertArrayEquals(c.shape(), JSON.convertValue(r.get("shape"), long[].class), c.name());
            assertArrayEquals(c.chunks(), JSON.convertValue(r.get("chunks"), int[].class), c.name());
            assertEquals(JSON.valueToTree(attributes(c)), r.get("attrs"), c.name());
            Object[] expected = expectedValues(c);
            if (isText(c.type())) {
                assertEquals(Arrays.stream(expected).map(v -> ((String) v).replace("\0", "")).toList(), strings(r), c.name());
            } else {
                assertArrayEquals(encodeAll(c.type(), expected, ByteOrder.LITTLE_ENDIAN), Files.readAllBytes(dir.resolve("out").resolve(at + ".bin")),
                        c.name() + " (" + c.dtype() + ", " + c.compressor() + ")");
            }
        }
    }

    /** The zarr-python fixtures zarrita 0.7.5 can read; each gap below is zarrita's, seen on these very files. */
    @Test
    void zarritaAgreesWithTheZarrPythonFixtures(@TempDir Path dir) throws Exception {
        List<JsonNode> arrays = new ArrayList<>();
        for (JsonNode a : Fixtures.manifest()) {
            String path = a.path("path").asText();
            String dtype = a.path("dtype").isTextual() ? a.path("dtype").asText() : "struct";
            boolean unsupportedType = dtype.equals("struct") || "cmMV".indexOf(dtype.charAt(1)) >= 0
                    || dtype.substring(1).equals("f2"); // no complex, dates, void or records; float16 needs Node's Float16Array
            long[] shape = JSON.convertValue(a.path("shape"), long[].class);
            boolean noElements = shape.length == 0 || Arrays.stream(shape).anyMatch(x -> x == 0); // 0-d and empty arrays fail in zarr.get
            boolean gap = Map.of(
                    "v2/dtype_le_u8", "its fill 2**64-1 is parsed as a double",
                    "v3/dtype_uint64", "its fill 2**64-1 is parsed as a double",
                    "v2/dtype_na_S5", "a bytes fill value is taken as text, not decoded from base64",
                    "v3/sharded_start", "the shard index is read from the end even when index_location is start",
                    "v3/sharded_outer_crc", "a bytes-to-bytes codec after sharding_indexed is not applied").containsKey(path);
            if (!unsupportedType && !noElements && !gap) arrays.add(a);
        }
        assertTrue(arrays.size() >= 60, "most fixtures are compared: " + arrays.size());
        List<String> nodes = arrays.stream().map(a -> "v" + a.path("zarr_format").asInt() + ":" + a.path("path").asText()).toList();
        List<JsonNode> reports = zarrita(dir, Fixtures.ROOT, nodes);
        for (int i = 0; i < arrays.size(); i++) {
            String path = arrays.get(i).path("path").asText();
            Builtin type = Builtin.parse(arrays.get(i).path("dtype").asText());
            assertArrayEquals(JSON.convertValue(arrays.get(i).path("shape"), long[].class), JSON.convertValue(reports.get(i).get("shape"), long[].class), path);
            byte[] expected = Fixtures.expected(path);
            if (isText(type)) {
                assertEquals(decodeStrings(type, expected), strings(reports.get(i)), path);
            } else {
                assertArrayEquals(littleEndian(type, expected), Files.readAllBytes(dir.resolve("out").resolve(i + ".bin")), path);
            }
        }
    }

    // ---------------------------------------------------------------- writing with ZarrV2Writer

    private static Map<String, Object> attributes(Case c) {
        List<String> dims = new ArrayList<>();
        for (int d = 0; d < c.shape().length; d++) dims.add("d" + d);
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("list", Arrays.asList(1, 2.5, null, true, "ü"));
        return Map.of("_ARRAY_DIMENSIONS", dims, "case", c.name(), "nested", nested);
    }

    private static void write(FileBlobStore store, Case c) throws IOException {
        Builtin t = c.type();
        ZarrV2Writer w = ZarrV2Writer.create(store, c.name(), t, c.shape(), c.chunks(), c.compressor(), c.fill(), attributes(c));
        ByteOrder order = byteOrder(t);
        Object fill = fillValue(c);
        long[] grid = w.gridShape();
        long[] idx = new long[grid.length];
        int chunkElems = Arrays.stream(c.chunks()).reduce(1, (a, b) -> a * b);
        do {
            if (c.missing().stream().anyMatch(m -> Arrays.equals(m, idx))) continue;
            Object[] chunk = new Object[chunkElems];
            int[] local = new int[idx.length];
            for (int k = 0; k < chunkElems; k++) {
                long flat = 0;
                boolean inside = true;
                for (int d = 0; d < idx.length; d++) {
                    long g = idx[d] * c.chunks()[d] + local[d];
                    inside &= g < c.shape()[d];
                    flat = flat * c.shape()[d] + g;
                }
                chunk[k] = inside ? value(t, flat) : fill; // edge chunks are padded with the fill value
                for (int d = idx.length - 1; d >= 0 && ++local[d] == c.chunks()[d]; d--) local[d] = 0;
            }
            w.writeChunk(idx.clone(), encodeAll(t, chunk, order));
        } while (next(idx, grid));
    }

    /** Every element in C order: its value, or the fill value where its chunk was left unwritten. */
    private static Object[] expectedValues(Case c) {
        int n = (int) Arrays.stream(c.shape()).reduce(1, (a, b) -> a * b);
        Object[] out = new Object[n];
        long[] pos = new long[c.shape().length];
        for (int k = 0; k < n; k++) {
            long[] chunk = new long[pos.length];
            for (int d = 0; d < pos.length; d++) chunk[d] = pos[d] / c.chunks()[d];
            out[k] = c.missing().stream().anyMatch(m -> Arrays.equals(m, chunk)) ? fillValue(c) : value(c.type(), k);
            for (int d = pos.length - 1; d >= 0 && ++pos[d] == c.shape()[d]; d--) pos[d] = 0;
        }
        return out;
    }

    private static Object fillValue(Case c) {
        return switch (c.fill()) {
            case byte[] b -> new String(b, StandardCharsets.US_ASCII);
            case Number n when c.type().kind() == 'f' -> n.doubleValue();
            case BigInteger b -> b.longValue(); // the same 64 bits as the unsigned value
            case Number n -> n.longValue();
            default -> c.fill();
        };
    }

    /** A deterministic value for element k: Boolean, Long (any bits), Double (NaN, -inf, -0.0 among them) or String. */
    private static Object value(Builtin t, long k) {
        return switch (t.kind()) {
            case 'b' -> k % 3 == 0;
            case 'i', 'u' -> (k + 1) * 0x9E3779B97F4A7C15L;
            case 'f' -> k == 1 ? Double.NaN : k == 2 ? Double.NEGATIVE_INFINITY : k == 3 ? -0.0 : (k * 37 % 101 - 50) * 1.375;
            case 'S' -> "abcdefgh".substring(0, (int) (k % (t.itemsize() + 1)));
            case 'U' -> {
                String w = WORDS[(int) (k % WORDS.length)];
                yield w.codePointCount(0, w.length()) <= t.itemsize() / 4 ? w : w.substring(0, w.offsetByCodePoints(0, t.itemsize() / 4));
            }
            default -> throw new IllegalArgumentException("no values for " + t.numpyString());
        };
    }

    private static byte[] encodeAll(Builtin t, Object[] values, ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(values.length * t.itemsize()).order(order);
        for (Object v : values) {
            int start = b.position();
            switch (t.kind()) {
                case 'b' -> b.put((byte) ((Boolean) v ? 1 : 0));
                case 'i', 'u' -> {
                    long x = (Long) v;
                    switch (t.itemsize()) {
                        case 1 -> b.put((byte) x);
                        case 2 -> b.putShort((short) x);
                        case 4 -> b.putInt((int) x);
                        default -> b.putLong(x);
                    }
                }
                case 'f' -> {
                    if (t.itemsize() == 4) b.putFloat((float) (double) (Double) v);
                    else b.putDouble((Double) v);
                }
                case 'S' -> b.put(((String) v).getBytes(StandardCharsets.US_ASCII));
                case 'U' -> ((String) v).codePoints().forEach(b::putInt);
                default -> throw new IllegalArgumentException(t.numpyString());
            }
            b.position(start + t.itemsize()); // strings are padded with NULs
        }
        return b.array();
    }

    // ---------------------------------------------------------------- reading with zarrita

    private static List<JsonNode> zarrita(Path dir, Path store, List<String> nodes) throws Exception {
        Path work = Files.createDirectories(dir.resolve("node"));
        Files.copy(SCRIPT, work.resolve(SCRIPT.getFileName()));
        Files.createSymbolicLink(work.resolve("node_modules"), nodeModules); // node resolves imports beside the script
        Path out = Files.createDirectories(dir.resolve("out"));
        Path log = dir.resolve("zarrita.log");
        List<String> command = new ArrayList<>(List.of("node", work.resolve(SCRIPT.getFileName()).toString(), store.toString(), out.toString()));
        command.addAll(nodes);
        Process p = new ProcessBuilder(command).redirectOutput(dir.resolve("zarrita.jsonl").toFile()).redirectError(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("zarrita did not finish within 120 s");
        }
        assertEquals(0, p.exitValue(), () -> "zarrita failed: " + read(log));
        List<JsonNode> reports = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("zarrita.jsonl"))) reports.add(JSON.readTree(line));
        assertEquals(nodes.size(), reports.size(), "one report per node");
        return reports;
    }

    private static boolean nodeRuns() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** zarrita's name for a v2 dtype. */
    private static String zarritaTypeName(Builtin t) {
        return switch (t.kind()) {
            case 'b' -> "bool";
            case 'i' -> "int" + 8 * t.itemsize();
            case 'u' -> "uint" + 8 * t.itemsize();
            case 'f' -> "float" + 8 * t.itemsize();
            case 'S' -> "v2:S" + t.itemsize();
            case 'U' -> "v2:U" + t.itemsize() / 4;
            default -> throw new IllegalArgumentException(t.numpyString());
        };
    }

    private static ByteOrder byteOrder(Builtin t) {
        return t.endianness() == DataType.Endianness.BIG ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    private static boolean isText(Builtin t) { return t.kind() == 'S' || t.kind() == 'U'; }

    private static List<String> strings(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.path("strings").forEach(s -> out.add(s.asText()));
        return out;
    }

    /** numpy's S/U bytes as strings, NULs dropped as zarrita drops them. */
    private static List<String> decodeStrings(Builtin t, byte[] bytes) {
        List<String> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(byteOrder(t));
        for (int i = 0; i < bytes.length / t.itemsize(); i++) {
            StringBuilder s = new StringBuilder();
            if (t.kind() == 'S') {
                s.append(new String(bytes, i * t.itemsize(), t.itemsize(), StandardCharsets.UTF_8));
            } else {
                for (int j = 0; j < t.itemsize() / 4; j++) s.appendCodePoint(b.getInt(i * t.itemsize() + 4 * j));
            }
            out.add(s.toString().replace("\0", ""));
        }
        return out;
    }

    /** Numeric bytes in little-endian order (what zarrita hands back on this machine). */
    private static byte[] littleEndian(Builtin t, byte[] bytes) {
        if (byteOrder(t) == ByteOrder.LITTLE_ENDIAN) return bytes;
        byte[] out = new byte[bytes.length];
        int w = t.itemsize();
        for (int i = 0; i < bytes.length; i += w) for (int j = 0; j < w; j++) out[i + j] = bytes[i + w - 1 - j];
        return out;
    }

    private static boolean next(long[] c, long[] limit) {
        for (int d = c.length - 1; d >= 0; d--) {
            if (++c[d] < limit[d]) return true;
            c[d] = 0;
        }
        return false;
    }
}
