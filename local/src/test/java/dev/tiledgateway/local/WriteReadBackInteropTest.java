package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.testkit.interop.Interop;
import dev.tiledgateway.testkit.interop.Python;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the gateway stores for written data is standard: arrays written block by block through the HTTP API (every
 * dtype family the read path serves) are opened from the store by zarr-python, and a table written partition by
 * partition is read from its Parquet objects by pyarrow and pandas, each value compared with what was sent. The server
 * is {@code serve catalog} on a data folder, so the objects are files the tools open directly.
 */
@Interop
class WriteReadBackInteropTest {

    @TempDir
    static Path tmp;

    private static Main.Running running;
    private static Http http;
    private static Writes writes;

    @BeforeAll
    static void start() throws Exception {
        running = Main.serveCatalog("127.0.0.1", 0, tmp.resolve("catalog"), null);
        http = new Http(running);
        writes = new Writes(http);
        writes.container("", "interop", "{}");
    }

    @AfterAll
    static void stop() {
        if (running != null) running.close();
    }

    static final int ROWS = 5, COLS = 3;
    /** Blocks of 2 x 2: 3 x 2 blocks, the last row and column of blocks partial. */
    static final String SHAPE = "[5, 3]", CHUNKS = "[[2, 2, 1], [2, 1]]";

    /** One array to write: its name, its dtype as the client sends it, numpy's name of it, and the element at (i, j) as bytes. */
    record Case(String name, String dataType, String numpy, int itemsize, Element element) {}

    interface Element {
        void put(ByteBuffer b, int i, int j);
    }

    static List<Case> cases() {
        String le = "little";
        return List.of(
                new Case("f8", WriteHttpTest.F8, "<f8", 8, (b, i, j) -> b.putDouble(i == 4 && j == 2 ? Double.NaN : i == 0 && j == 1 ? -0.0 : i * 1.5 - j * 1e10)),
                new Case("i2_big", WriteHttpTest.dtype("big", "i", 2, null), ">i2", 2, (b, i, j) -> b.order(ByteOrder.BIG_ENDIAN).putShort((short) (i * 1000 - j * 7 - 3000))),
                new Case("c16", WriteHttpTest.dtype(le, "c", 16, null), "<c16", 16, (b, i, j) -> b.putDouble(i + 0.25).putDouble(-j - 0.5)),
                new Case("bool", WriteHttpTest.dtype("not_applicable", "b", 1, null), "|b1", 1, (b, i, j) -> b.put((byte) ((i + j) % 2))),
                new Case("u3", WriteHttpTest.dtype(le, "U", 12, null), "<U3", 12, (b, i, j) -> {
                    String s = new String[] {"", "a", "\u00e9t\u00e9", "xyz", "\uD83D\uDE42"}[(i + j) % 5];
                    int[] cps = s.codePoints().toArray();
                    for (int k = 0; k < 3; k++) b.putInt(k < cps.length ? cps[k] : 0);
                }),
                new Case("rec", "{\"itemsize\": 12, \"fields\": [{\"name\": \"a\", \"dtype\": " + WriteHttpTest.I4 + ", \"shape\": null},"
                        + " {\"name\": \"b\", \"dtype\": " + WriteHttpTest.F8 + ", \"shape\": null}]}", "[[\"a\", \"<i4\"], [\"b\", \"<f8\"]]", 12,
                        (b, i, j) -> b.putInt(i * 10 + j).putDouble(i / 8.0 + j)),
                new Case("m8", WriteHttpTest.dtype(le, "M", 8, "[ns]"), "<M8[ns]", 8, (b, i, j) -> b.putLong(1_700_000_000_000_000_000L + i * 86_400_000_000_000L + j)));
    }

    /** The whole array in C order, as numpy lays it out. */
    static byte[] whole(Case c) {
        ByteBuffer b = ByteBuffer.allocate(ROWS * COLS * c.itemsize());
        for (int i = 0; i < ROWS; i++) for (int j = 0; j < COLS; j++) c.element().put(b.order(ByteOrder.LITTLE_ENDIAN), i, j);
        return b.array();
    }

    /** Block (bi, bj) of 2 x 2 elements (fewer at the edges), in C order. */
    static byte[] block(Case c, int bi, int bj) {
        int r0 = bi * 2, r1 = Math.min(ROWS, r0 + 2), c0 = bj * 2, c1 = Math.min(COLS, c0 + 2);
        ByteBuffer b = ByteBuffer.allocate((r1 - r0) * (c1 - c0) * c.itemsize());
        for (int i = r0; i < r1; i++) for (int j = c0; j < c1; j++) c.element().put(b.order(ByteOrder.LITTLE_ENDIAN), i, j);
        return b.array();
    }

    private static final String ZARR_CHECK = """
            import json, sys, numpy as np, zarr
            manifest = json.load(open(sys.argv[1]))
            for case in manifest:
                descr = case["numpy"]
                dtype = np.dtype([tuple(f) for f in descr] if isinstance(descr, list) else descr)
                z = zarr.open_array(case["path"], mode="r")
                assert z.dtype == dtype, (case["name"], z.dtype, dtype)
                assert z.shape == tuple(case["shape"]), (case["name"], z.shape)
                assert z.chunks == tuple(case["chunks"]), (case["name"], z.chunks)
                got = z[...]
                sent = np.frombuffer(open(case["sent"], "rb").read(), dtype=dtype).reshape(case["shape"])
                if dtype.kind in "fc":
                    assert np.array_equal(got, sent, equal_nan=True), (case["name"], got, sent)
                else:
                    assert np.array_equal(got, sent), (case["name"], got, sent)
                assert got.tobytes() == sent.tobytes(), case["name"]
                for i in range(sent.shape[0]):
                    for j in range(sent.shape[1]):
                        a, b = got[i, j], sent[i, j]
                        assert a.tobytes() == b.tobytes(), (case["name"], i, j, a, b)
                print(case["name"], z.dtype, z.shape, z.chunks, "ok")
            """;

