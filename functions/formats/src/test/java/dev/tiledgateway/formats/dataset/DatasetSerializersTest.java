package dev.tiledgateway.formats.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.container.DatasetPayload;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.serialize.Serializer;
import dev.tiledgateway.core.serialize.SerializerRegistry;
import dev.tiledgateway.testkit.interop.Interop;
import dev.tiledgateway.testkit.interop.Python;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static dev.tiledgateway.formats.dataset.Arrays1d.datetimes;
import static dev.tiledgateway.formats.dataset.Arrays1d.f8;
import static dev.tiledgateway.formats.dataset.Arrays1d.i8;
import static dev.tiledgateway.formats.dataset.WideTablesTest.var;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The xarray_dataset serializers: registration and negotiation, the Arrow file read back, the text formats, pandas' view. */
class DatasetSerializersTest {

    static final String ARROW = "application/vnd.apache.arrow.file";
    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /** time (datetime64[ns] index), temp (float64 with a NaN), count (int64). */
    static DatasetPayload weather() {
        long t0 = 1_577_836_800_000_000_000L; // 2020-01-01
        return new DatasetPayload(List.of(
                var("temp", f8(20.5, Double.NaN, 22.25)),
                var("count", i8(1, 2, 3)),
                var("time", datetimes("ns", t0, t0 + 3_600_000_000_000L, t0 + 7_200_000_000_000L))), List.of("time"));
    }

    static Serializer serializer(String mediaType) {
        return new DatasetSerializers().serializers().stream().filter(s -> s.mediaType().equals(mediaType)).findFirst().orElseThrow();
    }

    @Test
    void discoveredForTheSpecInUpstreamOrder() {
        assertEquals(List.of(ARROW, "application/x-parquet", "text/csv", "text/comma-separated-values", "text/plain", "text/html",
                XLSX, "application/json"), SerializerRegistry.discover().formats().get("xarray_dataset"));
    }

    @Test
    void theSpecWinsOverTheContainerFamily() {
        SerializerRegistry registry = SerializerRegistry.discover();
        Node node = Node.container(NodePath.of("ds"), Json.object(), List.of(new Spec("xarray_dataset", null)));
        assertEquals("TableBackedSerializer[xarray_dataset " + ARROW + " via table " + ARROW + "]",
                registry.negotiate(node, Optional.of(ARROW), Optional.empty()).toString());
        assertEquals("xarray_dataset", registry.negotiate(node, Optional.of("json"), Optional.empty()).servesFor().iterator().next());
        assertEquals("text/csv", registry.negotiate(node, Optional.of("csv"), Optional.empty()).mediaType());
        assertEquals(List.of("parquet"), serializer("application/x-parquet").aliases());
        assertEquals(List.of(), serializer("text/comma-separated-values").aliases());
    }

    @Test
    void arrowFileReadsBackWithArrowJava() throws Exception {
        byte[] bytes = serializer(ARROW).serialize(weather());
        assertEquals("ARROW1", new String(bytes, 0, 6, StandardCharsets.US_ASCII));
        try (RootAllocator a = new RootAllocator();
             ArrowFileReader r = new ArrowFileReader(new ByteArrayReadableSeekableByteChannel(bytes), a)) {
            VectorSchemaRoot root = r.getVectorSchemaRoot();
            assertEquals(List.of("temp", "count", "time"), root.getSchema().getFields().stream().map(f -> f.getName()).toList());
            assertEquals(new ArrowType.Timestamp(TimeUnit.NANOSECOND, null), root.getSchema().findField("time").getType());
            assertEquals(new ArrowType.Int(64, true), root.getSchema().findField("count").getType());
            JsonNode pandas = Json.parse(root.getSchema().getCustomMetadata().get("pandas"));
            assertEquals("time", pandas.at("/index_columns/0").asText());
            assertTrue(r.loadNextBatch());
            assertEquals(3, root.getRowCount());
            assertEquals(22.25, ((Float8Vector) root.getVector("temp")).get(2));
            assertTrue(root.getVector("temp").isNull(1));
            assertEquals(1_577_840_400_000_000_000L, ((TimeStampVector) root.getVector("time")).get(1));
            assertEquals(3L, root.getVector("count").getObject(2));
        }
    }

