package dev.tiledgateway.local.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.awkward.AwkwardStore;
import dev.tiledgateway.core.sparse.SparseLayout;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.formats.zarr.V2Compressor;
import dev.tiledgateway.formats.zarr.ZarrV2Writer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The demo tree of {@code tiled serve demo} (arrays and containers), written as real Zarr v2 arrays into the
 * object store and registered in the catalog. The two multi-gigabyte arrays get their chunks on first read
 * through {@link LazyChunkStore}; everything else is written up front (a few MB).
 */
public final class DemoTree {

    /** Bumped whenever the tree changes, so a cached copy from an older version is rebuilt. */
    public static final int VERSION = 6;

    /** Prefix of the demo's arrays in the object store. */
    public static final String PREFIX = "demo/";

    private final BlobStore store;
    private final ArrayRegistrar registerArray;

    /** Registers the Zarr array at a store prefix as the node at a path, with specs: the step any uploaded array goes through. */
    @FunctionalInterface
    public interface ArrayRegistrar {
        void register(NodePath path, String prefix, List<Spec> specs) throws IOException;
    }
    private final Catalog catalog;

    private DemoTree(Catalog catalog, BlobStore store, ArrayRegistrar registerArray) {
        this.catalog = catalog;
        this.store = store;
        this.registerArray = registerArray;
    }

    /** Makes {@code lazy} serve the big arrays' chunks; call on every start, before serving. */
    public static void registerLazyChunks(LazyChunkStore lazy) {
        lazy.register(PREFIX + "nested/images/big_image/", new long[] {3, 3},
                idx -> uniformChunk("big_image", idx, new long[] {10000, 10000}, new int[] {4096, 4096}));
        lazy.register(PREFIX + "nested/cubes/tiny_hypercube/", new long[] {2, 2, 2, 2, 2},
                idx -> uniformChunk("tiny_hypercube", idx, new long[] {50, 50, 50, 50, 50}, new int[] {27, 27, 27, 27, 27}));
    }

    /**
     * Writes and registers the whole tree. {@code registerArray} registers the Zarr array at a store prefix
     * as the node at a path (the same step that registers any uploaded array).
     */
    public static void install(Catalog catalog, BlobStore store, ArrayRegistrar registerArray) throws IOException {
        new DemoTree(catalog, store, registerArray).write();
    }

    private void write() throws IOException {
        container("scalars", Map.of("numbers", "constants", "precision", 5));
        array("scalars/pi", "<f8", new long[0], new int[0], DemoValues.doubles(3.14159), V2Compressor.none());
        array("scalars/e_arr", "<U7", new long[] {1}, new int[] {1}, DemoValues.utf32("2.71828", 7), V2Compressor.none());
        array("scalars/fsc", "<U5", new long[0], new int[0], DemoValues.utf32("1/137", 5), V2Compressor.none());
        array("scalars/fortytwo", "<i8", new long[0], new int[0], DemoValues.longs(42), V2Compressor.none());

        Map<String, Object> catGreen = Map.of("animal", "cat", "color", "green");
        container("nested", catGreen);
        container("nested/images", catGreen);
        array("nested/images/tiny_image", "<f8", new long[] {50, 50}, new int[] {50, 50}, DemoValues.uniform("tiny_image", 2500), V2Compressor.zstd(3));
        array("nested/images/small_image", "<f8", new long[] {300, 300}, new int[] {300, 300}, DemoValues.uniform("small_image", 90_000), V2Compressor.blosc("lz4", 5, 1));
        array("nested/images/medium_image", "<f8", new long[] {1000, 1000}, new int[] {250, 100}, DemoValues.uniform("medium_image", 1_000_000), V2Compressor.zstd(1));
        lazyArray("nested/images/big_image", new long[] {10000, 10000}, new int[] {4096, 4096});
        container("nested/cubes", Map.of("animal", "dog", "color", "red"));
        array("nested/cubes/tiny_cube", "<f8", new long[] {50, 50, 50}, new int[] {50, 50, 50}, DemoValues.uniform("tiny_cube", 125_000), V2Compressor.gzip(1));
        lazyArray("nested/cubes/tiny_hypercube", new long[] {50, 50, 50, 50, 50}, new int[] {27, 27, 27, 27, 27});
        array("nested/complex", "<c16", new long[] {30, 50}, new int[] {30, 50}, DemoValues.complex("complex", 1500), V2Compressor.zstd(3));
        sparse();
        awkward();
        ragged();

        new DemoTables(catalog, store).write();
        container("structured_data", catGreen);
        DataType pets = new DataType.Struct(48, List.of(
                new DataType.Field("name", DataType.Builtin.parse("<U10"), null),
                new DataType.Field("age", DataType.Builtin.parse("<i4"), null),
                new DataType.Field("weight", DataType.Builtin.parse("<f4"), null)));
        // Upstream's order: pets, then the dataset (children list in creation order).
        array("structured_data/pets", pets, new long[] {2}, new int[] {2}, DemoValues.pets(), V2Compressor.none());
        xarrayDataset();

        array("flat_array", "<f8", new long[] {100}, new int[] {100}, DemoValues.uniform("flat_array", 100), V2Compressor.none());
        array("low_entropy", "<i4", new long[] {100, 100}, new int[] {100, 100}, DemoValues.onesInt32(10_000), V2Compressor.blosc("zstd", 5, 2));
        array("high_entropy", "<i8", new long[] {100, 100}, new int[] {100, 100}, DemoValues.randomInts("high_entropy", 10_000, -10, 10), V2Compressor.zstd(3));
        array("dynamic", "<f8", new long[] {3, 3}, new int[] {3, 3}, DemoValues.filled(9, 1.0), V2Compressor.none());
    }

