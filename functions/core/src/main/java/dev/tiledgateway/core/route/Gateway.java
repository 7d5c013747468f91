package dev.tiledgateway.core.route;

import dev.tiledgateway.core.array.ArraySlicer;
import dev.tiledgateway.core.auth.Access;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.format.ArrayReaders;
import dev.tiledgateway.core.format.TableReaders;
import dev.tiledgateway.core.observe.CountingBlobStore;
import dev.tiledgateway.core.observe.CountingCatalog;
import dev.tiledgateway.core.observe.RequestMetrics;
import dev.tiledgateway.core.query.QueryRegistry;
import dev.tiledgateway.core.serialize.SerializerRegistry;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.write.DataWriters;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The one wiring place: builds every route group over a catalog and an object store. */
public final class Gateway {

    private Gateway() {}

    /** A router with the built-in registries discovered from the class path; results go to the data store. */
    public static Router router(Catalog catalog, BlobStore store, GatewayConfig config, Access access) {
        return router(catalog, store, store, config, access, ArrayReaders.discover(), TableReaders.discover(), SerializerRegistry.discover(),
                QueryRegistry.discover(), Executors.newVirtualThreadPerTaskExecutor());
    }

    /**
     * @param store   where the data lives
     * @param results where oversized results are materialised for redirects (may be the same store)
     * @param access  who may do what, and the API keys the gateway manages
     * @param queries the query types search and distinct answer
     */
    public static Router router(Catalog catalog, BlobStore store, BlobStore results, GatewayConfig config, Access access, ArrayReaders readers,
                                TableReaders tables, SerializerRegistry serializers, QueryRegistry queries, ExecutorService chunkFetchers) {
        // Every call the routes make to the ports is counted for the request that makes it (logs, metrics, Server-Timing).
        boolean sameStore = results == store;
        catalog = new CountingCatalog(catalog);
        store = new CountingBlobStore(store);
        results = sameStore ? store : new CountingBlobStore(results);
        RequestMetrics metrics = new RequestMetrics();
        Nodes nodes = new Nodes(catalog, store, tables);
        DataWriters writers = DataWriters.discover();
        ArraySlicer slicer = new ArraySlicer(chunkFetchers, 1L << 30);
        DataResponses responses = new DataResponses(new ResultStore(results, config));
        return new Router(List.of(
                new AboutRoutes(serializers, queries, config),
                new NodeRoutes(nodes, queries),
                new DistinctRoutes(nodes, queries),
                new ArrayRoutes(nodes, store, readers, serializers, slicer, responses, config),
                new TableRoutes(nodes, store, tables, serializers, responses),
                new ContainerRoutes(nodes, store, readers, slicer, serializers, responses, config),
                new RegisterRoutes(nodes, store, readers, tables),
                new MetadataUpdateRoutes(nodes),
                new CreateRoutes(nodes, store, writers),
                new ArrayWriteRoutes(nodes, store, readers, slicer, writers),
                new TableWriteRoutes(nodes, store, writers),
                new DeleteRoutes(nodes, store),
                new AwkwardRoutes(nodes, store, serializers, responses),
                new AwkwardWriteRoutes(nodes, store),
                new AuthRoutes(Clock.systemUTC()),
                new MetricsRoutes(metrics)), access, metrics);
    }
}
