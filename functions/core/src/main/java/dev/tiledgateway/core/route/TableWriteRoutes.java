package dev.tiledgateway.core.route;

import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.http.QueryParams;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.write.DataWriters;
import dev.tiledgateway.core.write.TableWriter;
import dev.tiledgateway.core.write.WriteLimits;

import java.io.IOException;

/**
 * {@code PUT /table/full} and {@code PUT /table/partition?partition=i} (spec §3.7): an Arrow IPC file, as pyarrow
 * writes a pandas DataFrame, stored as the partition's one object (an atomic put) in the table's format; its columns
 * must be the declared ones. The node's data then gets a new identity (revision, ETags, results).
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
        int index;
        if (partition == null) {
            if (assets.size() != 1)
                throw TiledException.unprocessable("The table " + call.path() + " has " + assets.size() + " partitions: write each with PUT /table/partition?partition=i");
            index = 0;
        } else {
            if (partition >= assets.size())
                throw TiledException.badRequest("Partition out of range: " + partition + " (the table has " + assets.size() + " partitions)");
            index = partition;
        }
        TableWriter writer = writers.table(node.dataSource().mimetype()).orElseThrow(() -> TiledException.notAllowed(
                "The gateway cannot write data of mimetype '" + node.dataSource().mimetype() + "'"));
        Asset asset = assets.get(index);
        writer.writePartition(store, asset.key(), node.structure(), body);
        written.commit(node, current -> current);
        return MetadataEncoding.respond(call, 200, Json.MAPPER.nullNode());
    }
}
