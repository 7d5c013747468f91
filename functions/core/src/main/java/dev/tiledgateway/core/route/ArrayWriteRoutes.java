package dev.tiledgateway.core.route;

import dev.tiledgateway.core.array.ArraySlicer;
import dev.tiledgateway.core.array.ChunkedArray;
import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.format.ArrayReaders;
import dev.tiledgateway.core.http.QueryParams;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.sparse.SparseReader;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.structure.ArrayStructure;
import dev.tiledgateway.core.structure.StructureJson;
import dev.tiledgateway.core.write.ArrayLayouts;
import dev.tiledgateway.core.write.ArrayWriter;
import dev.tiledgateway.core.write.DataWriters;
import dev.tiledgateway.core.write.ManagedArea;
import dev.tiledgateway.core.write.NdCopy;
import dev.tiledgateway.core.write.WriteLimits;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code PUT /array/full}, {@code PUT /array/block} and {@code PATCH /array/full} (spec §3.5): raw bytes in the
 * declared data type, C order, into arrays created through the API.
 *
 * <p>How each stays whole: a whole-array write stores every chunk under a new version of the array and switches the
 * node to it in one compare-and-set, so a crash leaves the old array or the new one; the version before is kept
 * (readers that opened it finish) and older ones are removed. A block is one chunk, one atomic object put, written
 * into the version the node names when its commit succeeds (written again if another write switched versions
 * meanwhile). A patch is a new version too: the chunks it touches are read, modified and stored anew, every other
 * stored chunk is copied by the store without passing through the gateway (a hard link, a server-side copy), and the
 * node switches to it, grown if the patch extends it, in one compare-and-set; a crash before the switch leaves the old
 * array whole. A lost compare-and-set (a block, patch or whole write committed meanwhile) redoes the patch on the
 * newer state, so a patch and a block write of the same chunk both land, in one order or the other.
 */
public final class ArrayWriteRoutes implements RouteGroup {

    static final Set<String> WRITING = Set.of(Scopes.WRITE_DATA);
    private static final Pattern BLOCK = Pattern.compile("^[0-9]*(,[0-9]+)*$");
    private static final Pattern INTS = Pattern.compile("^[0-9]+(,[0-9]+)*$");

    private final Nodes nodes;
    private final WrittenNodes written;
    private final BlobStore store;
    private final ArrayReaders readers;
    private final DataWriters writers;
    private final SparseWrites sparse;

    public ArrayWriteRoutes(Nodes nodes, BlobStore store, ArrayReaders readers, ArraySlicer slicer, DataWriters writers) {
        this.nodes = nodes;
        this.written = new WrittenNodes(nodes);
        this.store = store;
        this.readers = readers;
        this.writers = writers;
        this.sparse = new SparseWrites(written, store, writers, new SparseReader(store, readers, slicer));
    }

    /** Whether the node at the call's path is sparse (its writes take COO tables, not raw bytes). */
    private boolean sparse(Call call) {
        return nodes.lookup(call.path()).family() == StructureFamily.SPARSE;
    }

    @Override
    public void register(Registrar r) {
        r.add("PUT", "array/full", WRITING, this::full);
        r.add("PUT", "array/block", WRITING, this::block);
        r.add("PATCH", "array/full", WRITING, this::patch);
    }

    private ArrayWriter writer(Node node) {
        return writers.array(node.dataSource().mimetype()).orElseThrow(() -> TiledException.notAllowed(
                "The gateway cannot write data of mimetype '" + node.dataSource().mimetype() + "'"));
    }

    private static void checkLength(byte[] body, long elements, ArrayStructure s, String what) {
        long expected = Math.multiplyExact(elements, (long) s.dataType().itemsize());
        if (body.length != expected)
            throw TiledException.unprocessable("The body has " + body.length + " bytes, but " + what + " of " + elements + " elements of "
                    + s.dataType().itemsize() + " bytes takes " + expected + " (raw bytes in the declared data type, C order)");
    }

