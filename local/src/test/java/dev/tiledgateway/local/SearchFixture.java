package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.api.ApiHandler;
import dev.tiledgateway.authorizer.AuthorizerHandler;
import dev.tiledgateway.aws.AwsBackendFactory;
import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.core.auth.Access;
import dev.tiledgateway.core.auth.Authenticator;
import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.backend.Backend;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.route.Gateway;
import dev.tiledgateway.core.route.GatewayConfig;
import dev.tiledgateway.embedded.EmbeddedBackendFactory;
import dev.tiledgateway.testkit.MotoServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A server whose root holds a small tree of nodes with metadata chosen for the queries the Tiled client sends
 * ({@code client-requests/queries.txt} was recorded against a root, with keys color, n, x, name, sample.name, tags,
 * a, b, c, d, s, flag): on the embedded stores, or with {@code -Dtiled.test.backend=aws} on DynamoDB and S3 in
 * moto, as {@link DemoServer} does. Anonymous reads are allowed. One per test JVM.
 *
 * <p>The root's children, in creation order (see {@link #CHILDREN}): {@code nested} (a container, with children
 * {@code x} and {@code long}), {@code a}, {@code b}, {@code t} (a table), {@code g} (spec xarray_dataset),
 * {@code e} (no metadata), {@code r2} (a container, specs xarray_dataset and foo).
 */
final class SearchFixture {

    static final List<String> CHILDREN = List.of("nested", "a", "b", "t", "g", "e", "r2");

    private static LocalServer server;

    private SearchFixture() {}

    static synchronized Http http() {
        if (server == null) server = start();
        return new Http(server.port());
    }

    private static LocalServer start() {
        try {
            Backend b;
            if (DemoServer.aws()) {
                URI moto = MotoServer.shared().endpoint();
                String id = UUID.randomUUID().toString().substring(0, 8);
                b = AwsBackendFactory.open(AwsClients.emulated(moto, moto), "search-" + id, "", "search-" + id, true);
            } else {
                b = EmbeddedBackendFactory.open(Files.createTempDirectory("tiled-gateway-search-test"), null);
            }
            populate(b.catalog());
            Authenticator.Settings settings = new Authenticator.Settings(Scopes.PUBLIC, null);
            // The short form of the wiring: the query registry is discovered, so the test plug-in joins by its services file.
            ApiHandler api = new ApiHandler(Gateway.router(b.catalog(), b.store(), GatewayConfig.defaults(), new Access(settings, b.apiKeys())));
            LocalServer s = new LocalServer("127.0.0.1", 0, api, new AuthorizerHandler(new Authenticator(settings, b.apiKeys(), Clock.systemUTC())),
                    null, new BlobUrls(), new ResultLeases(Clock.systemUTC()), Set.of());
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String singleQuoted) {
        try {
            return Json.parse(singleQuoted.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put(Catalog c, String path, StructureFamily family, String metadata, List<Spec> specs) {
        ObjectNode md = (ObjectNode) json(metadata);
        NodePath p = NodePath.of(path);
        if (family == StructureFamily.CONTAINER) {
            c.put(Node.container(p, md, specs));
            return;
        }
        ObjectNode structure = Json.object();
        if (family == StructureFamily.TABLE) structure.putArray("columns");
        else structure.putArray("shape").add(1);
        c.put(new Node(p, family, md, specs, structure, null, null, 0));
    }

    private static void populate(Catalog c) {
        List<Spec> none = List.of();
        put(c, "nested", StructureFamily.CONTAINER, "{'color': 'red', 'n': 5, 'x': 2, 'sample': {'name': 'α β'}, 'tags': ['x', 'y'], 'a': {'b': 1},"
                + " 'text': 'the dog'}", none);
        put(c, "nested/x", StructureFamily.ARRAY, "{'color': 'red'}", none);
        put(c, "nested/long", StructureFamily.ARRAY, "{'blob': '" + "a".repeat(3000) + "b'}", none);
        put(c, "a", StructureFamily.ARRAY, "{'color': 'red', 'n': 2, 'x': 1.5, 'name': 'apple', 'a': 1, 'b': 'x', 'c': 2, 'flag': true, 'tags': ['x'],"
                + " 'd': {'a': [1, 2], 'b': 'c,d'}}", none);
        put(c, "b", StructureFamily.ARRAY, "{'color': 'blue', 'n': 4, 'x': 0.5, 'name': 'Avocado', 'a': 1, 'b': 'x', 'c': 3, 'flag': false,"
                + " 's': 'a&b=c+d/e?f#g%h', 'text': 'dog, cat!'}", none);
        put(c, "t", StructureFamily.TABLE, "{'color': 'blue', 'n': 3, 'x': 1, 'name': 'aXYb', 'sample': {'name': 'Cu'}, 'tags': 'x', 'a': {'c': 1}}", none);
        put(c, "g", StructureFamily.ARRAY, "{'color': 'green', 'n': '1', 'x': null, 'name': 'a%_b', 'text': 'Été à Paris', 'tags': ['y']}",
                List.of(new Spec("xarray_dataset", null)));
        put(c, "e", StructureFamily.ARRAY, "{}", none);
        put(c, "r2", StructureFamily.CONTAINER, "{'color': 'red', 'n': 5, 'x': 3, 'sample': {'name': 'αβ'}}",
                List.of(new Spec("xarray_dataset", null), new Spec("foo", null)));
    }
}