    @Test
    void textFormatsLeaveTheIndexOutAsUpstreamDoes() throws Exception {
        String csv = new String(serializer("text/csv").serialize(weather()), StandardCharsets.UTF_8);
        assertEquals("temp,count\n20.5,1\n,2\n22.25,3\n", csv);
        assertArrayEquals(csv.getBytes(StandardCharsets.UTF_8), serializer("text/comma-separated-values").serialize(weather()));
        assertArrayEquals(csv.getBytes(StandardCharsets.UTF_8), serializer("text/plain").serialize(weather()));
        assertEquals("{\"temp\":[20.5,null,22.25],\"count\":[1,2,3]}",
                new String(serializer("application/json").serialize(weather()), StandardCharsets.UTF_8));
        String html = new String(serializer("text/html").serialize(weather()), StandardCharsets.UTF_8);
        assertTrue(html.contains("<th>temp</th>") && !html.contains("<th>time</th>"), html);
        assertEquals("PK", new String(serializer(XLSX).serialize(weather()), 0, 2, StandardCharsets.US_ASCII));
        assertEquals("PAR1", new String(serializer("application/x-parquet").serialize(weather()), 0, 4, StandardCharsets.US_ASCII));
    }

    @Test
    void otherPayloadsAreNotAcceptable() {
        TiledException e = assertThrows(TiledException.class, () -> serializer(ARROW).serialize("not a dataset"));
        assertEquals(406, e.status());
        assertInstanceOf(TiledException.class, assertThrows(TiledException.class, () -> serializer("text/csv").serialize(null)));
    }

    /**
     * The client's wide-table read: {@code open_file(...).read_pandas().reset_index()} has the index and every
     * variable as columns; the frame equals pyarrow's own writing of xarray's {@code to_dataframe()} where xarray is
     * (pandas 2 or 3); Parquet reads back to the same frame; xlsx reads with pandas (openpyxl).
     */
    @Test
    @Interop
    void pandasReadsTheWideTableAsTheClientDoes(@TempDir Path dir) throws Exception {
        Python python = Python.standard().require("pyarrow", "pandas", "xarray", "openpyxl");
        Files.write(dir.resolve("weather.arrow"), serializer(ARROW).serialize(weather()));
        Files.write(dir.resolve("weather.parquet"), serializer("application/x-parquet").serialize(weather()));
        Files.write(dir.resolve("weather.xlsx"), serializer(XLSX).serialize(weather()));
        // the two requests the client makes: the coordinates, then the data variables (whose dimension has no variable here)
        Files.write(dir.resolve("coords.arrow"), serializer(ARROW).serialize(new DatasetPayload(
                List.of(weather().variables().get(2)), List.of("time"))));
        Files.write(dir.resolve("vars.arrow"), serializer(ARROW).serialize(new DatasetPayload(
                weather().variables().subList(0, 2), List.of("time"))));
        python.check(dir, """
                import numpy as np, pandas as pd, pyarrow as pa, pyarrow.parquet as pq, xarray as xr
                df = pa.ipc.open_file("weather.arrow").read_pandas()
                assert df.index.name == "time", df.index
                flat = df.reset_index()
                assert list(flat.columns) == ["time", "temp", "count"], flat.columns
                # pandas 3 infers microseconds from strings; the dataset's time is datetime64[ns]
                times = pd.to_datetime(["2020-01-01 00:00", "2020-01-01 01:00", "2020-01-01 02:00"]).as_unit("ns")
                assert (flat["time"].values == times.values).all(), flat["time"]
                assert flat["time"].dtype == np.dtype("datetime64[ns]"), flat["time"].dtype
                assert flat["temp"].values[0] == 20.5 and np.isnan(flat["temp"].values[1]), flat["temp"]
                assert flat["count"].dtype == np.int64 and list(flat["count"]) == [1, 2, 3], flat["count"]
                expected = pd.DataFrame({"temp": [20.5, np.nan, 22.25], "count": np.array([1, 2, 3])},
                                        index=pd.DatetimeIndex(times, name="time"))
                pd.testing.assert_frame_equal(df, expected)
                ds = xr.Dataset({"temp": ("time", expected["temp"].values), "count": ("time", expected["count"].values)},
                                coords={"time": times.values})
                upstream = pa.Table.from_pandas(ds.to_dataframe(), preserve_index=True)
                mine = pa.ipc.open_file("weather.arrow").read_all()
                assert mine.schema.remove_metadata() == upstream.schema.remove_metadata(), (mine.schema, upstream.schema)
                pd.testing.assert_frame_equal(mine.to_pandas(), upstream.to_pandas())
                pd.testing.assert_frame_equal(pq.read_table("weather.parquet").to_pandas(), expected)
                coords = pa.ipc.open_file("coords.arrow").read_pandas().reset_index()
                assert list(coords.columns) == ["time"] and (coords["time"].values == times.values).all(), coords
                vars = pa.ipc.open_file("vars.arrow").read_pandas().reset_index()
                assert list(vars.columns) == ["time", "temp", "count"], vars.columns
                assert list(vars["time"]) == [0, 1, 2] and list(vars["count"]) == [1, 2, 3], vars
                x = pd.read_excel("weather.xlsx")
                assert list(x.columns) == ["temp", "count"] and list(x["count"]) == [1, 2, 3], x
                print("ok")
                """);
    }