    private Response full(Call call) throws IOException {
        byte[] body = call.request().body();
        WriteLimits.checkBody(body);
        WrittenNodes.checkPersist(call.request().query());
        if (sparse(call)) return sparse.write(call, null, null);
        Node node = written.writable(call, StructureFamily.ARRAY);
        ArrayStructure s = StructureJson.array(node.structure());
        checkLength(body, s.size(), s, "the whole array " + Arrays.toString(s.shape()));
        ArrayWriter writer = writer(node);
        String previous = node.dataSource().assets().getFirst().key();
        String area = ManagedArea.nodeArea(previous);
        String version = ManagedArea.newVersion(area);
        writer.writeMetadata(store, version, s);
        int[] chunk = ArrayLayouts.chunkShape(s);
        long[] chunkLong = Arrays.stream(chunk).asLongStream().toArray();
        int chunkBytes = Math.toIntExact(NdCopy.count(chunkLong) * s.dataType().itemsize());
        for (long[] index : grid(s)) {
            long[] origin = new long[s.ndim()], extent = new long[s.ndim()];
            for (int d = 0; d < s.ndim(); d++) {
                origin[d] = index[d] * chunk[d];
                extent[d] = Math.min(chunk[d], s.shape()[d] - origin[d]);
            }
            byte[] buf = new byte[chunkBytes];
            NdCopy.copy(body, s.shape(), origin, buf, chunkLong, new long[s.ndim()], extent, s.dataType().itemsize());
            writer.writeChunk(store, version, s, index, buf);
        }
        String[] replaced = {previous};
        try {
            written.commit(node, current -> {
                if (!current.structure().equals(node.structure()))
                    throw TiledException.conflict("The array " + call.path() + " changed shape while it was written; write it again");
                replaced[0] = current.dataSource().assets().getFirst().key();
                return WrittenNodes.withAsset(current, version);
            });
        } catch (RuntimeException | IOException e) {
            removeUnder(version);
            throw e;
        }
        // The version just replaced stays for readers that opened it; older ones go.
        ManagedArea.retire(store, area, version, replaced[0]);
        return MetadataEncoding.respond(call, 200, Json.nullNode());
    }

    private Response block(Call call) throws IOException {
        byte[] body = call.request().body();
        WriteLimits.checkBody(body);
        QueryParams q = call.request().query();
        WrittenNodes.checkPersist(q);
        String blockParam = q.first("block").orElseThrow(() -> TiledException.unprocessable("Query parameter 'block' is required"));
        if (!BLOCK.matcher(blockParam).matches()) throw TiledException.unprocessable("Malformed block '" + blockParam + "': expected comma-separated indices like 0,1");
        long[] block = blockParam.isEmpty() ? new long[0] : Arrays.stream(blockParam.split(",")).mapToLong(ArrayWriteRoutes::parseIndex).toArray();
        if (sparse(call)) return sparse.write(call, block, blockParam);
        Node node = written.writable(call, StructureFamily.ARRAY);
        ArrayStructure s = StructureJson.array(node.structure());
        if (block.length != s.ndim())
            throw TiledException.unprocessable("Block " + blockParam + " has " + block.length + " indices but the array has " + s.ndim() + " dimensions");
        long[] extent = new long[s.ndim()];
        for (int d = 0; d < s.ndim(); d++) {
            long[] c = s.chunks()[d];
            if (block[d] >= c.length) throw ArrayRoutes.blockOutOfRange(blockParam, d, c.length);
            extent[d] = c[(int) block[d]];
        }
        checkLength(body, NdCopy.count(extent), s, "block " + blockParam + " of shape " + Arrays.toString(extent));
        ArrayWriter writer = writer(node);
        int[] chunk = ArrayLayouts.chunkShape(s);
        long[] chunkLong = Arrays.stream(chunk).asLongStream().toArray();
        byte[] buf = new byte[Math.toIntExact(NdCopy.count(chunkLong) * s.dataType().itemsize())];
        NdCopy.copy(body, extent, new long[s.ndim()], buf, chunkLong, new long[s.ndim()], extent, s.dataType().itemsize());
        String[] writtenTo = {null};
        written.commit(node, current -> {
            if (!current.structure().equals(node.structure()))
                throw TiledException.conflict("The array " + call.path() + " changed shape while block " + blockParam + " was written; write it again");
            String version = current.dataSource().assets().getFirst().key();
            if (!version.equals(writtenTo[0])) {
                writer.writeChunk(store, version, s, block, buf);
                writtenTo[0] = version;
            }
            return current;
        });
        return MetadataEncoding.respond(call, 200, Json.nullNode());
    }

