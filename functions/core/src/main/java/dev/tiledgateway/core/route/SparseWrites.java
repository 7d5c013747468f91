package dev.tiledgateway.core.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.array.ArrayPayload;
import dev.tiledgateway.core.array.Selection;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.sparse.CooDecoder;
import dev.tiledgateway.core.sparse.SparseLayout;
import dev.tiledgateway.core.sparse.SparsePayload;
import dev.tiledgateway.core.sparse.SparseReader;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.structure.ArrayStructure;
import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.core.structure.StructureJson;
import dev.tiledgateway.core.write.ArrayWriter;
import dev.tiledgateway.core.write.DataWriters;
import dev.tiledgateway.core.write.ManagedArea;
import dev.tiledgateway.core.write.WriteLimits;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Sparse (COO) arrays written through the API (spec §3.6): created with an empty COO, then {@code PUT /array/full}
 * (every element) or {@code PUT /array/block} (the elements of one block, in block-local coordinates) as the COO
 * table the client uploads. Stored in the layout {@link SparseReader} reads ({@value SparseLayout#MIMETYPE}: a
 * {@code coords} and a {@code data} Zarr array), each write as a new version of both, switched to in one
 * compare-and-set of the node; a block write merges into the version the node names when it commits.
 */
final class SparseWrites {

    /** The most stored elements of a written sparse array (a block write rewrites them all). */
    static final long MAX_NNZ = 1_000_000;
    /** The creation mimetypes that mean "store it as the gateway stores COO" (Tiled's default names Parquet). */
    static final Set<String> CREATION_MIMETYPES = Set.of("application/x-parquet;structure=sparse", SparseLayout.MIMETYPE);

    private static final DataType INT64 = new DataType.Builtin(DataType.Endianness.LITTLE, 'i', 8, null);

    private final WrittenNodes written;
    private final BlobStore store;
    private final DataWriters writers;
    private final SparseReader reader;

    SparseWrites(WrittenNodes written, BlobStore store, DataWriters writers, SparseReader reader) {
        this.written = written;
        this.store = store;
        this.writers = writers;
        this.reader = reader;
    }

    /** The structure to store for one sent to create a sparse array; 422 naming what is wrong. */
    static ObjectNode forCreation(JsonNode s) {
        if (s == null || !s.isObject()) throw TiledException.unprocessable("The sparse array's data source needs a structure object");
        JsonNode shape = s.get("shape"), chunks = s.get("chunks"), dt = s.get("data_type");
        if (shape == null || !shape.isArray()) throw TiledException.unprocessable("The sparse structure needs a shape: a list of integers");
        if (chunks == null || !chunks.isArray() || chunks.size() != shape.size())
            throw TiledException.unprocessable("The sparse structure needs chunks: one list of chunk lengths per dimension of its shape");
        if (shape.size() > WriteLimits.MAX_NDIM) throw TiledException.unprocessable("Arrays of at most " + WriteLimits.MAX_NDIM + " dimensions can be written");
        if (dt == null || !dt.isObject() || dt.has("fields"))
            throw TiledException.unprocessable("The sparse structure needs a data_type of a builtin (not structured) dtype");
        DataType type;
        try {
            type = StructureJson.dataType(dt);
        } catch (RuntimeException e) {
            throw TiledException.unprocessable("The data_type " + dt + " is not one the gateway can store");
        }
        if (type instanceof DataType.Builtin b && b.itemsize() > 1 && b.endianness() == DataType.Endianness.BIG)
            throw TiledException.unprocessable("Sparse values are stored little-endian, as Arrow sends them; declare a little-endian data_type");
        long blocks = 1;
        for (int d = 0; d < shape.size(); d++) {
            JsonNode n = shape.get(d);
            if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0)
                throw TiledException.unprocessable("The shape must be non-negative integers, not " + shape);
            long sum = 0;
            for (JsonNode c : chunks.get(d)) {
                if (!c.isIntegralNumber() || !c.canConvertToLong() || c.asLong() < 0) throw TiledException.unprocessable("Chunk lengths must be non-negative integers");
                sum += c.asLong();
            }
            if (sum != n.asLong())
                throw TiledException.unprocessable("The chunks along dimension " + d + " add up to " + sum + ", not to the shape's " + n.asLong());
            blocks = Math.multiplyExact(blocks, Math.max(1, chunks.get(d).size()));
            if (blocks > WriteLimits.MAX_CHUNKS) throw TiledException.unprocessable("The sparse array would have more than " + WriteLimits.MAX_CHUNKS + " blocks");
        }
        JsonNode dims = s.get("dims");
        if (dims != null && !dims.isNull() && (!dims.isArray() || dims.size() != shape.size()))
            throw TiledException.unprocessable("dims must name each of the " + shape.size() + " dimensions, or be null");
        ObjectNode out = Json.object();
        out.set("chunks", chunks.deepCopy());
        out.set("shape", shape.deepCopy());
        out.set("data_type", StructureJson.dataType(type));
        out.set("coord_data_type", StructureJson.dataType(INT64));
        out.set("dims", dims == null ? Json.nullNode() : dims.deepCopy());
        out.put("resizable", false);
        out.put("layout", "COO");
        return out;
    }

    /** The data source of a new sparse node: an empty COO, stored under a first version of {@code area}. */
    static DataSource create(BlobStore store, DataWriters writers, String area, JsonNode structure) throws IOException {
        String version = ManagedArea.newVersion(area);
        int ndim = structure.get("shape").size();
        store(store, writers, version, new SparsePayload(new long[ndim][0], new ArrayPayload(StructureJson.dataType(structure.get("data_type")), new long[] {0}, new byte[0]), null));
        return new DataSource(SparseLayout.MIMETYPE, assets(version), ManagedArea.freshFingerprint(), DataSource.WRITABLE);
    }

    private static List<Asset> assets(String version) {
        return List.of(new Asset(version + "coords/", true, "coords"), new Asset(version + "data/", true, "data"));
    }

    /** {@code PUT /array/full} or (with {@code block}) {@code PUT /array/block} of a sparse node. */
    Response write(Call call, long[] block, String blockParam) throws IOException {
        byte[] body = call.request().body();
        Node node = written.writable(call, StructureFamily.SPARSE);
        JsonNode structure = node.structure();
        long[] shape = longs(structure.get("shape"));
        int ndim = shape.length;
        long[] origin = new long[ndim], extent = shape.clone();
        if (block != null) {
            if (block.length != ndim)
                throw TiledException.unprocessable("Block " + blockParam + " has " + block.length + " indices but the array has " + ndim + " dimensions");
            for (int d = 0; d < ndim; d++) {
                long[] c = longs(structure.get("chunks").get(d));
                if (block[d] >= c.length) throw ArrayRoutes.blockOutOfRange(blockParam, d, c.length);
                for (int i = 0; i < block[d]; i++) origin[d] += c[i];
                extent[d] = c[(int) block[d]];
            }
        }
        String type = call.request().headers().get("content-type").orElse(null);
        String mediaType = type == null ? "application/vnd.apache.arrow.file" : type.split(";")[0].strip();
        CooDecoder decoder = writers.coo(mediaType).orElseThrow(() -> TiledException.unsupportedMediaType(
                "A sparse array is written as a COO table in " + writers.cooMediaTypes() + ", not '" + mediaType + "'"));
        SparsePayload sent = decoder.decode(body, ndim);
        DataType declared = StructureJson.dataType(structure.get("data_type"));
        if (!sameType(sent.data().dataType(), declared))
            throw TiledException.unprocessable("The data column is " + sent.data().dataType() + "; the sparse array was created with " + declared);
        if (sent.nnz() > MAX_NNZ) throw tooMany(sent.nnz());
        for (int d = 0; d < ndim; d++) {
            for (long c : sent.coords()[d]) {
                if (c >= extent[d])
                    throw TiledException.unprocessable("Coordinate " + c + " along dimension " + d + " lies outside the " + (block == null ? "array's shape "
                            + Arrays.toString(shape) : "block " + blockParam + " of shape " + Arrays.toString(extent) + " (block coordinates are relative to the block)"));
            }
        }
        String area = ManagedArea.nodeArea(node.dataSource().assets().getFirst().key());
        String[] version = {null}, basedOn = {null}, replaced = {null};
        try {
            written.commit(node, current -> {
                String now = versionOf(current);
                if (!current.structure().equals(node.structure()))
                    throw TiledException.conflict("The sparse array " + call.path() + " changed while it was written; write it again");
                if (version[0] == null || (block != null && !now.equals(basedOn[0]))) {
                    if (version[0] != null) removeUnder(version[0]);
                    SparsePayload next = block == null ? sent : merged(current, shape, origin, extent, sent);
                    version[0] = ManagedArea.newVersion(area);
                    store(store, writers, version[0], next);
                    basedOn[0] = now;
                }
                replaced[0] = now;
                DataSource ds = current.dataSource();
                return new Node(current.path(), current.family(), current.metadata(), current.specs(), current.structure(),
                        new DataSource(ds.mimetype(), assets(version[0]), ds.fingerprint(), ds.management()), current.sorting(), current.revision());
            });
        } catch (RuntimeException | IOException e) {
            if (version[0] != null) removeUnder(version[0]);
            throw e;
        }
        // The version just replaced stays for readers that opened it; older ones go.
        ManagedArea.retire(store, area, version[0], replaced[0]);
        return MetadataEncoding.respond(call, 200, Json.nullNode());
    }

    /** The stored elements outside the block, then the block's, moved to the array's coordinates. */
    private SparsePayload merged(Node current, long[] shape, long[] origin, long[] extent, SparsePayload sent) throws IOException {
        SparsePayload base = reader.read(current, Selection.all(shape));
        int ndim = shape.length, item = sent.data().dataType().itemsize();
        if ((long) base.nnz() + sent.nnz() > MAX_NNZ) throw tooMany((long) base.nnz() + sent.nnz());
        int kept = 0;
        boolean[] keep = new boolean[base.nnz()];
        for (int k = 0; k < base.nnz(); k++) {
            boolean inside = true;
            for (int d = 0; d < ndim && inside; d++) inside = base.coords()[d][k] >= origin[d] && base.coords()[d][k] < origin[d] + extent[d];
            keep[k] = !inside;
            if (!inside) kept++;
        }
        int nnz = kept + sent.nnz();
        long[][] coords = new long[ndim][nnz];
        byte[] data = new byte[nnz * item];
        int at = 0;
        for (int k = 0; k < base.nnz(); k++) {
            if (!keep[k]) continue;
            for (int d = 0; d < ndim; d++) coords[d][at] = base.coords()[d][k];
            System.arraycopy(base.data().bytes(), k * item, data, at * item, item);
            at++;
        }
        for (int k = 0; k < sent.nnz(); k++, at++) {
            for (int d = 0; d < ndim; d++) coords[d][at] = sent.coords()[d][k] + origin[d];
            System.arraycopy(sent.data().bytes(), k * item, data, at * item, item);
        }
        return new SparsePayload(coords, new ArrayPayload(sent.data().dataType(), new long[] {nnz}, data), null);
    }

    /** Writes {@code coo} as the two Zarr arrays of the layout, one chunk each, under {@code version}. */
    private static void store(BlobStore store, DataWriters writers, String version, SparsePayload coo) throws IOException {
        ArrayWriter zarr = writers.array(SparseLayout.ARRAY_MIMETYPE).orElseThrow(() -> TiledException.notAllowed("No Zarr writer is registered"));
        int ndim = coo.coords().length, nnz = coo.nnz();
        ArrayStructure coords = ArrayStructure.regular(INT64, new long[] {ndim, nnz}, new int[] {Math.max(1, ndim), Math.max(1, nnz)}, null);
        ArrayStructure data = ArrayStructure.regular(coo.data().dataType(), new long[] {nnz}, new int[] {Math.max(1, nnz)}, null);
        zarr.writeMetadata(store, version + "coords/", coords);
        zarr.writeMetadata(store, version + "data/", data);
        if (nnz == 0 || ndim == 0) return;
        ByteBuffer b = ByteBuffer.allocate(ndim * nnz * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long[] c : coo.coords()) for (long x : c) b.putLong(x);
        zarr.writeChunk(store, version + "coords/", coords, new long[] {0, 0}, b.array());
        zarr.writeChunk(store, version + "data/", data, new long[] {0}, coo.data().bytes());
    }

    /** The version folder a sparse node's assets lie in. */
    private static String versionOf(Node n) {
        String coords = n.dataSource().asset("coords").key();
        return coords.substring(0, coords.length() - "coords/".length());
    }

    private static boolean sameType(DataType sent, DataType declared) {
        if (sent.equals(declared)) return true;
        return sent instanceof DataType.Builtin a && declared instanceof DataType.Builtin b && a.kind() == b.kind() && a.itemsize() == b.itemsize()
                && java.util.Objects.equals(a.dtUnits(), b.dtUnits()) && (a.itemsize() == 1 || a.endianness() == b.endianness());
    }

    private static TiledException tooMany(long nnz) {
        return TiledException.unprocessable("The sparse array would hold " + nnz + " stored elements; at most " + MAX_NNZ + " can be written");
    }

    private static long[] longs(JsonNode a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asLong();
        return out;
    }

    private void removeUnder(String prefix) {
        try {
            for (String k : store.list(prefix)) store.delete(k);
        } catch (IOException e) {
            // an unreferenced version; the node's deletion removes its whole area
        }
    }
}
