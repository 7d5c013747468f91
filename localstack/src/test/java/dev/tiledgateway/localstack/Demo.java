package dev.tiledgateway.localstack;

import java.nio.file.Path;

/**
 * The demo uploaded into the stack's bucket, by the init hook and by the suite alike: fixtures written by
 * zarr-python and pyarrow (see {@code functions/formats/src/test/resources/zarr/PROVENANCE.md}), each with the
 * values those tools read back, so what comes out of the API is compared with what they say is in it.
 */
final class Demo {

    static final Path FORMATS = Path.of("..", "functions", "formats", "src", "test", "resources");
    /** A 7×5 float64 Zarr v2 array, zlib chunks and a missing chunk (fill value NaN); {@code expected.bin} beside it. */
    static final Path ARRAY = FORMATS.resolve("zarr/v2/dtype_le_f8");
    /** 200 rows of x int64, y float64, label string, maybe float32 (nulls), snappy; {@code codec.json} holds the values. */
    static final Path TABLE = FORMATS.resolve("table/codec_snappy.parquet");
    static final Path TABLE_EXPECTED = FORMATS.resolve("table/codec.json");

    static final String ARRAY_KEY = "demo/image.zarr";
    static final String TABLE_KEY = "demo/table.parquet";
    static final String ARRAY_NODE = "demo/image";
    static final String TABLE_NODE = "demo/table";

    private Demo() {}

    /** The fixture's expectation, not part of the array. */
    static boolean isExpectation(Path f) {
        return f.getFileName().toString().equals("expected.bin");
    }
}