    private Response patch(Call call) throws IOException {
        byte[] body = call.request().body();
        WriteLimits.checkBody(body);
        QueryParams q = call.request().query();
        boolean extend = WrittenNodes.extend(q);
        long[] offsetSent = ints(q, "offset");
        long[] shape = ints(q, "shape");
        if (sparse(call)) throw TiledException.notAllowed("A sparse array cannot be patched; write it whole (PUT /array/full) or by blocks (PUT /array/block)");
        Node node = written.writable(call, StructureFamily.ARRAY);
        ArrayStructure s = StructureJson.array(node.structure());
        if (shape.length != s.ndim())
            throw TiledException.unprocessable("shape " + Arrays.toString(shape) + " has " + shape.length + " dimensions; the array has " + s.ndim());
        if (offsetSent.length > s.ndim())
            throw TiledException.unprocessable("offset " + Arrays.toString(offsetSent) + " has more dimensions than the array (" + s.ndim() + ")");
        long[] offset = Arrays.copyOf(offsetSent, s.ndim());
        checkLength(body, NdCopy.count(shape), s, "a patch of shape " + Arrays.toString(shape));
        for (int d = 0; d < s.ndim(); d++) Math.addExact(offset[d], shape[d]);
        ArrayWriter writer = writer(node);
        String area = ManagedArea.nodeArea(node.dataSource().assets().getFirst().key());
        String[] version = {null}, replaced = {null};
        Node committed;
        try {
            // Each attempt builds a whole new version from the node as it is then; a lost compare-and-set (a block, a
            // patch or a whole write committed meanwhile) throws the attempt away and patches the newer state.
            committed = written.commit(node, current -> {
                if (version[0] != null) removeUnder(version[0]);
                version[0] = null;
                ArrayStructure now = StructureJson.array(current.structure());
                ArrayStructure target = fitted(now, offset, shape, extend);
                replaced[0] = current.dataSource().assets().getFirst().key();
                version[0] = ManagedArea.newVersion(area);
                patchedCopy(current, now, target, replaced[0], version[0], offset, shape, body, writer);
                return WrittenNodes.withStructure(WrittenNodes.withAsset(current, version[0]), StructureJson.array(target));
            });
        } catch (RuntimeException | IOException e) {
            if (version[0] != null) removeUnder(version[0]);
            throw e;
        }
        ManagedArea.retire(store, area, version[0], replaced[0]);
        return MetadataEncoding.respond(call, 200, committed.structure());
    }

    /** The array's structure once a patch at {@code offset} of {@code shape} is in: grown with {@code extend}, else 409 when it does not fit. */
    private static ArrayStructure fitted(ArrayStructure s, long[] offset, long[] shape, boolean extend) {
        long[] grown = s.shape().clone();
        boolean grows = false;
        for (int d = 0; d < s.ndim(); d++) {
            long end = offset[d] + shape[d];
            if (end > grown[d]) {
                grown[d] = end;
                grows = true;
            }
        }
        if (grows && !extend)
            throw TiledException.conflict("Slice at offset " + Arrays.toString(offset) + " of shape " + Arrays.toString(shape) + " does not fit within"
                    + " current array shape " + Arrays.toString(s.shape()) + ". Use ?extend=true to extend the array dimensions to fit.");
        return grows ? ArrayLayouts.resized(s, grown) : s;
    }