    /**
     * A dataset of 3-d and 2-d variables (the demo's shape) in every format, against what upstream makes of the same
     * dataset: {@code to_dataframe()} then pyarrow with the index (Arrow, Parquet), pandas without it (CSV, HTML,
     * xlsx) and upstream's column JSON.
     */
    @Test
    @Interop
    void griddedVariablesAreWhatXarraysToDataframeMakesOfThem(@TempDir Path dir) throws Exception {
        Python python = Python.standard().require("pyarrow", "pandas", "xarray", "openpyxl");
        DatasetPayload d = WideTablesTest.gridded();
        Files.write(dir.resolve("d.arrow"), serializer(ARROW).serialize(d));
        Files.write(dir.resolve("d.parquet"), serializer("application/x-parquet").serialize(d));
        Files.write(dir.resolve("d.csv"), serializer("text/csv").serialize(d));
        Files.write(dir.resolve("d.json"), serializer("application/json").serialize(d));
        Files.write(dir.resolve("d.html"), serializer("text/html").serialize(d));
        Files.write(dir.resolve("d.xlsx"), serializer(XLSX).serialize(d));
        python.check(dir, """
                import json
                import numpy as np, pandas as pd, pyarrow as pa, pyarrow.parquet as pq, xarray as xr
                counting = lambda *shape: (np.arange(np.prod(shape)) + 0.5).reshape(shape)
                ds = xr.Dataset({"temperature": (("x", "y", "time"), counting(2, 2, 3))},
                                coords={"lon": (("x", "y"), counting(2, 2)),
                                        "time": ("time", pd.date_range("2014-09-06", periods=3).values.astype("datetime64[ns]"))})
                df = ds.to_dataframe()
                upstream = pa.Table.from_pandas(df, preserve_index=True)
                mine = pa.ipc.open_file("d.arrow").read_all()
                assert mine.schema.remove_metadata() == upstream.schema.remove_metadata(), (mine.schema, upstream.schema)
                pd.testing.assert_frame_equal(mine.to_pandas(), df)
                pd.testing.assert_frame_equal(pq.read_table("d.parquet").to_pandas(), df)
                csv = open("d.csv").read()
                assert csv == df.to_csv(index=False), (csv, df.to_csv(index=False))
                assert json.load(open("d.json")) == {c: df[c].tolist() for c in df}, open("d.json").read()
                html = open("d.html").read()
                assert html == df.to_html(index=False), (html, df.to_html(index=False))
                pd.testing.assert_frame_equal(pd.read_excel("d.xlsx"), df.reset_index(drop=True))
                print("ok")
                """);
    }

