package dev.tiledgateway.formats.sparse;

import dev.tiledgateway.core.array.ArrayPayload;
import dev.tiledgateway.core.container.DatasetPayload;
import dev.tiledgateway.core.sparse.SparsePayload;
import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.formats.dataset.WideTables;
import dev.tiledgateway.formats.table.TablePayload;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A COO selection as the table Tiled sends for it (spec §3.6, §6.2): int64 columns {@code dim0..dim{n-1}} and
 * {@code data} in the data's dtype, no index column, pandas metadata as {@code from_pandas(preserve_index=False)}
 * writes it. It is the wide table of a dataset with those variables and no index.
 */
public final class SparseTables {

    private static final DataType.Builtin INT64 = new DataType.Builtin(DataType.Endianness.LITTLE, 'i', 8, null);

    private SparseTables() {}

    /** The selection as a table; the caller owns (and closes) the result. */
    public static TablePayload toTable(SparsePayload p) {
        long nnz = p.data().count();
        List<DatasetPayload.Variable> columns = new ArrayList<>();
        for (int d = 0; d < p.coords().length; d++) {
            long[] c = p.coords()[d];
            if (c.length != nnz)
                throw new IllegalArgumentException("dimension " + d + " has " + c.length + " coordinates for " + nnz + " values");
            ByteBuffer b = ByteBuffer.allocate(c.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (long x : c) b.putLong(x);
            columns.add(new DatasetPayload.Variable("dim" + d, new ArrayPayload(INT64, new long[] {c.length}, b.array())));
        }
        ArrayPayload data = p.data();
        columns.add(new DatasetPayload.Variable("data", new ArrayPayload(data.dataType(), new long[] {nnz}, data.bytes())));
        return WideTables.fromDataset(new DatasetPayload(columns, List.of()));
    }
}