    /**
     * Stores under {@code version} the array of {@code from} with the patch applied: metadata for {@code target}, the
     * chunks the patch touches read, modified and written anew, and every other stored chunk copied by the store
     * ({@link BlobStore#copy}: a hard link on a file system, a server-side copy on S3; chunks never written stay absent
     * and read as zeros). Nothing of {@code from} changes. The copies are bounded ({@link WriteLimits#MAX_PATCH_COPIES})
     * and counted before anything is stored.
     */
    private void patchedCopy(Node current, ArrayStructure now, ArrayStructure target, String from, String version, long[] offset, long[] shape,
                             byte[] body, ArrayWriter writer) throws IOException {
        int ndim = now.ndim();
        int[] chunk = ArrayLayouts.chunkShape(target);
        List<long[]> touched = NdCopy.count(shape) > 0 ? gridOver(chunk, offset, shape) : List.of();
        Set<String> rewritten = new HashSet<>();
        for (long[] index : touched) rewritten.add(writer.chunkKey(from, now, index));
        Set<String> stored = new HashSet<>(store.list(from));
        List<long[]> kept = new ArrayList<>();
        long[] hi = new long[ndim];
        for (int d = 0; d < ndim; d++) hi[d] = now.chunks()[d].length;
        forEachIndex(hi, index -> {
            String key = writer.chunkKey(from, now, index);
            if (stored.contains(key) && !rewritten.contains(key)) {
                if (kept.size() >= WriteLimits.MAX_PATCH_COPIES)
                    throw TiledException.unprocessable("A patch keeps every chunk it does not touch in a new version of the array, and this array holds more"
                            + " than " + WriteLimits.MAX_PATCH_COPIES + " of them; write the region block by block (PUT /array/block) instead");
                kept.add(index.clone());
            }
        });
        writer.writeMetadata(store, version, target);
        ChunkedArray existing = readers.openUncached(store, current.dataSource());
        long[] chunkLong = Arrays.stream(chunk).asLongStream().toArray();
        int itemsize = now.dataType().itemsize();
        for (long[] index : touched) {
            long[] chunkOrigin = new long[ndim], src = new long[ndim], to = new long[ndim], extent = new long[ndim];
            boolean insideOld = true;
            for (int d = 0; d < ndim; d++) {
                chunkOrigin[d] = index[d] * chunk[d];
                long lo = Math.max(chunkOrigin[d], offset[d]), hiEdge = Math.min(chunkOrigin[d] + chunk[d], offset[d] + shape[d]);
                src[d] = lo - offset[d];
                to[d] = lo - chunkOrigin[d];
                extent[d] = hiEdge - lo;
                if (chunkOrigin[d] >= now.shape()[d]) insideOld = false;
            }
            byte[] buf = insideOld ? existing.readChunk(index).clone() : new byte[Math.toIntExact(NdCopy.count(chunkLong) * itemsize)];
            NdCopy.copy(body, shape, src, buf, chunkLong, to, extent, itemsize); // into a copy: a read chunk may be shared
            writer.writeChunk(store, version, target, index, buf);
        }
        for (long[] index : kept) store.copy(writer.chunkKey(from, now, index), writer.chunkKey(version, target, index));
    }

    /** Calls {@code visit} with every index below {@code hi} in C order (the same array, changed between calls). */
    private static void forEachIndex(long[] hi, java.util.function.Consumer<long[]> visit) {
        for (long h : hi) if (h <= 0) return;
        long[] at = new long[hi.length];
        while (true) {
            visit.accept(at);
            int d = at.length - 1;
            while (d >= 0 && ++at[d] == hi[d]) at[d--] = 0;
            if (d < 0) return;
        }
    }

    private static long[] ints(QueryParams q, String name) {
        String v = q.first(name).orElseThrow(() -> TiledException.unprocessable("Query parameter '" + name + "' is required"));
        if (!INTS.matcher(v).matches()) throw TiledException.unprocessable("Malformed " + name + " '" + v + "': expected comma-separated non-negative integers");
        try {
            return Arrays.stream(v.split(",")).mapToLong(Long::parseLong).toArray();
        } catch (NumberFormatException e) {
            throw TiledException.unprocessable(name + " out of range: " + v);
        }
    }

    private static long parseIndex(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Every chunk index of the array's grid, in C order. */
    private static List<long[]> grid(ArrayStructure s) {
        long[] lo = new long[s.ndim()], hi = new long[s.ndim()];
        for (int d = 0; d < s.ndim(); d++) hi[d] = s.chunks()[d].length;
        return indices(lo, hi);
    }

    /** The chunk indices a box touches. */
    private static List<long[]> gridOver(int[] chunk, long[] offset, long[] shape) {
        long[] lo = new long[chunk.length], hi = new long[chunk.length];
        for (int d = 0; d < chunk.length; d++) {
            lo[d] = offset[d] / chunk[d];
            hi[d] = (offset[d] + shape[d] - 1) / chunk[d] + 1;
        }
        return indices(lo, hi);
    }

    private static List<long[]> indices(long[] lo, long[] hi) {
        List<long[]> out = new ArrayList<>();
        for (int d = 0; d < lo.length; d++) if (hi[d] <= lo[d]) return out;
        long[] at = lo.clone();
        while (true) {
            out.add(at.clone());
            int d = at.length - 1;
            while (d >= 0 && ++at[d] == hi[d]) at[d] = lo[d--];
            if (d < 0) return out;
        }
    }

    private void removeUnder(String prefix) {
        try {
            for (String k : store.list(prefix)) store.delete(k);
        } catch (IOException e) {
            // an unreferenced version; the node's deletion removes its whole area
        }
    }
}