    /** The xarray dataset of upstream's demo: two data variables on (x, y, time) and three coordinates; inlined children. */
    private void xarrayDataset() throws IOException {
        String base = "structured_data/xarray_dataset";
        ObjectNode attrs = Json.object();
        attrs.putObject("attrs");
        ZarrV2Writer.writeGroup(store, PREFIX + base + "/", Map.of("attrs", Map.of()));
        catalog.put(new Node(NodePath.of(base), StructureFamily.CONTAINER, attrs, List.of(new Spec("xarray_dataset", null)), null, null,
                List.of(new SortKey("_", 1)), 0));
        java.util.SplittableRandom r = DemoValues.rng("xarray_dataset");
        double[] temperature = new double[12];
        for (int i = 0; i < 12; i++) temperature[i] = 15 + 8 * r.nextGaussian();
        double[] precipitation = new double[12];
        for (int i = 0; i < 12; i++) precipitation[i] = 10 * r.nextDouble();
        long day = 86_400_000_000_000L, start = java.time.LocalDate.of(2014, 9, 6).toEpochDay() * day;
        variable(base + "/temperature", DemoValues.F8, new long[] {2, 2, 3}, DemoValues.doubles(temperature), List.of("x", "y", "time"), "xarray_data_var");
        variable(base + "/precipitation", DemoValues.F8, new long[] {2, 2, 3}, DemoValues.doubles(precipitation), List.of("x", "y", "time"), "xarray_data_var");
        variable(base + "/lon", DemoValues.F8, new long[] {2, 2}, DemoValues.doubles(-99.83, -99.32, -99.79, -99.23), List.of("x", "y"), "xarray_coord");
        variable(base + "/lat", DemoValues.F8, new long[] {2, 2}, DemoValues.doubles(42.25, 42.21, 42.63, 42.59), List.of("x", "y"), "xarray_coord");
        variable(base + "/time", DataType.Builtin.parse("<M8[ns]"), new long[] {3}, DemoValues.longs(start, start + day, start + 2 * day), List.of("time"), "xarray_coord");
    }

    private void variable(String path, DataType dtype, long[] shape, byte[] bytes, List<String> dims, String spec) throws IOException {
        String prefix = PREFIX + path + "/";
        int[] chunks = new int[shape.length];
        for (int d = 0; d < shape.length; d++) chunks[d] = (int) shape[d];
        ZarrV2Writer w = ZarrV2Writer.create(store, prefix, dtype, shape, chunks, V2Compressor.none(), null,
                Map.of("attrs", Map.of(), "_ARRAY_DIMENSIONS", dims));
        w.writeChunk(new long[shape.length], bytes);
        registerArray.register(NodePath.of(path), prefix, List.of(new Spec(spec, null)));
    }

