package dev.tiledgateway.core.route;

import dev.tiledgateway.core.array.ArrayPayload;
import dev.tiledgateway.core.array.ArraySlicer;
import dev.tiledgateway.core.array.ChunkedArray;
import dev.tiledgateway.core.array.NDSlice;
import dev.tiledgateway.core.array.PayloadArray;
import dev.tiledgateway.core.array.Selection;
import dev.tiledgateway.core.array.StreamedArray;
import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.format.ArrayReaders;
import dev.tiledgateway.core.http.QueryParams;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.serialize.Serializer;
import dev.tiledgateway.core.serialize.SerializerRegistry;
import dev.tiledgateway.core.sparse.SparseReader;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.structure.ArrayStructure;
import dev.tiledgateway.core.structure.StructureJson;

import java.io.IOException;
import java.util.Arrays;
import java.util.regex.Pattern;

/** {@code GET /array/full/{path}} and {@code GET /array/block/{path}}: slices and chunks of array nodes. */
public final class ArrayRoutes implements RouteGroup {

    private static final Pattern EXPECTED_SHAPE = Pattern.compile("^[0-9]+(,[0-9]+)*$|^scalar$");
    private static final String RAW = "application/octet-stream";
    private static final Pattern BLOCK = Pattern.compile("^[0-9]*(,[0-9]+)*$");

    private final Nodes nodes;
    private final BlobStore store;
    private final ArrayReaders readers;
    private final SerializerRegistry serializers;
    private final ArraySlicer slicer;
    private final DataResponses responses;
    private final GatewayConfig config;
    private final SparseReader sparse;

    public ArrayRoutes(Nodes nodes, BlobStore store, ArrayReaders readers, SerializerRegistry serializers,
                       ArraySlicer slicer, DataResponses responses, GatewayConfig config) {
        this.nodes = nodes;
        this.store = store;
        this.readers = readers;
        this.serializers = serializers;
        this.slicer = slicer;
        this.responses = responses;
        this.config = config;
        this.sparse = new SparseReader(store, readers, slicer);
    }

    @Override
    public void register(Registrar r) {
        r.add("GET", "array/full", Scopes.DATA, this::full);
        r.add("GET", "array/block", Scopes.DATA, this::block);
    }

    private Node arrayNode(Call call) {
        Node node = nodes.lookup(call.path());
        if (node.family() != StructureFamily.ARRAY && node.family() != StructureFamily.SPARSE)
            throw TiledException.notFound("No such array: " + call.path() + " is a " + node.family().wire());
        return node;
    }

    private Serializer serializer(Call call, Node node) {
        QueryParams q = call.request().query();
        return serializers.negotiate(node, q.first("format"), call.request().headers().get("accept"));
    }

    private Response full(Call call) throws IOException {
        QueryParams q = call.request().query();
        NDSlice slice = NDSlice.parse(q.first("slice").orElse(""));
        long[] expected = parseExpectedShape(q);
        Node node = arrayNode(call);
        ArrayStructure s = StructureJson.array(node.structure());
        Selection sel = slice.resolve(s.shape());
        Serializer ser = serializer(call, node);
        return respond(call, node, ser, s, sel, expected);
    }