    /**
     * The client's wide-table read of a square grid (variable on (x, y), coordinates x and y of one length): it asks for
     * x and y together and takes each column, after {@code reset_index()}, as that coordinate's values.
     */
    @Test
    @Interop
    void theClientsWideTableReadOfASquareGridGetsEachCoordinateOnce(@TempDir Path dir) throws Exception {
        Python python = Python.standard().require("pyarrow", "pandas");
        DatasetPayload coords = new DatasetPayload(List.of(
                new DatasetPayload.Variable("x", List.of("x"), i8(10, 20, 30)),
                new DatasetPayload.Variable("y", List.of("y"), f8(0.5, 1.5, 2.5))), List.of());
        Files.write(dir.resolve("coords.arrow"), serializer(ARROW).serialize(coords));
        python.check(dir, """
                import pyarrow as pa
                df = pa.ipc.open_file("coords.arrow").read_pandas().reset_index()
                assert list(df["x"].values) == [10, 20, 30], df
                assert list(df["y"].values) == [0.5, 1.5, 2.5], df
                print("ok")
                """);
    }

    /** Every dtype the wide table takes, as pandas sees it: widths, unsigned, float16, bool, strings, bytes, units. */
    @Test
    @Interop
    void pandasSeesEveryDtype(@TempDir Path dir) throws Exception {
        Python python = Python.standard().require("pyarrow", "pandas");
        DatasetPayload d = new DatasetPayload(List.of(
                var("i1", Arrays1d.ints("|i1", -128, 127)), var("u2", Arrays1d.ints(">u2", 65535, 0)),
                var("u8", Arrays1d.ints("<u8", -1, 1)), var("f2", Arrays1d.ints("<f2", 0x3C00, 0x7E00)),
                var("f4", Arrays1d.f4(1.5f, -0f)), var("b", Arrays1d.b1(true, false)),
                var("s", Arrays1d.unicode(2, "é", "ab")), var("raw", Arrays1d.bytes(2, "x", "yz")),
                var("day", datetimes("D", 1, Long.MIN_VALUE)), var("dt", Arrays1d.timedeltas("us", 5, 6)),
                var("c", Arrays1d.scalar(2.5)), var("x", datetimes("ms", 0, 1000))), List.of("x"));
        Files.write(dir.resolve("types.arrow"), serializer(ARROW).serialize(d));
        Files.write(dir.resolve("types.parquet"), serializer("application/x-parquet").serialize(d));
        python.check(dir, """
                import numpy as np, pandas as pd, pyarrow as pa, pyarrow.parquet as pq
                # Parquet has no seconds unit: pyarrow reads timestamp[s] back as ms. Strings are what this pandas makes of
                # an Arrow string column: object in pandas 2, str in pandas 3.
                text = str(pa.table({"s": ["a"]}).to_pandas()["s"].dtype)
                for df, day in ((pa.ipc.open_file("types.arrow").read_pandas(), "datetime64[s]"),
                                (pq.read_table("types.parquet").to_pandas(), "datetime64[ms]")):
                    df = df.reset_index()
                    dtypes = {k: str(v) for k, v in df.dtypes.items()}
                    assert dtypes == {"x": "datetime64[ms]", "i1": "int8", "u2": "uint16", "u8": "uint64", "f2": "float16",
                                      "f4": "float32", "b": "bool", "s": text, "raw": "object", "day": day,
                                      "dt": "timedelta64[us]", "c": "float64"}, dtypes
                    assert list(df["i1"]) == [-128, 127] and list(df["u2"]) == [65535, 0], df
                    assert list(df["u8"]) == [2**64 - 1, 1], df["u8"]
                    assert df["f2"][0] == 1.0 and np.isnan(df["f2"][1]), df["f2"]
                    assert list(df["b"]) == [True, False] and list(df["s"]) == ["é", "ab"] and list(df["raw"]) == [b"x", b"yz"], df
                    assert df["day"][0] == pd.Timestamp("1970-01-02") and pd.isna(df["day"][1]), df["day"]
                    assert list(df["dt"]) == [pd.Timedelta(microseconds=5), pd.Timedelta(microseconds=6)], df["dt"]
                    assert list(df["c"]) == [2.5, 2.5] and list(df["x"]) == [pd.Timestamp(0), pd.Timestamp(1, unit="s")], df
                print("ok")
                """);
    }
}
