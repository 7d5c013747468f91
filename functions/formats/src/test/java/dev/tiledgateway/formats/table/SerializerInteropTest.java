package dev.tiledgateway.formats.table;

import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.testkit.interop.Interop;
import dev.tiledgateway.testkit.interop.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the serializers write, read by pyarrow and pandas: Arrow files and Parquet files equal pyarrow's own reading of
 * the fixture (types, values, pandas index), JSON equals upstream Tiled's JSON rendering, xlsx reads back with
 * pandas.read_excel (openpyxl).
 */
@Interop
class SerializerInteropTest {

    static final Map<String, DataSource> TABLES = Map.of(
            "types", TableFixtures.file("types.parquet"),
            "more_types", TableFixtures.file("more_types.parquet"),
            "pandas_index", TableFixtures.file("pandas_index.parquet"),
            "pandas_unnamed_index", TableFixtures.file("pandas_unnamed_index.parquet"),
            "pandas_range", TableFixtures.file("pandas_range.parquet"),
            "row_groups", TableFixtures.file("row_groups.parquet"),
            "export", TableFixtures.file("export.parquet"),
            "parts", TableFixtures.folder("parts"));

    @Test
    void pyarrowAndPandasReadWhatWeWrite(@TempDir Path dir) throws Exception {
        Python python = Python.standard().require("pyarrow", "pandas", "openpyxl");
        for (var e : TABLES.entrySet()) {
            try (TablePayload p = TableFixtures.open(e.getValue()).readAll(List.of())) {
                for (var s : List.of("application/vnd.apache.arrow.file:arrow", "application/x-parquet:parquet",
                        "application/json:json", TableSerializersTest.XLSX + ":xlsx", "text/csv:csv")) {
                    String[] mt = s.split(":(?=[a-z]+$)");
                    Files.write(dir.resolve(e.getKey() + "." + mt[1]), TableSerializersTest.serializer(mt[0]).serialize(p));
                }
            }
        }
        python.check(dir, CHECK, TableFixtures.ROOT.toString(), dir.toString());
    }

    @Test
    void pyarrowReadsEmptyAndAllNullTables(@TempDir Path dir) throws Exception {
        Python python = Python.standard().require("pyarrow");
        String[] csvs = {"a,b,c\n", "a,b\n,x\n,\n"};
        for (int k = 0; k < csvs.length; k++) {
            try (TablePayload p = CsvTableTest.csv(dir, csvs[k]).readAll(List.of())) {
                Files.write(dir.resolve(k + ".parquet"), TableSerializersTest.serializer("application/x-parquet").serialize(p));
                Files.write(dir.resolve(k + ".arrow"), TableSerializersTest.serializer("application/vnd.apache.arrow.file").serialize(p));
            }
        }
        python.check(dir, """
                import sys, pyarrow as pa, pyarrow.parquet as pq
                for k, rows, names in [(0, 0, ["a", "b", "c"]), (1, 2, ["a", "b"])]:
                    for t in (pq.read_table(f"{k}.parquet"), pa.ipc.open_file(f"{k}.arrow").read_all()):
                        assert t.num_rows == rows and t.column_names == names, t
                        assert t.column("a").null_count == rows, t
                print("ok")
                """);
    }

    static final String CHECK = """
            import base64, datetime, decimal, glob, json, math, os, sys
            import numpy as np, pandas as pd, pyarrow as pa, pyarrow.parquet as pq
            fixtures, out = sys.argv[1], sys.argv[2]
            sources = {"parts": sorted(glob.glob(os.path.join(fixtures, "parts", "*.parquet")))}

            def expected(name):
                paths = sources.get(name) or [os.path.join(fixtures, name + ".parquet")]
                t = pa.concat_tables([pq.read_table(p) for p in paths])
                keep = [n for n in t.column_names if not n.startswith("_") or n.startswith("__index_level_")]
                return t.select(keep)

            def same(a, b):
                def eq(x, y):
                    return x == y or (isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y))
                for c in b.column_names:
                    xs, ys = a.column(c).to_pylist(), b.column(c).to_pylist()
                    assert len(xs) == len(ys) and all(eq(x, y) for x, y in zip(xs, ys)), (c, xs, ys)
                return a.column_names == b.column_names

            SKIP = object()

            def upstream_json(df):
                def native(v):
                    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
                        return None
                    if isinstance(v, float) and math.isinf(v):
                        return None  # orjson writes null for infinities
                    if isinstance(v, np.integer):
                        return int(v)
                    if isinstance(v, np.floating):
                        return None if not np.isfinite(v) else float(v)
                    if isinstance(v, datetime.timedelta):
                        return SKIP  # upstream's orjson cannot encode durations; ours are ISO 8601
                    if isinstance(v, pd.Timestamp):
                        return v.isoformat()
                    if isinstance(v, (datetime.date, datetime.time)):
                        return v.isoformat()
                    if isinstance(v, decimal.Decimal):
                        return float(v)
                    if isinstance(v, bytes):
                        return base64.b64encode(v).decode()
                    return v
                return {c: [native(v) for v in df[c].to_numpy(dtype=object, na_value=None)] for c in df}

            for name in ["types", "more_types", "pandas_index", "pandas_unnamed_index", "pandas_range", "row_groups", "export", "parts"]:
                want = expected(name)
                with pa.ipc.open_file(os.path.join(out, name + ".arrow")) as f:
                    got = f.read_all()
                    assert got.schema.equals(want.schema, check_metadata=False), (name, got.schema, want.schema)
                    assert same(got, want), name
                    pd.testing.assert_frame_equal(f.read_pandas(), want.to_pandas())
                pq_got = pq.read_table(os.path.join(out, name + ".parquet"))
                assert pq_got.schema.equals(want.schema, check_metadata=False), (name, pq_got.schema, want.schema)
                assert same(pq_got, want), name
                pd.testing.assert_frame_equal(pq_got.to_pandas(), want.to_pandas())
                got_json = json.load(open(os.path.join(out, name + ".json")))
                up = upstream_json(want.to_pandas())
                assert list(got_json) == list(up), (name, list(got_json), list(up))
                for c in up:
                    for a, b in zip(got_json[c], up[c]):
                        ok = b is SKIP or a == b or (isinstance(a, (int, float)) and isinstance(b, (int, float)) and math.isclose(a, b))
                        assert ok, (name, c, a, b)
                # CSV as pandas writes it, but for integer columns with nulls: pandas makes them float ("5.0"), we keep "5"
                import csv, io
                theirs = list(csv.reader(io.StringIO(want.to_pandas().to_csv(index=False))))
                ours = list(csv.reader(open(os.path.join(out, name + ".csv"), newline="")))
                data = [c for c in want.column_names if c not in (want.schema.pandas_metadata or {}).get("index_columns", [])]
                assert ours[0] == theirs[0] == data, (name, ours[0], theirs[0])
                assert len(ours) == len(theirs), name
                for row_o, row_t in zip(ours[1:], theirs[1:]):
                    for c, o, t in zip(data, row_o, row_t):
                        int_with_nulls = pa.types.is_integer(want.schema.field(c).type) and o != "" and float(o) == float(t)
                        assert o == t or int_with_nulls, (name, c, o, t)
            frame = pd.read_excel(os.path.join(out, "export.xlsx"))  # with openpyxl
            pd.testing.assert_frame_equal(frame, expected("export").to_pandas(), check_dtype=False)
            pd.read_excel(os.path.join(out, "types.xlsx"))
            assert open(os.path.join(out, "export.csv")).read() == expected("export").to_pandas().to_csv(index=False)
            print("ok")
            """;
}