    /** A 100x100 COO array holding the values >= 0.9 of a uniform random image (about 10%). */
    private void sparse() throws IOException {
        String path = "nested/sparse_image";
        ByteBuffer dense = ByteBuffer.wrap(DemoValues.uniform("sparse_image", 10_000)).order(ByteOrder.LITTLE_ENDIAN);
        java.util.List<long[]> hits = new java.util.ArrayList<>();
        for (int i = 0; i < 10_000; i++) if (dense.getDouble(i * 8) >= 0.9) hits.add(new long[] {i / 100, i % 100, i});
        int nnz = hits.size();
        ByteBuffer coords = DemoValues.buffer(2L * nnz, 8);
        for (long[] h : hits) coords.putLong(h[0]);
        for (long[] h : hits) coords.putLong(h[1]);
        ByteBuffer data = DemoValues.buffer(nnz, 8);
        for (long[] h : hits) data.putDouble(dense.getDouble((int) h[2] * 8));
        String prefix = PREFIX + path + "/";
        writeWhole(prefix + "coords/", DemoValues.I8, new long[] {2, nnz}, coords.array());
        writeWhole(prefix + "data/", DemoValues.F8, new long[] {nnz}, data.array());
        ObjectNode structure = Json.object();
        structure.set("chunks", Json.parse("[[100], [100]]"));
        structure.set("shape", Json.parse("[100, 100]"));
        structure.set("data_type", dev.tiledgateway.core.structure.StructureJson.dataType(DemoValues.F8));
        structure.set("coord_data_type", dev.tiledgateway.core.structure.StructureJson.dataType(DemoValues.I8));
        structure.putNull("dims");
        structure.put("resizable", false);
        structure.put("layout", "COO");
        catalog.put(new Node(NodePath.of(path), StructureFamily.SPARSE, Json.object(), List.of(), structure,
                new DataSource(SparseLayout.MIMETYPE, List.of(new Asset(prefix + "coords/", true, "coords"), new Asset(prefix + "data/", true, "data"))),
                null, 0));
    }

    /** A Zarr array of one chunk holding {@code bytes}. */
    private void writeWhole(String prefix, DataType dtype, long[] shape, byte[] bytes) throws IOException {
        int[] chunks = new int[shape.length];
        for (int d = 0; d < shape.length; d++) chunks[d] = (int) Math.max(1, shape[d]);
        ZarrV2Writer w = ZarrV2Writer.create(store, prefix, dtype, shape, chunks, V2Compressor.zstd(3), null, Map.of());
        w.writeChunk(new long[shape.length], bytes);
    }

    /** {@code [[{x:1.1,y:[1]},{x:2.2,y:[1,2]}],[],[{x:3.3,y:[1,2,3]}]]}, as the spec's §5.4 form. */
    private void awkward() throws IOException {
        String form = """
                {"class": "ListOffsetArray", "offsets": "i64", "parameters": {}, "form_key": "node0",
                 "content": {"class": "RecordArray", "fields": ["x", "y"], "parameters": {}, "form_key": "node1",
                   "contents": [
                     {"class": "NumpyArray", "primitive": "float64", "inner_shape": [], "parameters": {}, "form_key": "node2"},
                     {"class": "ListOffsetArray", "offsets": "i64", "parameters": {}, "form_key": "node3",
                      "content": {"class": "NumpyArray", "primitive": "int64", "inner_shape": [], "parameters": {}, "form_key": "node4"}}]}}
                """;
        Map<String, byte[]> buffers = new java.util.LinkedHashMap<>();
        buffers.put("node0-offsets", DemoValues.longs(0, 2, 2, 3));
        buffers.put("node2-data", DemoValues.doubles(1.1, 2.2, 3.3));
        buffers.put("node3-offsets", DemoValues.longs(0, 1, 3, 6));
        buffers.put("node4-data", DemoValues.longs(1, 1, 2, 1, 2, 3));
        ObjectNode structure = Json.object();
        structure.put("length", 3);
        structure.set("form", Json.parse(form));
        awkwardNode("nested/awkward_array", StructureFamily.AWKWARD, structure, structure.get("form"), 3, buffers);
    }

    /** {@code [[[1.1,2.2,3.3],[]],[[4.4]],[],[[5.5,6.6,7.7,8.8],[9.9]]]}, shape [4, None, None]. */
    private void ragged() throws IOException {
        String form = """
                {"class": "ListOffsetArray", "offsets": "i64", "parameters": {}, "form_key": "node0",
                 "content": {"class": "ListOffsetArray", "offsets": "i64", "parameters": {}, "form_key": "node1",
                   "content": {"class": "NumpyArray", "primitive": "float64", "inner_shape": [], "parameters": {}, "form_key": "node2"}}}
                """;
        Map<String, byte[]> buffers = new java.util.LinkedHashMap<>();
        buffers.put("node0-offsets", DemoValues.longs(0, 2, 3, 3, 5));
        buffers.put("node1-offsets", DemoValues.longs(0, 3, 3, 4, 8, 9));
        buffers.put("node2-data", DemoValues.doubles(1.1, 2.2, 3.3, 4.4, 5.5, 6.6, 7.7, 8.8, 9.9));
        ObjectNode structure = Json.object();
        structure.set("data_type", dev.tiledgateway.core.structure.StructureJson.dataType(DemoValues.F8));
        structure.set("shape", Json.parse("[4, null, null]"));
        structure.put("size", 9);
        structure.set("chunks", Json.parse("[[4], null, null]"));
        structure.putNull("dims");
        structure.put("resizable", false);
        awkwardNode("nested/ragged_array", StructureFamily.RAGGED, structure, Json.parse(form), 4, buffers);
    }

