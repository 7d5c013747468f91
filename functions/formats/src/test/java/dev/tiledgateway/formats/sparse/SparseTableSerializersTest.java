package dev.tiledgateway.formats.sparse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.array.ArrayPayload;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.serialize.Serializer;
import dev.tiledgateway.core.serialize.SerializerRegistry;
import dev.tiledgateway.core.sparse.SparsePayload;
import dev.tiledgateway.formats.dataset.Arrays1d;
import dev.tiledgateway.formats.table.TablePayload;
import dev.tiledgateway.testkit.interop.Interop;
import dev.tiledgateway.testkit.interop.Python;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sparse family's table formats: registration, the Arrow file the client reads, Parquet, and pandas/numpy's view. */
class SparseTableSerializersTest {

    static final String ARROW = "application/vnd.apache.arrow.file";

    /** A 2-d 4x5 selection with three stored float64 values. */
    static SparsePayload matrix() {
        return new SparsePayload(new long[][] {{0, 1, 3}, {4, 0, 2}}, Arrays1d.f8(1.5, -2, 7.25), new long[] {4, 5});
    }

    static Serializer serializer(String mediaType) {
        return new SparseTableSerializers().serializers().stream().filter(s -> s.mediaType().equals(mediaType)).findFirst().orElseThrow();
    }

