package dev.tiledgateway.core.route;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.http.QueryParams;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.write.DataWriters;
import dev.tiledgateway.core.write.ManagedArea;
import dev.tiledgateway.core.write.TableWriter;
import dev.tiledgateway.core.write.WriteLimits;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code PUT /table/full}, {@code PUT /table/partition?partition=i} and {@code PATCH /table/partition?partition=i}
 * (spec §3.7): an Arrow IPC file, as pyarrow writes a pandas DataFrame, stored as the partition's one object (an
 * atomic put) in the table's format; its columns must be the declared ones. The node's data then gets a new identity
 * (revision, ETags, results).
 *
 * <p>Appendable tables ({@link TableWriter#appendable()}) keep a partition as the objects the node lists: an append
 * stores its rows as a new object, then lists it in one compare-and-set of the node, so readers see the rows before
 * or after it, never part of it; a {@code PUT} replaces the partition's list with one new object the same way.
 */
public final class TableWriteRoutes implements RouteGroup {

    private final WrittenNodes written;
    private final BlobStore store;
    private final DataWriters writers;

    public TableWriteRoutes(Nodes nodes, BlobStore store, DataWriters writers) {
        this.written = new WrittenNodes(nodes);
        this.store = store;
        this.writers = writers;
    }

    @Override
    public void register(Registrar r) {
        r.add("PUT", "table/full", ArrayWriteRoutes.WRITING, c -> write(c, null));
        r.add("PUT", "table/partition", ArrayWriteRoutes.WRITING, c -> write(c, partition(c.request().query())));
        r.add("PATCH", "table/partition", ArrayWriteRoutes.WRITING, this::append);
    }

    private static Integer partition(QueryParams q) {
        String p = q.first("partition").orElseThrow(() -> TiledException.unprocessable("Query parameter 'partition' is required"));
        if (!p.strip().matches("[0-9]{1,9}")) throw TiledException.unprocessable("Query parameter 'partition' must be a non-negative integer, got '" + p + "'");
        return Integer.parseInt(p.strip());
    }

    private Response write(Call call, Integer partition) throws IOException {
        byte[] body = call.request().body();
        WriteLimits.checkBody(body);
        if (!call.request().query().getBool("persist", true))
            throw TiledException.badRequest("persist=false (streaming to subscribers without storing) is not supported; the data is always stored");
        Node node = written.writable(call, StructureFamily.TABLE);
        var assets = node.dataSource().assets();
        int partitions = npartitions(node);
        int index;
        if (partition == null) {
            if (partitions != 1)
                throw TiledException.unprocessable("The table " + call.path() + " has " + partitions + " partitions: write each with PUT /table/partition?partition=i");
            index = 0;
        } else {
            checkPartition(partition, partitions);
            index = partition;
        }
        TableWriter writer = writer(node);
        if (writer.appendable()) return replaceAppended(call, node, writer, partition == null ? 0 : partition, body);
        Asset asset = assets.get(index);
        writer.writePartition(store, asset.key(), node.structure(), body);
        written.commit(node, current -> current);
        return MetadataEncoding.respond(call, 200, Json.nullNode());
    }

    private TableWriter writer(Node node) {
        return writers.table(node.dataSource().mimetype()).orElseThrow(() -> TiledException.notAllowed(
                "The gateway cannot write data of mimetype '" + node.dataSource().mimetype() + "'"));
    }

    private static int npartitions(Node node) {
        JsonNode np = node.structure() == null ? null : node.structure().get("npartitions");
        return np != null && np.canConvertToInt() ? np.asInt() : node.dataSource().assets().size();
    }

    private static void checkPartition(int partition, int partitions) {
        if (partition >= partitions) throw TiledException.badRequest("Partition out of range: " + partition + " (the table has " + partitions + " partitions)");
    }

    /** {@code PATCH /table/partition?partition=i}: the rows of the body after the partition's rows. */
    private Response append(Call call) throws IOException {
        byte[] body = call.request().body();
        WriteLimits.checkBody(body);
        int partition = partition(call.request().query());
        Node node = written.writable(call, StructureFamily.TABLE);
        TableWriter writer = writer(node);
        if (!writer.appendable())
            throw TiledException.notAllowed("Rows can be appended only to appendable tables (the client's create_appendable_table); " + call.path()
                    + " was written whole: replace a partition with PUT /table/partition?partition=i");
        checkPartition(partition, npartitions(node));
        if (node.dataSource().assets().size() >= MAX_OBJECTS)
            throw TiledException.unprocessable("The table " + call.path() + " holds " + MAX_OBJECTS + " appended parts, as many as one table may;"
                    + " write its rows into a new table with fewer, larger appends");
        String folder = TableWriter.partitionFolder(ManagedArea.nodeArea(node.dataSource().assets().getFirst().key()), partition);
        String key = folder + "append-" + UUID.randomUUID() + ".parquet";
        writer.writePartition(store, key, node.structure(), body);
        String[] checkedAgainst = {null};
        try {
            written.commit(node, current -> {
                String first = firstAppended(current);
                if (first != null && !first.equals(checkedAgainst[0])) {
                    var why = writer.appendRefusal(store, first, key);
                    if (why.isPresent()) throw TiledException.unprocessable(why.get());
                    checkedAgainst[0] = first;
                }
                List<Asset> assets = new ArrayList<>(current.dataSource().assets());
                int at = assets.size();
                while (at > 0 && !assets.get(at - 1).key().startsWith(folder)) at--;
                if (at == 0) throw TiledException.conflict("The table " + call.path() + " no longer has partition " + partition);
                assets.add(at, new Asset(key, false, assets.getFirst().parameter()));
                return withAssets(current, assets);
            });
        } catch (RuntimeException | IOException e) {
            removeQuietly(key);
            throw e;
        }
        return MetadataEncoding.respond(call, 200, Json.nullNode());
    }

    /** {@code PUT} on an appendable table: the partition becomes its empty first object and the body's rows. */
    private Response replaceAppended(Call call, Node node, TableWriter writer, int partition, byte[] body) throws IOException {
        String folder = TableWriter.partitionFolder(ManagedArea.nodeArea(node.dataSource().assets().getFirst().key()), partition);
        String key = folder + "append-" + UUID.randomUUID() + ".parquet";
        writer.writePartition(store, key, node.structure(), body);
        List<String> dropped = new ArrayList<>();
        try {
            written.commit(node, current -> {
                dropped.clear();
                List<Asset> assets = new ArrayList<>();
                boolean placed = false;
                for (Asset a : current.dataSource().assets()) {
                    boolean mine = a.key().startsWith(folder);
                    if (mine && !a.key().endsWith("/" + EMPTY_SUFFIX)) {
                        dropped.add(a.key());
                        continue;
                    }
                    assets.add(a);
                    if (mine && !placed) {
                        assets.add(new Asset(key, false, a.parameter()));
                        placed = true;
                    }
                }
                if (!placed) throw TiledException.conflict("The table " + call.path() + " no longer has partition " + partition);
                String first = firstAppended(new Node(current.path(), current.family(), current.metadata(), current.specs(), current.structure(),
                        current.dataSource().withAssets(assets), current.sorting(), current.revision()));
                if (first != null && !first.equals(key)) {
                    var why = writer.appendRefusal(store, first, key);
                    if (why.isPresent()) throw TiledException.unprocessable(why.get());
                }
                return withAssets(current, assets);
            });
        } catch (RuntimeException | IOException e) {
            removeQuietly(key);
            throw e;
        }
        for (String k : dropped) removeQuietly(k);
        return MetadataEncoding.respond(call, 200, Json.nullNode());
    }

    /** The most objects an appendable table lists (its node's document grows with each). */
    static final int MAX_OBJECTS = 10_000;
    private static final String EMPTY_SUFFIX = "empty.parquet";

    /** The first object appended to the table (in partition order), or null before any append. */
    private static String firstAppended(Node node) {
        for (Asset a : node.dataSource().assets()) if (!a.key().endsWith("/" + EMPTY_SUFFIX)) return a.key();
        return null;
    }

    private static Node withAssets(Node n, List<Asset> assets) {
        return new Node(n.path(), n.family(), n.metadata(), n.specs(), n.structure(), n.dataSource().withAssets(assets), n.sorting(), n.revision());
    }

    private void removeQuietly(String key) {
        try {
            store.delete(key);
        } catch (IOException e) {
            // unreferenced: the node's deletion removes its whole area
        }
    }
}
