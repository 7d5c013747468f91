package dev.tiledgateway.core.sparse;

import dev.tiledgateway.core.array.ArrayPayload;
import dev.tiledgateway.core.array.ArraySlicer;
import dev.tiledgateway.core.array.ChunkedArray;
import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.array.Selection;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.format.ArrayReaders;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.structure.DataType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Reads the stored COO arrays of a sparse node and keeps the elements inside a selection. */
public final class SparseReader {

    private final BlobStore store;
    private final ArrayReaders readers;
    private final ArraySlicer slicer;

    public SparseReader(BlobStore store, ArrayReaders readers, ArraySlicer slicer) {
        this.store = store;
        this.readers = readers;
        this.slicer = slicer;
    }

    private ChunkedArray part(Node node, String parameter) throws IOException {
        var asset = node.dataSource().asset(parameter);
        DataSource ds = new DataSource(SparseLayout.ARRAY_MIMETYPE, List.of(new Asset(asset.key(), asset.directory(), "data_uri")));
        return readers.open(store, ds, node.dataKey() + "/" + parameter);
    }

    /** The stored elements that {@code sel} selects, with coordinates relative to the selection. */
    public SparsePayload read(Node node, Selection sel) throws IOException {
        ChunkedArray coordsArray = part(node, "coords");
        ChunkedArray dataArray = part(node, "data");
        long[] cshape = coordsArray.structure().shape();
        int ndim = sel.dims().length;
        if (cshape.length != 2 || cshape[0] != ndim) throw new CorruptDataException("sparse coords of " + node.path() + " have shape " + java.util.Arrays.toString(cshape));
        long nnz = cshape[1];
        if (dataArray.structure().shape().length != 1 || dataArray.structure().shape()[0] != nnz)
            throw new CorruptDataException("sparse data of " + node.path() + " does not match its coords");
        ByteBuffer coords = ByteBuffer.wrap(slicer.read(coordsArray, Selection.all(cshape))).order(order(coordsArray));
        DataType dt = dataArray.structure().dataType();
        byte[] data = slicer.read(dataArray, Selection.all(new long[] {nnz}));
        int kept = 0;
        int outDims = 0;
        for (Selection.Dim d : sel.dims()) if (!d.dropped()) outDims++;
        long[][] out = new long[outDims][(int) nnz];
        byte[] outData = new byte[(int) (nnz * dt.itemsize())];
        for (int k = 0; k < nnz; k++) {
            boolean inside = true;
            int od = 0;
            long[] rel = new long[outDims];
            for (int d = 0; d < ndim && inside; d++) {
                long c = coords.getLong((int) ((d * nnz + k) * 8));
                Selection.Dim dim = sel.dims()[d];
                long diff = c - dim.start();
                if (dim.count() == 0 || diff % dim.step() != 0) inside = false;
                else {
                    long pos = diff / dim.step();
                    if (pos < 0 || pos >= dim.count()) inside = false;
                    else if (!dim.dropped()) rel[od++] = pos;
                }
            }
            if (!inside) continue;
            for (int d = 0; d < outDims; d++) out[d][kept] = rel[d];
            System.arraycopy(data, k * dt.itemsize(), outData, kept * dt.itemsize(), dt.itemsize());
            kept++;
        }
        for (int d = 0; d < outDims; d++) out[d] = java.util.Arrays.copyOf(out[d], kept);
        return new SparsePayload(out, new ArrayPayload(dt, new long[] {kept}, java.util.Arrays.copyOf(outData, kept * dt.itemsize())), sel.resultShape());
    }

    private static ByteOrder order(ChunkedArray a) {
        return a.structure().dataType() instanceof DataType.Builtin b && b.endianness() == DataType.Endianness.BIG
                ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }
}
