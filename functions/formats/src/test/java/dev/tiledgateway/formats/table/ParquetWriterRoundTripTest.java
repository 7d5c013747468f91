package dev.tiledgateway.formats.table;

import dev.tiledgateway.testkit.interop.Interop;
import dev.tiledgateway.testkit.interop.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the Parquet writer writes, judged by pyarrow (not by our reader, which would hand back the Arrow schema we
 * stored): pyarrow reads each file to the schema and values it reads from the source fixture (pandas index included),
 * and each column's Parquet types are the ones pyarrow's own writer gives the same table, so a reader that ignores the
 * stored Arrow schema sees the same columns.
 */
@Interop
class ParquetWriterRoundTripTest {

    static final List<String> FIXTURES = List.of("types.parquet", "more_types.parquet", "no_arrow_schema.parquet", "int96.parquet",
            "pandas_index.parquet", "pandas_unnamed_index.parquet", "pandas_range.parquet", "row_groups.parquet", "export.parquet");

    @Test
    void pyarrowReadsEveryFixtureRewrittenAsItReadsTheSource(@TempDir Path dir) throws Exception {
        Python python = Python.standard().require("pyarrow", "pandas");
        for (String f : FIXTURES) {
            try (TablePayload p = TableFixtures.open(TableFixtures.file(f)).readAll(List.of())) {
                Files.write(dir.resolve(f), ParquetFileWriter.write(p));
            }
        }
        python.check(dir, COMMON + """
                src, out = sys.argv[1], sys.argv[2]
                for name in sys.argv[3].split(","):
                    want = pq.read_table(os.path.join(src, name))
                    want = want.select([n for n in want.column_names if not n.startswith("_") or n.startswith("__index_level_")])
                    got = pq.read_table(os.path.join(out, name))
                    assert got.schema.equals(want.schema, check_metadata=False), (name, got.schema, want.schema)
                    assert (got.schema.pandas_metadata or {}).get("index_columns") == (want.schema.pandas_metadata or {}).get("index_columns"), name
                    same_values(name, got, want)
                    pd.testing.assert_frame_equal(got.to_pandas(), want.to_pandas())
                    same_parquet_types(name, os.path.join(out, name), want)
                print("ok")
                """, TableFixtures.ROOT.toString(), dir.toString(), String.join(",", FIXTURES));
    }

    /** Tables the CSV reader makes: no rows, all-null columns, names with dots and spaces; expected as literals. */
    @Test
    void pyarrowReadsEmptyAllNullAndOddlyNamedColumns(@TempDir Path dir) throws Exception {
        Python python = Python.standard().require("pyarrow", "pandas");
        String[] csvs = {"a,b,c\n", "a,b\n,x\n,\n", "a.b,c d,e\n1,x,2.5\n-7,é ü,-0.5\n"};
        for (int k = 0; k < csvs.length; k++) {
            try (TablePayload p = CsvTableTest.csv(dir, csvs[k]).readAll(List.of())) {
                Files.write(dir.resolve(k + ".parquet"), ParquetFileWriter.write(p));
            }
        }
        python.check(dir, COMMON + """
                # The CSV reader's types: a column with no values is float64; text is string.
                expected = [
                    pa.table({"a": pa.array([], pa.float64()), "b": pa.array([], pa.float64()), "c": pa.array([], pa.float64())}),
                    pa.table({"a": pa.array([None, None], pa.float64()), "b": pa.array(["x", None], pa.string())}),
                    pa.table({"a.b": pa.array([1, -7], pa.int64()), "c d": pa.array(["x", "é ü"], pa.string()),
                              "e": pa.array([2.5, -0.5], pa.float64())}),
                ]
                for k, want in enumerate(expected):
                    got = pq.read_table(f"{k}.parquet")
                    assert got.schema.equals(want.schema, check_metadata=False), (k, got.schema, want.schema)
                    assert got.num_rows == want.num_rows, (k, got.num_rows)
                    same_values(k, got, want)
                    assert [got.column(c).null_count for c in got.column_names] == [want.column(c).null_count for c in want.column_names], k
                    same_parquet_types(k, f"{k}.parquet", want)
                    assert pq.ParquetFile(f"{k}.parquet").metadata.num_rows == want.num_rows, k
                print("ok")
                """);
    }

    /** Helpers shared by the checks: value equality (NaN equals NaN), and Parquet column types against pyarrow's writer. */
    private static final String COMMON = """
            import io, math, os, sys
            import pandas as pd, pyarrow as pa, pyarrow.parquet as pq

            def same_values(name, got, want):
                def eq(x, y):
                    return x == y or (isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y))
                for c in want.column_names:
                    xs, ys = got.column(c).to_pylist(), want.column(c).to_pylist()
                    assert len(xs) == len(ys) and all(eq(x, y) for x, y in zip(xs, ys)), (name, c, xs, ys)

            def parquet_types(schema):
                # A plain INT32/INT64 and one annotated as a signed integer of that width mean the same.
                out = {}
                for i in range(len(schema)):
                    col = schema.column(i)
                    logical = str(col.logical_type)
                    if col.physical_type in ("INT32", "INT64") and logical == "None":
                        logical = f"Int(bitWidth={col.physical_type[3:]}, isSigned=true)"
                    out[col.name] = (col.physical_type, logical)
                return out

            def same_parquet_types(name, path, want):
                theirs = io.BytesIO()
                pq.write_table(want, theirs)
                theirs.seek(0)
                ours, expected = parquet_types(pq.ParquetFile(path).schema), parquet_types(pq.ParquetFile(theirs).schema)
                assert ours == expected, (name, {c: (ours.get(c), expected.get(c)) for c in expected if ours.get(c) != expected.get(c)})

            """;
}
