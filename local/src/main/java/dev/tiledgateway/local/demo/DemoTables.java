package dev.tiledgateway.local.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.array.ArrayPayload;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.container.DatasetPayload;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.serialize.Serializer;
import dev.tiledgateway.core.serialize.SerializerRegistry;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.formats.table.ArrowTableSource;
import dev.tiledgateway.formats.table.ParquetTableReader;
import dev.tiledgateway.formats.table.TableStructures;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The demo's three tables, written as Parquet (with a pandas {@code index} column) through the gateway's own
 * Parquet serializer, then registered by reading them back with the Parquet table reader, as an upload would be.
 */
final class DemoTables {

    private final Catalog catalog;
    private final BlobStore store;
    private final Serializer parquet;

    DemoTables(Catalog catalog, BlobStore store) {
        this.catalog = catalog;
        this.store = store;
        this.parquet = SerializerRegistry.discover().find("xarray_dataset", "application/x-parquet")
                .orElseThrow(() -> new IllegalStateException("no Parquet serializer for column sets is registered"));
    }

    void write() throws IOException {
        catalog.put(Node.container(NodePath.of("tables"), Json.object(), List.of()));
        shortTable();
        longTable();
        wideTable();
    }

    private static ArrayPayload column(String dtype, long n, java.util.function.BiConsumer<ByteBuffer, Long> fill) {
        DataType t = DataType.Builtin.parse(dtype);
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(n * t.itemsize())).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < n; i++) fill.accept(b, i);
        return new ArrayPayload(t, new long[] {n}, b.array());
    }

    private static ArrayPayload index(long start, long n) {
        return column("<i8", n, (b, i) -> b.putLong(start + i));
    }

    private void shortTable() throws IOException {
        int n = 100;
        SplittableRandom r = DemoValues.rng("short_table");
        List<DatasetPayload.Variable> cols = new ArrayList<>();
        cols.add(new DatasetPayload.Variable("index", index(0, n)));
        cols.add(new DatasetPayload.Variable("A", column("|u1", n, (b, i) -> b.put((byte) r.nextInt(10)))));
        cols.add(new DatasetPayload.Variable("B", column("<f8", n, (b, i) -> b.putDouble(r.nextDouble()))));
        String letters = "abcdefghijklmnopqrstuvwxyz";
        cols.add(new DatasetPayload.Variable("C", column("<U3", n, (b, i) -> {
            char c = letters.charAt(r.nextInt(26));
            for (int k = 0; k < 3; k++) b.putInt(c);
        })));
        long day0 = java.time.LocalDate.of(2025, 1, 1).toEpochDay();
        cols.add(new DatasetPayload.Variable("D", column("<M8[s]", n, (b, i) -> b.putLong((day0 + i) * 86_400))));
        cols.add(new DatasetPayload.Variable("E", column("|b1", n, (b, i) -> b.put((byte) (r.nextBoolean() ? 1 : 0)))));
        table("short_table", List.of(parquet(cols)), Map.of("animal", "dog", "color", "red"));
    }

    private void longTable() throws IOException {
        int parts = 5, rows = 20_000;
        SplittableRandom r = DemoValues.rng("long_table");
        List<byte[]> files = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            double[] a = new double[rows];
            for (int i = 0; i < rows; i++) a[i] = r.nextDouble();
            List<DatasetPayload.Variable> cols = new ArrayList<>();
            cols.add(new DatasetPayload.Variable("index", index((long) p * rows, rows)));
            cols.add(new DatasetPayload.Variable("A", column("<f8", rows, (b, i) -> b.putDouble(a[(int) (long) i]))));
            cols.add(new DatasetPayload.Variable("B", column("<f8", rows, (b, i) -> b.putDouble(2 * a[(int) (long) i]))));
            cols.add(new DatasetPayload.Variable("C", column("<f8", rows, (b, i) -> b.putDouble(3 * a[(int) (long) i]))));
            files.add(parquet(cols));
        }
        table("long_table", files, Map.of("animal", "dog", "color", "green"));
    }

    private void wideTable() throws IOException {
        int n = 10;
        SplittableRandom r = DemoValues.rng("wide_table");
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextDouble();
        List<DatasetPayload.Variable> cols = new ArrayList<>();
        cols.add(new DatasetPayload.Variable("index", index(0, n)));
        for (int k = 0; k < 26; k++) {
            int factor = k + 1;
            cols.add(new DatasetPayload.Variable(String.valueOf((char) ('A' + k)), column("<f8", n, (b, i) -> b.putDouble(factor * v[(int) (long) i]))));
        }
        table("wide_table", List.of(parquet(cols)), Map.of("animal", "dog", "color", "red"));
    }

    private byte[] parquet(List<DatasetPayload.Variable> cols) {
        return parquet.serialize(new DatasetPayload(cols, List.of("index")));
    }

    /** One file is the table; several are the parts of a folder, one partition each. */
    private void table(String name, List<byte[]> files, Map<String, Object> metadata) throws IOException {
        String prefix = DemoTree.PREFIX + "tables/" + name;
        Asset asset;
        if (files.size() == 1) {
            store.put(prefix + ".parquet", files.get(0));
            asset = new Asset(prefix + ".parquet", false, "data_uris");
        } else {
            for (int p = 0; p < files.size(); p++) store.put(prefix + "/part." + p + ".parquet", files.get(p));
            asset = new Asset(prefix + "/", true, "data_uris");
        }
        DataSource ds = new DataSource(ParquetTableReader.MIMETYPE, List.of(asset));
        ArrowTableSource source = new ParquetTableReader().open(store, ds);
        ObjectNode md = Json.mapper().valueToTree(new java.util.TreeMap<>(metadata));
        catalog.put(new Node(NodePath.of("tables/" + name), StructureFamily.TABLE, md, List.of(new Spec("dataframe", null)),
                TableStructures.structureJson(source), ds, null, 0));
    }
}