    @Test
    void zarrPythonOpensArraysWrittenBlockByBlockAndReadsEveryValueSent() throws Exception {
        Python python = Python.fromEnv("ZARR_PYTHON").require("zarr", "numpy");
        ArrayNode manifest = Json.mapper().createArrayNode();
        Path dir = Files.createDirectories(tmp.resolve("zarr-check"));
        for (Case c : cases()) {
            JsonNode doc = writes.array("interop", c.name(), c.dataType(), SHAPE, CHUNKS);
            for (int bi = 2; bi >= 0; bi--) for (int bj = 0; bj < 2; bj++) writes.block(doc, block(c, bi, bj), bi, bj);
            byte[] sent = whole(c);
            assertArrayEquals(sent, http.data("/api/v1/array/full/interop/" + c.name()), c.name() + " through the read route");
            Path sentFile = dir.resolve(c.name() + ".bin");
            Files.write(sentFile, sent);
            ObjectNode m = manifest.addObject();
            m.put("name", c.name());
            m.set("numpy", c.numpy().startsWith("[") ? Json.parse(c.numpy().getBytes()) : Json.mapper().getNodeFactory().textNode(c.numpy()));
            m.put("path", Path.of(URI.create(writes.dataUri("interop/" + c.name()))).toString());
            m.set("shape", Json.parse(SHAPE.getBytes()));
            m.set("chunks", Json.parse("[2, 2]".getBytes()));
            m.put("sent", sentFile.toString());
        }
        Files.write(dir.resolve("manifest.json"), Json.mapper().writeValueAsBytes(manifest));
        String out = python.check(dir, ZARR_CHECK, dir.resolve("manifest.json").toString());
        assertEquals(cases().size(), out.lines().filter(l -> l.endsWith(" ok")).count(), out);
    }

    private static final String PARQUET_CHECK = """
            import json, sys, pyarrow as pa, pyarrow.parquet as pq
            manifest = json.load(open(sys.argv[1]))
            assert len(manifest) == 3, manifest
            for n, part in enumerate(manifest):
                stored = pq.read_table(part["path"])
                meta = pq.ParquetFile(part["path"]).metadata
                assert meta.num_rows == part["rows"], (n, meta.num_rows)
                with pa.OSFile(part["sent"], "rb") as f:
                    sent = pa.ipc.open_file(f).read_all()
                assert stored.column_names == sent.column_names, (stored.column_names, sent.column_names)
                for name in sent.column_names:
                    assert stored.column(name).type == sent.column(name).type, (name, stored.column(name).type, sent.column(name).type)
                    assert stored.column(name).to_pylist() == sent.column(name).to_pylist(), (name, stored.column(name), sent.column(name))
                got, want = stored.to_pandas(), sent.to_pandas()
                assert list(got.index) == list(want.index) == part["index"], (list(got.index), part["index"])
                assert got.equals(want), (got, want)
                print("partition", n, meta.num_rows, "rows", list(got.columns), "ok")
            """;

    @Test
    void pyarrowAndPandasReadEveryPartitionOfAWrittenTableAsSent() throws Exception {
        Python python = Python.standard().require("pyarrow", "pandas");
        Schema schema = TableWriteHttpTest.schema(true);
        writes.create("interop", TableWriteHttpTest.tableBody("table", schema, 3));
        Path dir = Files.createDirectories(tmp.resolve("parquet-check"));
        int[] rows = {4, 1, 3};
        List<byte[]> sent = new ArrayList<>();
        int from = 0;
        for (int p = 0; p < rows.length; p++) {
            sent.add(TableWriteHttpTest.arrow(schema, from, rows[p]));
            from += rows[p];
        }
        for (int p = rows.length - 1; p >= 0; p--)
            writes.put(http.origin() + "/api/v1/table/partition/interop/table?partition=" + p, sent.get(p), "application/vnd.apache.arrow.file");
        assertEquals(TableWriteHttpTest.expected(0, from), TableWriteHttpTest.rows(
                http.follow("/api/v1/table/full/interop/table", "Accept", "application/vnd.apache.arrow.file").body()));
        JsonNode assets = http.json("/api/v1/metadata/interop/table?include_data_sources=true").at("/data/attributes/data_sources/0/assets");
        assertEquals(rows.length, assets.size(), assets.toString());
        ArrayNode manifest = Json.mapper().createArrayNode();
        from = 0;
        for (int p = 0; p < rows.length; p++) {
            Path file = Path.of(URI.create(assets.get(p).get("data_uri").asText()));
            assertTrue(file.getFileName().toString().endsWith(".parquet"), file.toString());
            Path sentFile = dir.resolve("sent-" + p + ".arrow");
            Files.write(sentFile, sent.get(p));
            ObjectNode m = manifest.addObject();
            m.put("path", file.toString());
            m.put("sent", sentFile.toString());
            m.put("rows", rows[p]);
            ArrayNode index = m.putArray("index");
            for (int i = 0; i < rows[p]; i++) index.add(100 + from + i);
            from += rows[p];
        }
        Files.write(dir.resolve("manifest.json"), Json.mapper().writeValueAsBytes(manifest));
        String out = python.check(dir, PARQUET_CHECK, dir.resolve("manifest.json").toString());
        assertEquals(rows.length, out.lines().filter(l -> l.endsWith(" ok")).count(), out);
    }
}
