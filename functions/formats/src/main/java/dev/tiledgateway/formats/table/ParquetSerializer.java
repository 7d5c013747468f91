package dev.tiledgateway.formats.table;

import java.util.List;

/** {@code application/x-parquet}: a Parquet file that pyarrow reads back to the same types, index included. */
final class ParquetSerializer extends TableSerializer {

    ParquetSerializer() { super("application/x-parquet", List.of("parquet")); }

    @Override
    byte[] write(TablePayload p) { return ParquetFileWriter.write(p); }
}