    private Response block(Call call) throws IOException {
        QueryParams q = call.request().query();
        String blockParam = q.first("block").orElseThrow(() -> TiledException.unprocessable("Query parameter 'block' is required"));
        if (!BLOCK.matcher(blockParam).matches()) throw TiledException.unprocessable("Malformed block '" + blockParam + "': expected comma-separated indices like 0,1");
        NDSlice slice = NDSlice.parse(q.first("slice").orElse(""));
        long[] expected = parseExpectedShape(q);
        Node node = arrayNode(call);
        ArrayStructure s = StructureJson.array(node.structure());
        long[] block = blockParam.isEmpty() ? new long[0] : Arrays.stream(blockParam.split(",")).mapToLong(ArrayRoutes::parseIndex).toArray();
        if (block.length != s.ndim())
            throw TiledException.unprocessable("Block " + blockParam + " has " + block.length + " indices but the array has " + s.ndim() + " dimensions");
        long[] origin = new long[s.ndim()];
        long[] extent = new long[s.ndim()];
        for (int d = 0; d < s.ndim(); d++) {
            long[] c = s.chunks()[d];
            if (block[d] >= c.length) throw blockOutOfRange(blockParam, d, c.length);
            for (int i = 0; i < block[d]; i++) origin[d] += c[i];
            extent[d] = c[(int) block[d]];
        }
        // a slice inside the block is judged as on /array/full: malformed 422 (when parsed), out of the block 400
        Selection sel = slice.resolve(extent).offsetBy(origin);
        Serializer ser = serializer(call, node);
        return respond(call, node, ser, s, sel, expected);
    }

    /** A block index; one too large for a long is beyond every array's blocks (Long.MAX_VALUE then fails the range check). */
    private static long parseIndex(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** 400, as Tiled answers a block index past the array's blocks. */
    static TiledException blockOutOfRange(String block, int dimension, int blocks) {
        return TiledException.badRequest("Block index out of range: block " + block + " asks for block "
                + block.split(",")[dimension] + " along dimension " + dimension + ", which has "
                + (blocks == 0 ? "none" : blocks == 1 ? "1 block (index 0)" : blocks + " blocks (indices 0 to " + (blocks - 1) + ")"));
    }

    private Response respond(Call call, Node node, Serializer ser, ArrayStructure s, Selection sel, long[] expected)
            throws IOException {
        long[] shape = sel.resultShape();
        if (expected != null && !Arrays.equals(expected, shape)) {
            String msg = "The expected shape " + Arrays.toString(expected) + " does not match the actual shape " + Arrays.toString(shape);
            throw TiledException.unprocessable(msg);
        }
        long bytes = Math.multiplyExact(sel.count(), (long) s.dataType().itemsize());
        if (bytes > config.responseByteLimit())
            throw TiledException.badRequest("Response would exceed " + config.responseByteLimit() + ". Use slicing ('?slice=...') to request smaller chunks.");
        StringBuilder canon = new StringBuilder();
        for (Selection.Dim d : sel.dims()) canon.append(d.start()).append(':').append(d.step()).append(':').append(d.count()).append(d.dropped() ? 'i' : 's').append(',');
        if (node.family() == StructureFamily.SPARSE)
            return responses.respond(call, node, ser, canon.toString(), -1, () -> sparse.read(node, sel));
        long estimate = ser.estimateArrayBytes(s.dataType(), shape);
        boolean column = Nodes.TABLE_COLUMN.equals(node.dataSource().mimetype());
        // A large raw read goes to the result store as its chunks are read, never whole in memory.
        boolean streamed = !column && estimate > config.maxInlineBytes() && RAW.equals(ser.mediaType());
        return responses.respond(call, node, ser, canon.toString(), estimate, () -> {
            if (streamed) {
                ChunkedArray a = readers.open(store, node);
                return new StreamedArray(s.dataType(), shape, out -> slicer.stream(a, sel, out));
            }
            ChunkedArray a = column ? new PayloadArray(nodes.readColumn(node)) : readers.open(store, node);
            return new ArrayPayload(s.dataType(), shape, slicer.read(a, sel));
        });
    }

    private static long[] parseExpectedShape(QueryParams q) {
        var v = q.first("expected_shape");
        if (v.isEmpty() || v.get().isEmpty()) return null;
        if (!EXPECTED_SHAPE.matcher(v.get()).matches())
            throw TiledException.unprocessable("Malformed expected_shape '" + v.get() + "': expected comma-separated integers or 'scalar'");
        if (v.get().equals("scalar")) return new long[0];
        try {
            return Arrays.stream(v.get().split(",")).mapToLong(Long::parseLong).toArray();
        } catch (NumberFormatException e) {
            throw TiledException.unprocessable("expected_shape out of range: " + v.get());
        }
    }
}
