package dev.tiledgateway.api;

import dev.tiledgateway.core.format.ArrayReaders;
import dev.tiledgateway.core.format.TableReaders;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.query.QueryRegistry;
import dev.tiledgateway.core.serialize.SerializerRegistry;
import dev.tiledgateway.core.write.DataWriters;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * Loads the request path's classes on a thread of its own while the constructor opens the backend (SQLite, or the
 * AWS SDK's clients and the server key's secret), so that a cold start's router and first event find them loaded:
 * the envelope's parser and writer, the registries of formats, serializers, queries and writers, the route
 * groups, the random source of the CSRF cookie and gzip. Each step only loads, links and initialises classes and
 * computes values it throws away: nothing is read from or written to storage or the environment, and nothing it
 * makes is kept. A step that fails is skipped; the request path then loads what it needs itself, as without it.
 *
 * <p>With less than one processor (a Lambda function under 1,769 MB has a share of one), the two threads take
 * turns and the start is about as long as without it.
 */
final class Warmup {

    /** Route groups and helpers the router's construction and the first answers load. */
    private static final List<String> CLASSES = List.of(
            "dev.tiledgateway.core.route.Router",
            "dev.tiledgateway.core.route.Compression",
            "dev.tiledgateway.core.route.AboutRoutes",
            "dev.tiledgateway.core.route.NodeRoutes",
            "dev.tiledgateway.core.route.DistinctRoutes",
            "dev.tiledgateway.core.route.ArrayRoutes",
            "dev.tiledgateway.core.route.TableRoutes",
            "dev.tiledgateway.core.route.ContainerRoutes",
            "dev.tiledgateway.core.route.RegisterRoutes",
            "dev.tiledgateway.core.route.MetadataUpdateRoutes",
            "dev.tiledgateway.core.route.CreateRoutes",
            "dev.tiledgateway.core.route.ArrayWriteRoutes",
            "dev.tiledgateway.core.route.TableWriteRoutes",
            "dev.tiledgateway.core.route.DeleteRoutes",
            "dev.tiledgateway.core.route.AwkwardRoutes",
            "dev.tiledgateway.core.route.AwkwardWriteRoutes",
            "dev.tiledgateway.core.route.AuthRoutes",
            "dev.tiledgateway.core.route.MetricsRoutes",
            "dev.tiledgateway.core.route.MetadataSelector",
            "dev.tiledgateway.core.catalog.CatalogJson",
            "dev.tiledgateway.core.observe.CountingCatalog",
            "dev.tiledgateway.core.observe.CountingBlobStore");

    /** One step: a name for {@link #run()}'s answer, and what it does. */
    private record Step(String name, Action action) {}

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    private static final List<Step> STEPS = List.of(
            new Step("envelope", Warmup::envelope),
            new Step("registries", Warmup::registries),
            new Step("classes", Warmup::classes),
            new Step("random", () -> new SecureRandom().nextBytes(new byte[16])),
            new Step("gzip", Warmup::gzip));

    private Warmup() {}

    /** Starts the steps on a daemon thread of their own and returns it. */
    static Thread start() {
        Thread t = new Thread(Warmup::run, "tiled-gateway-warmup");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Runs every step in turn; the names of those that completed, in order. */
    static List<String> run() {
        List<String> done = new ArrayList<>();
        for (Step s : STEPS) {
            try {
                s.action().run();
                done.add(s.name());
            } catch (Exception | LinkageError e) {
                // The request path loads what it needs itself: a step that fails only warms less.
            }
        }
        return done;
    }

    /** A priming event through the envelope's reader, the request it makes, and a JSON answer's response event. */
    private static void envelope() throws IOException {
        byte[] event = ApiHandler.primingEvent("/api/v1/metadata/", "");
        HttpApiEvents.toRequest(HttpApiEvents.read(event), Set.of());
        Response r = new Response(200, "application/json", event);
        r.header("ETag", "\"warmup\"");
        HttpApiEvents.toEventBytes(r);
    }

    private static void registries() {
        ArrayReaders.discover();
        TableReaders.discover();
        SerializerRegistry.discover();
        QueryRegistry.discover();
        DataWriters.discover();
    }

    private static void classes() throws ClassNotFoundException {
        ClassLoader loader = Warmup.class.getClassLoader();
        for (String name : CLASSES) Class.forName(name, true, loader);
    }

    private static void gzip() throws IOException {
        try (GZIPOutputStream out = new GZIPOutputStream(new ByteArrayOutputStream())) {
            out.write(new byte[64]);
        }
    }
}