    private void awkwardNode(String path, StructureFamily family, ObjectNode structure, com.fasterxml.jackson.databind.JsonNode form,
                             long length, Map<String, byte[]> buffers) throws IOException {
        String prefix = PREFIX + path + "/";
        AwkwardStore.write(store, prefix, form, length, buffers);
        catalog.put(new Node(NodePath.of(path), family, Json.object(), List.of(), structure,
                new DataSource(AwkwardStore.MIMETYPE, List.of(new Asset(prefix, true, "data_uri"))), null, 0));
    }

    /** Rewrites the {@code dynamic} array with {@code n} everywhere and re-registers it (a new revision). */
    public static void updateDynamic(BlobStore store, ArrayRegistrar registerArray, int n) throws IOException {
        String prefix = PREFIX + "dynamic/";
        ZarrV2Writer w = ZarrV2Writer.create(store, prefix, DataType.Builtin.parse("<f8"), new long[] {3, 3}, new int[] {3, 3},
                V2Compressor.none(), 0.0, Map.of());
        w.writeChunk(new long[] {0, 0}, DemoValues.filled(9, n));
        registerArray.register(NodePath.of("dynamic"), prefix, List.of());
    }

    private void container(String path, Map<String, Object> metadata) throws IOException {
        ObjectNode md = Json.mapper().valueToTree(new java.util.TreeMap<>(metadata));
        ZarrV2Writer.writeGroup(store, PREFIX + path + "/", metadata);
        catalog.put(Node.container(NodePath.of(path), md, List.of()));
    }

    private void array(String path, String dtype, long[] shape, int[] chunks, byte[] full, V2Compressor compressor) throws IOException {
        array(path, DataType.Builtin.parse(dtype), shape, chunks, full, compressor);
    }

    private void array(String path, DataType dtype, long[] shape, int[] chunkShape, byte[] full, V2Compressor compressor) throws IOException {
        String prefix = PREFIX + path + "/";
        ZarrV2Writer w = ZarrV2Writer.create(store, prefix, dtype, shape, chunkShape, compressor, null, Map.of());
        long[] grid = w.gridShape();
        long[] idx = new long[shape.length];
        while (true) {
            w.writeChunk(idx, Chunks.extract(full, shape, chunkShape, dtype.itemsize(), idx));
            int d = shape.length - 1;
            while (d >= 0 && ++idx[d] == grid[d]) idx[d--] = 0;
            if (d < 0) break;
        }
        registerArray.register(NodePath.of(path), prefix, List.of());
    }

    private void lazyArray(String path, long[] shape, int[] chunkShape) throws IOException {
        String prefix = PREFIX + path + "/";
        ZarrV2Writer.create(store, prefix, DemoValues.F8, shape, chunkShape, V2Compressor.none(), 0.0, Map.of());
        registerArray.register(NodePath.of(path), prefix, List.of());
    }

    /** One chunk of a uniform [0,1) array, seeded by array name and chunk index; padding beyond the edge is 0. */
    static byte[] uniformChunk(String name, long[] idx, long[] shape, int[] chunkShape) {
        long n = 1;
        for (int c : chunkShape) n *= c;
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(n * 8)).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom r = DemoValues.rng(name + java.util.Arrays.toString(idx));
        int nd = shape.length;
        long[] local = new long[nd];
        for (long i = 0; i < n; i++) {
            boolean inside = true;
            for (int d = 0; d < nd; d++) if (idx[d] * chunkShape[d] + local[d] >= shape[d]) inside = false;
            b.putDouble(inside ? r.nextDouble() : 0.0);
            for (int d = nd - 1; d >= 0; d--) {
                if (++local[d] < chunkShape[d]) break;
                local[d] = 0;
            }
        }
        return b.array();
    }
}
