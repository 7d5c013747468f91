package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.api.ApiHandler;
import dev.tiledgateway.authorizer.AuthorizerHandler;
import dev.tiledgateway.aws.AwsBackendFactory;
import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.core.auth.Access;
import dev.tiledgateway.core.auth.ApiKeySecrets;
import dev.tiledgateway.core.auth.Authenticator;
import dev.tiledgateway.core.auth.Scopes;
import dev.tiledgateway.core.backend.Backend;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.route.Gateway;
import dev.tiledgateway.core.route.GatewayConfig;
import dev.tiledgateway.embedded.EmbeddedBackendFactory;
import dev.tiledgateway.testkit.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PUT and PATCH {@code /metadata} and {@code /revisions} over real HTTP, with the bodies the Tiled client sends
 * ({@code replace_metadata}, {@code patch_metadata} and {@code update_metadata} of {@code tiled/client/base.py}, with
 * "content-type" inside the JSON body), on a public server whose writes need its key: on the embedded stores, or with
 * {@code -Dtiled.test.backend=aws} on DynamoDB and S3 in moto. Each test works on nodes of its own.
 */
class MetadataUpdateHttpTest {

    private static final String KEY = ApiKeySecrets.generate();
    private static Backend backend;
    private static LocalServer server;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        if (DemoServer.aws()) {
            URI moto = MotoServer.shared().endpoint();
            String id = UUID.randomUUID().toString().substring(0, 8);
            backend = AwsBackendFactory.open(AwsClients.emulated(moto, moto), "meta-" + id, "", "meta-" + id, true);
        } else {
            backend = EmbeddedBackendFactory.open(Files.createTempDirectory("tiled-gateway-metadata-test"), null);
        }
        Authenticator.Settings settings = new Authenticator.Settings(Scopes.PUBLIC, ApiKeySecrets.hash(KEY));
        ApiHandler api = new ApiHandler(Gateway.router(backend.catalog(), backend.store(), GatewayConfig.defaults(), new Access(settings, backend.apiKeys())));
        server = new LocalServer("127.0.0.1", 0, api, new AuthorizerHandler(new Authenticator(settings, backend.apiKeys(), Clock.systemUTC())),
                null, new BlobUrls(), new ResultLeases(Clock.systemUTC()), Set.of());
        server.start();
        http = new Http(server.port(), KEY);
    }

    @AfterAll
    static void stop() { server.close(); }

    private static JsonNode json(String singleQuoted) throws Exception { return Json.parse(singleQuoted.replace('\'', '"')); }

    /** A fresh array node at the root with this metadata and specs; its key. */
    private static String node(String metadata, String... specs) throws Exception {
        String key = "n-" + UUID.randomUUID();
        ObjectNode structure = Json.object();
        structure.putArray("shape").add(4);
        List<Spec> s = new ArrayList<>();
        for (String name : specs) s.add(new Spec(name, null));
        backend.catalog().put(new Node(NodePath.of(key), StructureFamily.ARRAY, (ObjectNode) json(metadata), s, structure, null, null, 0));
        return key;
    }

    private static HttpResponse<byte[]> put(String key, String body, String query) throws Exception {
        return http.send("PUT", "/api/v1/metadata/" + key + query, body.replace('\'', '"').getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json", "Accept", "application/json");
    }

    private static HttpResponse<byte[]> patch(String key, String body, String query) throws Exception {
        return http.send("PATCH", "/api/v1/metadata/" + key + query, body.replace('\'', '"').getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json", "Accept", "application/json");
    }

    private static JsonNode attributes(String key) throws Exception {
        return http.json("/api/v1/metadata/" + key, "Accept", "application/json").at("/data/attributes");
    }

    private static JsonNode revisions(String key, String query) throws Exception {
        return http.json("/api/v1/revisions/" + key + query, "Accept", "application/json");
    }

    private static void ok(HttpResponse<byte[]> r) {
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
    }

    private static String detail(HttpResponse<byte[]> r) throws Exception { return Http.detailOf(r).asText(); }

    // ---- PUT

    @Test
    void putReplacesMetadataAndSpecsAndSavesTheOldAsRevisionOne() throws Exception {
        String key = node("{'color': 'red', 'n': 1}", "old_spec");
        HttpResponse<byte[]> r = put(key, "{'metadata': {'color': 'blue'}, 'specs': [{'name': 'xdi', 'version': '1.0'}], 'access_blob': null}", "");
        ok(r);
        assertEquals(json("{'id': '" + key + "'}"), Json.parse(r.body()));
        JsonNode a = attributes(key);
        assertEquals(json("{'color': 'blue'}"), a.get("metadata"));
        assertEquals(json("[{'name': 'xdi', 'version': '1.0'}]"), a.get("specs"));

        JsonNode revs = revisions(key, "");
        assertEquals(1, revs.at("/meta/count").asInt());
        JsonNode first = revs.at("/data/0");
        assertEquals(1, first.get("revision_number").asInt());
        assertEquals(json("{'color': 'red', 'n': 1}"), first.at("/attributes/metadata"));
        assertEquals(json("[{'name': 'old_spec', 'version': null}]"), first.at("/attributes/specs"));
        assertTrue(first.at("/attributes/time_updated").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), first.toString());
    }

    @Test
    void putWithNullsLeavesThoseUnchanged() throws Exception {
        String key = node("{'color': 'red'}", "kept");
        ok(put(key, "{'metadata': null, 'specs': null, 'access_blob': null}", ""));
        assertEquals(json("{'color': 'red'}"), attributes(key).get("metadata"));
        ok(put(key, "{'metadata': {'color': 'green'}, 'specs': null}", ""));
        assertEquals(json("[{'name': 'kept', 'version': null}]"), attributes(key).get("specs"));
        assertEquals(2, revisions(key, "").at("/meta/count").asInt());
    }

    @Test
    void dropRevisionUpdatesWithoutSavingOne() throws Exception {
        String key = node("{'v': 0}");
        ok(put(key, "{'metadata': {'v': 1}, 'specs': null}", "?drop_revision=true"));
        ok(patch(key, "{'content-type': 'application/json-patch+json', 'metadata': [{'op': 'replace', 'path': '/v', 'value': 2}], 'specs': null}",
                "?drop_revision=true"));
        assertEquals(2, attributes(key).at("/metadata/v").asInt());
        assertEquals(0, revisions(key, "").at("/meta/count").asInt());
    }

    // ---- PATCH

    /** What {@code update_metadata({'color': 'blue', 'added': [1, 2]}, specs=['a', 'b'])} sends for a node with specs ['a']. */
    @Test
    void patchWithAJsonPatchAsTheClientComputesIt() throws Exception {
        String key = node("{'color': 'red', 'gone': 1}", "a");
        HttpResponse<byte[]> r = patch(key, "{'content-type': 'application/json-patch+json', 'metadata': ["
                + "{'op': 'remove', 'path': '/gone'}, {'op': 'replace', 'path': '/color', 'value': 'blue'}, {'op': 'add', 'path': '/added', 'value': [1, 2]}],"
                + " 'specs': [{'op': 'add', 'path': '/1', 'value': {'name': 'b', 'version': null}}], 'access_blob': null}", "");
        ok(r);
        assertEquals(json("{'id': '" + key + "'}"), Json.parse(r.body()), "no 'metadata' member: the client keeps what it patched");
        JsonNode a = attributes(key);
        assertEquals(json("{'color': 'blue', 'added': [1, 2]}"), a.get("metadata"));
        assertEquals(json("[{'name': 'a', 'version': null}, {'name': 'b', 'version': null}]"), a.get("specs"));
        assertEquals(json("{'color': 'red', 'gone': 1}"), revisions(key, "").at("/data/0/attributes/metadata"));
    }

    /** RFC 7386's introductory example, as {@code patch_metadata(..., content_type=MERGE_PATCH)} sends it. */
    @Test
    void patchWithAMergePatch() throws Exception {
        String key = node("{'a': 'b', 'c': {'d': 'e', 'f': 'g'}}", "x", "y");
        ok(patch(key, "{'content-type': 'application/merge-patch+json', 'metadata': {'a': 'z', 'c': {'f': null}}, 'specs': null, 'access_blob': null}", ""));
        JsonNode a = attributes(key);
        assertEquals(json("{'a': 'z', 'c': {'d': 'e'}}"), a.get("metadata"));
        assertEquals(2, a.get("specs").size(), "specs: null leaves them");
        ok(patch(key, "{'content-type': 'application/merge-patch+json', 'metadata': null, 'specs': [], 'access_blob': null}", ""));
        assertEquals(0, attributes(key).get("specs").size(), "specs: [] clears them");
        ok(patch(key, "{'content-type': 'application/merge-patch+json', 'metadata': {}, 'specs': [{'name': 'z', 'version': '2'}]}", ""));
        assertEquals(json("[{'name': 'z', 'version': '2'}]"), attributes(key).get("specs"));
        assertEquals(3, revisions(key, "").at("/meta/count").asInt());
    }

    @Test
    void aPatchThatDoesNotFitIsA409AndChangesNothing() throws Exception {
        String key = node("{'baz': 'qux'}");
        // RFC 6902 A.9: a failed test.
        HttpResponse<byte[]> r = patch(key, "{'content-type': 'application/json-patch+json', 'metadata': [{'op': 'add', 'path': '/new', 'value': 1},"
                + " {'op': 'test', 'path': '/baz', 'value': 'bar'}], 'specs': null}", "");
        assertEquals(409, r.statusCode());
        assertTrue(detail(r).contains("test"), detail(r));
        // RFC 6902 A.12: adding to a nonexistent target; and removing what is not there.
        assertEquals(409, patch(key, "{'content-type': 'application/json-patch+json', 'metadata': [{'op': 'add', 'path': '/baz/bat', 'value': 'qux'}]}", "").statusCode());
        assertEquals(409, patch(key, "{'content-type': 'application/json-patch+json', 'metadata': [{'op': 'remove', 'path': '/nothing'}]}", "").statusCode());
        assertEquals(json("{'baz': 'qux'}"), attributes(key).get("metadata"));
        assertEquals(0, revisions(key, "").at("/meta/count").asInt());
    }

    @Test
    void malformedPatchesAndBodiesAre4xx() throws Exception {
        String key = node("{'v': 0}", "a", "b");
        // RFC 6902 A.13: "op" twice in one operation.
        HttpResponse<byte[]> dup = patch(key, "{'content-type': 'application/json-patch+json', 'metadata': [{'op': 'add', 'path': '/baz', 'value': 'qux', 'op': 'remove'}]}", "");
        assertEquals(422, dup.statusCode());
        assertTrue(detail(dup).contains("twice"), detail(dup));
        assertEquals(406, patch(key, "{'content-type': 'application/xml', 'metadata': []}", "").statusCode());
        assertEquals(422, patch(key, "{'metadata': []}", "").statusCode(), "no content-type in the body");
        assertEquals(422, patch(key, "{'content-type': 'application/json-patch+json', 'metadata': [{'op': 'jump', 'path': '/v'}]}", "").statusCode());
        assertEquals(422, patch(key, "{'content-type': 'application/json-patch+json', 'metadata': [{'op': 'replace', 'path': '', 'value': [1]}]}", "").statusCode(),
                "metadata must stay an object");
        assertEquals(422, patch(key, "{'content-type': 'application/merge-patch+json', 'metadata': ['not', 'an', 'object']}", "").statusCode());
        assertEquals(422, put(key, "{'metadata': [1, 2]}", "").statusCode());
        assertEquals(422, put(key, "{'metadata': {'v': 1}", "").statusCode(), "not JSON");
        assertEquals(422, put(key, "[]", "").statusCode());
        HttpResponse<byte[]> text = http.send("PUT", "/api/v1/metadata/" + key, "{}".getBytes(StandardCharsets.UTF_8), "Content-Type", "text/plain");
        assertEquals(415, text.statusCode());
        assertEquals(json("{'v': 0}"), attributes(key).get("metadata"));
    }

    @Test
    void tooManyOrRepeatedSpecsAre422() throws Exception {
        String key = node("{}", "a", "b");
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 21; i++) many.append(i == 0 ? "" : ", ").append("'s").append(i).append('\'');
        assertEquals(422, put(key, "{'metadata': null, 'specs': " + many + "]}", "").statusCode());
        HttpResponse<byte[]> r = patch(key, "{'content-type': 'application/json-patch+json', 'metadata': [],"
                + " 'specs': [{'op': 'add', 'path': '/-', 'value': {'name': 'a', 'version': null}}]}", "");
        assertEquals(422, r.statusCode());
        assertTrue(detail(r).contains("non-unique"), detail(r));
        assertEquals(422, patch(key, "{'content-type': 'application/merge-patch+json', 'specs': [{'name': 'q'}, {'name': 'q'}]}", "").statusCode());
        assertEquals(2, attributes(key).get("specs").size());
    }

    @Test
    void missingNodesAre404() throws Exception {
        assertEquals(404, put("no-such-node", "{'metadata': {}}", "").statusCode());
        assertEquals(404, patch("no-such-node", "{'content-type': 'application/merge-patch+json', 'metadata': {}}", "").statusCode());
        assertEquals(404, http.get("/api/v1/revisions/no-such-node").statusCode());
        assertEquals(404, http.send("DELETE", "/api/v1/revisions/no-such-node?number=1", null).statusCode());
    }

    @Test
    void oversizedMetadataIs413AndAnOversizedBodyIsRefusedBeforeParsing() throws Exception {
        String key = node("{'v': 0}");
        String big = "x".repeat(Node.MAX_METADATA_BYTES);
        HttpResponse<byte[]> r = put(key, "{'metadata': {'blob': '" + big + "'}}", "");
        assertEquals(413, r.statusCode(), detail(r));
        HttpResponse<byte[]> huge = put(key, "{'metadata': {'blob': '" + big + big + big + "'}}", "");
        assertEquals(413, huge.statusCode());
        assertTrue(detail(huge).contains("at most"), detail(huge));
        // A patch that copies the document into itself, over and over: refused by its bound, not computed.
        StringBuilder copies = new StringBuilder("[");
        for (int i = 0; i < 40; i++) copies.append(i == 0 ? "" : ", ").append("{'op': 'copy', 'from': '', 'path': '/c").append(i).append("'}");
        assertEquals(413, patch(key, "{'content-type': 'application/json-patch+json', 'metadata': " + copies + "]}", "").statusCode());
        assertEquals(json("{'v': 0}"), attributes(key).get("metadata"));
        assertEquals(0, revisions(key, "").at("/meta/count").asInt());
    }

    // ---- revisions

    @Test
    void revisionsPageAsTheClientAsksForThem() throws Exception {
        String key = node("{'v': 0}");
        for (int i = 1; i <= 3; i++) ok(put(key, "{'metadata': {'v': " + i + "}}", ""));
        // len(node.metadata_revisions): page[limit]=0 for the count only, in msgpack.
        HttpResponse<byte[]> count = http.get("/api/v1/revisions/" + key + "?page[offset]=0&page[limit]=0", "Accept", "application/x-msgpack");
        assertEquals(200, count.statusCode());
        assertEquals("application/x-msgpack", count.headers().firstValue("Content-Type").orElse(""));
        JsonNode counted = revisions(key, "?page%5Boffset%5D=0&page%5Blimit%5D=0");
        assertEquals(3, counted.at("/meta/count").asInt());
        assertEquals(0, counted.get("data").size());

        JsonNode page = revisions(key, "?page[offset]=0&page[limit]=2");
        assertEquals(List.of(1, 2), numbers(page));
        String base = http.origin() + "/api/v1/revisions/" + key;
        assertEquals(base + "?page[limit]=2", page.at("/links/self").asText());
        assertEquals(base + "?page[limit]=2", page.at("/links/first").asText());
        assertEquals(base + "?page[offset]=2&page[limit]=2", page.at("/links/next").asText());
        JsonNode next = http.json(page.at("/links/next").asText(), "Accept", "application/json");
        assertEquals(List.of(3), numbers(next));
        assertEquals(2, next.at("/data/0/attributes/metadata/v").asInt());
        assertTrue(next.at("/links/next").isNull());
        assertTrue(next.get("error").isNull());
        // node.metadata_revisions[1]: offset 1, limit 1.
        assertEquals(List.of(2), numbers(revisions(key, "?page[offset]=1&page[limit]=1")));
        assertEquals(400, http.get("/api/v1/revisions/" + key + "?page[limit]=many").statusCode());
    }

    @Test
    void aRevisionsTimeIsAMsgpackTimestampAndInJsonTheSameInstantAsIsoText() throws Exception {
        String key = node("{'v': 0}");
        java.time.Instant before = java.time.Instant.now();
        ok(put(key, "{'metadata': {'v': 1}}", ""));
        java.time.Instant after = java.time.Instant.now();
        HttpResponse<byte[]> packed = http.get("/api/v1/revisions/" + key + "?page[offset]=0&page[limit]=1", "Accept", "application/x-msgpack");
        assertEquals(200, packed.statusCode());
        org.msgpack.value.Value time;
        try (org.msgpack.core.MessageUnpacker u = org.msgpack.core.MessagePack.newDefaultUnpacker(packed.body())) {
            org.msgpack.value.Value doc = u.unpackValue();
            org.msgpack.value.Value first = doc.asMapValue().map().get(org.msgpack.value.ValueFactory.newString("data")).asArrayValue().get(0);
            org.msgpack.value.Value attributes = first.asMapValue().map().get(org.msgpack.value.ValueFactory.newString("attributes"));
            time = attributes.asMapValue().map().get(org.msgpack.value.ValueFactory.newString("time_updated"));
        }
        assertTrue(time.isExtensionValue(), "a msgpack extension, as the client decodes to a datetime: " + time.getValueType());
        assertEquals(-1, time.asExtensionValue().getType());
        java.time.Instant t = time.asTimestampValue().toInstant();
        assertTrue(!t.isBefore(before.minusSeconds(1)) && !t.isAfter(after.plusSeconds(1)), t + " not within the update");
        String iso = revisions(key, "?page[offset]=0&page[limit]=1").at("/data/0/attributes/time_updated").asText();
        assertEquals(t, java.time.Instant.parse(iso), "JSON shows the same instant as ISO-8601 text");
    }

    private static List<Integer> numbers(JsonNode page) {
        List<Integer> out = new ArrayList<>();
        for (JsonNode d : page.get("data")) out.add(d.get("revision_number").asInt());
        return out;
    }

    @Test
    void deletingARevision() throws Exception {
        String key = node("{'v': 0}");
        for (int i = 1; i <= 3; i++) ok(put(key, "{'metadata': {'v': " + i + "}}", ""));
        HttpResponse<byte[]> r = http.send("DELETE", "/api/v1/revisions/" + key + "?number=2", null, "Accept", "application/json");
        ok(r);
        assertEquals("null", new String(r.body(), StandardCharsets.UTF_8));
        assertEquals(List.of(1, 3), numbers(revisions(key, "")));
        HttpResponse<byte[]> again = http.send("DELETE", "/api/v1/revisions/" + key + "?number=2", null);
        assertEquals(404, again.statusCode());
        assertTrue(detail(again).contains("No revision 2"), detail(again));
        assertEquals(422, http.send("DELETE", "/api/v1/revisions/" + key, null).statusCode(), "no number");
        assertEquals(422, http.send("DELETE", "/api/v1/revisions/" + key + "?number=two", null).statusCode());
        assertEquals(3, attributes(key).at("/metadata/v").asInt(), "the node is untouched");
    }

    // ---- who may, caches, concurrency, search

    @Test
    void updatesNeedTheKeyAndRevisionsAreReadableByAnyone() throws Exception {
        String key = node("{'v': 0}");
        Http anonymous = http.anonymous();
        HttpResponse<byte[]> r = anonymous.send("PUT", "/api/v1/metadata/" + key, "{\"metadata\": {}}".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json");
        assertEquals(401, r.statusCode());
        assertTrue(detail(r).contains("write:metadata"), detail(r));
        assertEquals(401, anonymous.send("DELETE", "/api/v1/revisions/" + key + "?number=1", null).statusCode());
        assertEquals(200, anonymous.get("/api/v1/revisions/" + key).statusCode());
        assertEquals(json("{'v': 0}"), attributes(key).get("metadata"));
    }

    @Test
    void anUpdateChangesTheMetadataETag() throws Exception {
        String key = node("{'v': 0}");
        HttpResponse<byte[]> before = http.get("/api/v1/metadata/" + key, "Accept", "application/json");
        String etag = before.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, http.get("/api/v1/metadata/" + key, "Accept", "application/json", "If-None-Match", etag).statusCode());
        ok(patch(key, "{'content-type': 'application/merge-patch+json', 'metadata': {'v': 1}}", ""));
        HttpResponse<byte[]> after = http.get("/api/v1/metadata/" + key, "Accept", "application/json", "If-None-Match", etag);
        assertEquals(200, after.statusCode());
        assertNotEquals(etag, after.headers().firstValue("ETag").orElseThrow());
        assertEquals(1, Json.parse(after.body()).at("/data/attributes/metadata/v").asInt());
    }

    /** Concurrent patches of one node, each adding its own key: the server re-applies a patch that lost a race, so all land. */
    @Test
    void concurrentPatchesAllLand() throws Exception {
        String key = node("{}");
        int n = 6;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<HttpResponse<byte[]>>> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                sent.add(pool.submit(() -> {
                    go.await();
                    return patch(key, "{'content-type': 'application/json-patch+json', 'metadata': [{'op': 'add', 'path': '/k" + k + "', 'value': " + k + "}]}", "");
                }));
            }
            go.countDown();
            for (Future<HttpResponse<byte[]>> f : sent) ok(f.get());
        } finally {
            pool.shutdownNow();
        }
        JsonNode md = attributes(key).get("metadata");
        for (int i = 0; i < n; i++) assertEquals(i, md.path("k" + i).asInt(-1), md.toString());
        assertEquals(n, revisions(key, "").at("/meta/count").asInt());
    }

    @Test
    void searchFollowsTheUpdate() throws Exception {
        String marker = "m" + UUID.randomUUID().toString().substring(0, 8);
        String key = node("{'tag': '" + marker + "-old'}");
        String old = "/api/v1/search/?filter%5Beq%5D%5Bcondition%5D%5Bkey%5D=tag&filter%5Beq%5D%5Bcondition%5D%5Bvalue%5D=%22" + marker + "-old%22";
        assertEquals(1, http.json(old, "Accept", "application/json").at("/meta/count").asInt());
        ok(patch(key, "{'content-type': 'application/merge-patch+json', 'metadata': {'tag': '" + marker + "-new'}}", ""));
        assertEquals(0, http.json(old, "Accept", "application/json").at("/meta/count").asInt());
        JsonNode found = http.json(old.replace("-old", "-new"), "Accept", "application/json");
        assertEquals(1, found.at("/meta/count").asInt());
        assertEquals(key, found.at("/data/0/id").asText());
    }

    @Test
    void theRootCannotBeUpdated() throws Exception {
        HttpResponse<byte[]> r = put("", "{'metadata': {'v': 1}}", "");
        assertEquals(405, r.statusCode());
        assertFalse(attributes("").path("metadata").has("v"));
    }
}
