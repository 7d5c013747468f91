package dev.tiledgateway.formats.table;

import dev.tiledgateway.core.array.ArrayPayload;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.sparse.CooDecoder;
import dev.tiledgateway.core.sparse.SparsePayload;
import dev.tiledgateway.core.structure.DataType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Arrow IPC file the Tiled client uploads for a sparse array ({@code write_sparse}, {@code write_block}): pyarrow's
 * file of a DataFrame with columns {@code dim0..}, {@code data} and its index; coordinates may be any integer type.
 */
public final class ArrowCooDecoder implements CooDecoder {

    @Override
    public String mediaType() { return "application/vnd.apache.arrow.file"; }

    @Override
    public SparsePayload decode(byte[] body, int ndim) {
        try (TablePayload table = ParquetTableWriter.read(body)) {
            long[][] coords = new long[ndim][];
            for (int d = 0; d < ndim; d++) {
                String name = "dim" + d;
                if (table.schema().getFields().stream().noneMatch(f -> f.getName().equals(name)))
                    throw TiledException.unprocessable("The Arrow file has no column '" + name + "': a sparse array of " + ndim
                            + " dimensions is written as columns dim0..dim" + (ndim - 1) + " and data");
                ArrayPayload c = ColumnArrays.toArray(table, name);
                if (!(c.dataType() instanceof DataType.Builtin b) || (b.kind() != 'i' && b.kind() != 'u'))
                    throw TiledException.unprocessable("Column '" + name + "' must hold integer coordinates (without nulls), not " + c.dataType());
                coords[d] = longs(c, b, name);
            }
            if (table.schema().getFields().stream().noneMatch(f -> f.getName().equals("data")))
                throw TiledException.unprocessable("The Arrow file has no column 'data' (the values of the sparse array)");
            ArrayPayload data = ColumnArrays.toArray(table, "data");
            return new SparsePayload(coords, data, null);
        }
    }

    private static long[] longs(ArrayPayload c, DataType.Builtin b, String name) {
        int n = Math.toIntExact(c.count()), size = b.itemsize();
        ByteBuffer buf = ByteBuffer.wrap(c.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long v = switch (size) {
                case 1 -> b.kind() == 'i' ? buf.get(i) : buf.get(i) & 0xff;
                case 2 -> b.kind() == 'i' ? buf.getShort(i * 2) : buf.getShort(i * 2) & 0xffff;
                case 4 -> b.kind() == 'i' ? buf.getInt(i * 4) : buf.getInt(i * 4) & 0xffffffffL;
                default -> buf.getLong(i * 8);
            };
            if (v < 0) throw TiledException.unprocessable("Column '" + name + "' holds " + (b.kind() == 'u' ? Long.toUnsignedString(v) : v)
                    + ", which is no coordinate");
            out[i] = v;
        }
        return out;
    }
}