    @Test
    void registeredBesideCoresJsonAndCsv() {
        List<String> formats = SerializerRegistry.discover().formats().get("sparse");
        for (String mt : List.of(ARROW, "application/x-parquet", "text/html",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/json", "text/csv", "text/plain"))
            assertTrue(formats.contains(mt), mt + " in " + formats);
        assertEquals(formats.size(), formats.stream().distinct().count());
    }

    @Test
    void theFamilyDefaultIsTheArrowFile() {
        Node node = new Node(NodePath.of("s"), StructureFamily.SPARSE, Json.object(), List.of(), null, null, null, 0);
        Serializer s = SerializerRegistry.discover().negotiate(node, Optional.empty(), Optional.empty());
        assertEquals(ARROW, s.mediaType());
        assertEquals(List.of("arrow", "feather"), s.aliases());
    }

    @Test
    void arrowFileHasInt64CoordinatesAndTheDataDtype() throws Exception {
        byte[] bytes = serializer(ARROW).serialize(matrix());
        assertEquals("ARROW1", new String(bytes, bytes.length - 6, 6, StandardCharsets.US_ASCII));
        try (RootAllocator a = new RootAllocator();
             ArrowFileReader r = new ArrowFileReader(new ByteArrayReadableSeekableByteChannel(bytes), a)) {
            VectorSchemaRoot root = r.getVectorSchemaRoot();
            List<Field> fields = root.getSchema().getFields();
            assertEquals(List.of("dim0", "dim1", "data"), fields.stream().map(Field::getName).toList());
            assertEquals(new ArrowType.Int(64, true), fields.get(0).getType());
            assertEquals(new ArrowType.Int(64, true), fields.get(1).getType());
            assertEquals(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE), fields.get(2).getType());
            JsonNode pandas = Json.parse(root.getSchema().getCustomMetadata().get("pandas"));
            assertEquals(0, pandas.get("index_columns").size());
            assertTrue(r.loadNextBatch());
            assertEquals(3, root.getRowCount());
            BigIntVector dim0 = (BigIntVector) root.getVector("dim0"), dim1 = (BigIntVector) root.getVector("dim1");
            Float8Vector data = (Float8Vector) root.getVector("data");
            long[][] coords = matrix().coords();
            double[] values = {1.5, -2, 7.25};
            for (int k = 0; k < 3; k++) {
                assertEquals(coords[0][k], dim0.get(k));
                assertEquals(coords[1][k], dim1.get(k));
                assertEquals(values[k], data.get(k));
            }
            assertFalse(r.loadNextBatch());
        }
    }

    @Test
    void dataKeepsItsIntegerDtypeAndAnyNumberOfDimensions() {
        SparsePayload p = new SparsePayload(new long[][] {{0, 2}, {1, 1}, {5, 0}}, Arrays1d.ints("<i4", 10, -20), new long[] {3, 2, 6});
        try (TablePayload t = SparseTables.toTable(p)) {
            assertEquals(List.of("dim0", "dim1", "dim2", "data"), t.schema().getFields().stream().map(Field::getName).toList());
            assertEquals(new ArrowType.Int(32, true), t.schema().findField("data").getType());
            assertEquals(-20, ((IntVector) t.root().getVector("data")).get(1));
            assertEquals(5L, ((BigIntVector) t.root().getVector("dim2")).get(0));
            assertEquals(List.of(), t.indexColumns());
        }
    }

    @Test
    void anEmptySelectionIsAnEmptyTable() throws Exception {
        SparsePayload p = new SparsePayload(new long[][] {{}, {}}, Arrays1d.f8(), new long[] {0, 3});
        try (RootAllocator a = new RootAllocator();
             ArrowFileReader r = new ArrowFileReader(new ByteArrayReadableSeekableByteChannel(serializer(ARROW).serialize(p)), a)) {
            assertEquals(List.of("dim0", "dim1", "data"), r.getVectorSchemaRoot().getSchema().getFields().stream().map(Field::getName).toList());
            int rows = 0;
            while (r.loadNextBatch()) rows += r.getVectorSchemaRoot().getRowCount();
            assertEquals(0, rows);
        }
    }

    @Test
    void mismatchedCoordinatesAreRefused() {
        SparsePayload p = new SparsePayload(new long[][] {{0, 1}, {0}}, Arrays1d.f8(1, 2), new long[] {2, 2});
        assertThrows(IllegalArgumentException.class, () -> SparseTables.toTable(p));
        ArrayPayload complex = new ArrayPayload(dev.tiledgateway.core.structure.DataType.Builtin.parse("<c8"), new long[] {1}, new byte[8]);
        TiledException e = assertThrows(TiledException.class,
                () -> serializer(ARROW).serialize(new SparsePayload(new long[][] {{0}}, complex, new long[] {1})));
        assertEquals(406, e.status());
    }

    @Test
    void htmlAndParquetWriteTheSameTable() {
        String html = new String(serializer("text/html").serialize(matrix()), StandardCharsets.UTF_8);
        assertTrue(html.contains("<th>dim0</th>") && html.contains("<td>7.25</td>"), html);
        assertEquals("PAR1", new String(serializer("application/x-parquet").serialize(matrix()), 0, 4, StandardCharsets.US_ASCII));
    }

    /**
     * The client's read: {@code pyarrow.ipc.open_file(...).read_pandas()}, then
     * {@code COO(data=df["data"].values, coords=numpy.stack([df[f"dim{i}"].values ...]), shape=...)}; checked as the
     * dense array it stands for (with {@code sparse} itself where installed), and for Parquet through pyarrow.parquet.
     */
    @Test
    @Interop
    void theClientRebuildsTheCoo(@TempDir Path dir) throws Exception {
        Python python = Python.standard().require("pyarrow", "pandas");
        Files.write(dir.resolve("m.arrow"), serializer(ARROW).serialize(matrix()));
        Files.write(dir.resolve("m.parquet"), serializer("application/x-parquet").serialize(matrix()));
        SparsePayload cube = new SparsePayload(new long[][] {{0, 2}, {1, 1}, {5, 0}}, Arrays1d.ints("<u2", 10, 65535), new long[] {3, 2, 6});
        Files.write(dir.resolve("cube.arrow"), serializer(ARROW).serialize(cube));
        python.check(dir, """
                import importlib.util
                import numpy as np, pyarrow as pa, pyarrow.parquet as pq

                def coo(df, shape):
                    data = df["data"].values
                    coords = np.stack([df[f"dim{i}"].values for i in range(len(shape))])
                    assert coords.dtype == np.int64, coords.dtype
                    if importlib.util.find_spec("sparse"):
                        import sparse
                        return sparse.COO(data=data, coords=coords, shape=shape).todense()
                    dense = np.zeros(shape, dtype=data.dtype)
                    dense[tuple(coords)] = data
                    return dense

                expected = np.zeros((4, 5))
                expected[0, 4], expected[1, 0], expected[3, 2] = 1.5, -2, 7.25
                df = pa.ipc.open_file("m.arrow").read_pandas()
                assert list(df.columns) == ["dim0", "dim1", "data"], df.columns
                assert list(df.index) == [0, 1, 2], df.index
                np.testing.assert_array_equal(coo(df, (4, 5)), expected)
                np.testing.assert_array_equal(coo(pq.read_table("m.parquet").to_pandas(), (4, 5)), expected)
                cube = coo(pa.ipc.open_file("cube.arrow").read_pandas(), (3, 2, 6))
                assert cube.dtype == np.uint16 and cube[0, 1, 5] == 10 and cube[2, 1, 0] == 65535 and cube.sum() == 65545, cube
                print("ok")
                """);
    }

}
