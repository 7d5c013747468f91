package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connect sequence of {@code from_uri} and node lookups (spec §1.1, §3.1, §3.2, §4) over real HTTP. */
class MetadataHttpTest {

    private final Http http = DemoServer.http();

    @Test
    void theBareProbeAnswersWithoutRedirecting() throws Exception {
        HttpResponse<byte[]> r = http.get("/");
        assertEquals(200, r.statusCode());
    }

    @Test
    void aboutHasEveryKeyTheClientValidates() throws Exception {
        JsonNode about = http.json("/api/v1/", "Accept", "application/json", "Cache-Control", "no-cache, no-store");
        for (String k : List.of("api_version", "library_version", "formats", "aliases", "queries", "authentication", "links", "meta"))
            assertTrue(about.has(k), k);
        assertEquals(0, about.get("api_version").asInt());
        assertEquals("0.2.16", about.get("library_version").asText());
        assertFalse(about.at("/authentication/required").asBoolean());
        assertTrue(about.at("/authentication/providers").isEmpty());
        // No providers, but keys to manage: the five links the client's schema requires, whoami and apikey among them.
        for (String link : List.of("whoami", "apikey", "refresh_session", "revoke_session", "logout"))
            assertTrue(about.at("/authentication/links/" + link).asText().startsWith(http.origin() + "/api/v1/auth/"), link);
        assertEquals(http.origin() + "/api/v1", about.at("/links/self").asText());
        for (String family : List.of("array", "container", "table", "sparse", "awkward", "ragged")) assertTrue(about.get("formats").has(family), family);
        assertTrue(about.at("/formats/array").toString().contains("application/octet-stream"));
    }

    @Test
    void everyLinkOfTheAboutDocumentAnswersAndHealthSaysReady() throws Exception {
        JsonNode about = http.json("/api/v1/", "Accept", "application/json");
        about.get("links").fields().forEachRemaining(l -> {
            try {
                assertFalse(http.get(l.getValue().asText()).statusCode() == 404, l.getKey() + " -> " + l.getValue().asText());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals("ready", http.json("/healthz").path("status").asText(), "as Tiled answers it");
    }

    @Test
    void childrenKeepTheDemosOrder() throws Exception {
        JsonNode page = http.json("/api/v1/search/structured_data?fields=");
        List<String> keys = new java.util.ArrayList<>();
        page.get("data").forEach(d -> keys.add(d.get("id").asText()));
        assertEquals(List.of("pets", "xarray_dataset"), keys, "upstream's demo lists pets first");
    }

    @Test
    void theRootIsAContainerWithExactCountAndDefaultSorting() throws Exception {
        JsonNode root = http.json("/api/v1/metadata/").get("data");
        assertEquals("", root.get("id").asText());
        JsonNode a = root.get("attributes");
        assertEquals("container", a.get("structure_family").asText());
        assertEquals(8, a.at("/structure/count").asInt());
        assertTrue(a.at("/structure/contents").isNull());
        assertEquals("[{\"key\":\"\",\"direction\":1}]", a.get("sorting").toString());
        for (String k : List.of("ancestors", "structure_family", "specs", "metadata", "structure", "access_blob", "sorting", "data_sources"))
            assertTrue(a.has(k), k);
        assertEquals(http.origin() + "/api/v1/metadata/", root.at("/links/self").asText());
        assertEquals(http.origin() + "/api/v1/search/", root.at("/links/search").asText());
        assertEquals(http.origin() + "/api/v1/container/full/", root.at("/links/full").asText());
    }

    @Test
    void anArrayNodeCarriesItsStructureAndLinks() throws Exception {
        JsonNode d = http.json("/api/v1/metadata/nested/images/medium_image").get("data");
        assertEquals("medium_image", d.get("id").asText());
        assertEquals("[\"nested\",\"images\"]", d.at("/attributes/ancestors").toString());
        JsonNode s = d.at("/attributes/structure");
        assertEquals("{\"endianness\":\"little\",\"kind\":\"f\",\"itemsize\":8,\"dt_units\":null}", s.get("data_type").toString());
        assertEquals("[1000,1000]", s.get("shape").toString());
        assertEquals("[[250,250,250,250],[100,100,100,100,100,100,100,100,100,100]]", s.get("chunks").toString());
        assertTrue(s.has("dims") && s.get("dims").isNull());
        assertFalse(s.get("resizable").asBoolean());
        assertEquals(http.origin() + "/api/v1/array/full/nested/images/medium_image", d.at("/links/full").asText());
        assertEquals(http.origin() + "/api/v1/array/block/nested/images/medium_image?block={0},{1}", d.at("/links/block").asText());
        assertEquals(http.origin() + "/api/v1/array/block/scalars/pi?block=",
                http.json("/api/v1/metadata/scalars/pi").at("/data/links/block").asText());
    }

    @Test
    void containerMetadataIsServed() throws Exception {
        assertEquals("{\"animal\":\"cat\",\"color\":\"green\"}", http.json("/api/v1/metadata/nested").at("/data/attributes/metadata").toString());
        assertEquals("{\"numbers\":\"constants\",\"precision\":5}", http.json("/api/v1/metadata/scalars").at("/data/attributes/metadata").toString());
    }

    @Test
    void dtypesAreDescribedAsTheSpecSays() throws Exception {
        assertEquals("{\"endianness\":\"little\",\"kind\":\"U\",\"itemsize\":28,\"dt_units\":null}",
                http.json("/api/v1/metadata/scalars/e_arr").at("/data/attributes/structure/data_type").toString());
        assertEquals("{\"endianness\":\"little\",\"kind\":\"c\",\"itemsize\":16,\"dt_units\":null}",
                http.json("/api/v1/metadata/nested/complex").at("/data/attributes/structure/data_type").toString());
        JsonNode pets = http.json("/api/v1/metadata/structured_data/pets").at("/data/attributes/structure/data_type");
        assertEquals(48, pets.get("itemsize").asInt());
        assertEquals("name", pets.at("/fields/0/name").asText());
        assertEquals(40, pets.at("/fields/0/dtype/itemsize").asInt());
        assertEquals("[]", http.json("/api/v1/metadata/scalars/pi").at("/data/attributes/structure/shape").toString());
    }

    @Test
    void unknownNodesAre404InTiledsWording() throws Exception {
        HttpResponse<byte[]> r = http.get("/api/v1/metadata/nested/nope");
        assertEquals(404, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        assertEquals("No such entry: ['nested', 'nope']", Http.detailOf(r).asText());
    }

    @Test
    void emptyPathSegmentsAndPercentEncodingAreIgnored() throws Exception {
        assertEquals("images", http.json("/api/v1/metadata//nested//images/").at("/data/id").asText());
        assertEquals("images", http.json("/api/v1/metadata/%6Eested/images").at("/data/id").asText());
    }

    @Test
    void linksFollowForwardedHostAndProtoFromATrustedProxy(@org.junit.jupiter.api.io.TempDir java.nio.file.Path empty) throws Exception {
        // The demo server trusts no proxy (forged headers are ignored there: HostileRequestsHttpTest); this one trusts loopback.
        Main.Running behindProxy = Main.serveDirectory("127.0.0.1", 0, empty, DemoServer.MAX_INLINE, java.util.Set.of("127.0.0.1"));
        try {
            JsonNode d = new Http(behindProxy)
                    .json("/api/v1/metadata/", "X-Forwarded-Host", "data.example.org", "X-Forwarded-Proto", "https").get("data");
            assertEquals("https://data.example.org/api/v1/search/", d.at("/links/search").asText());
        } finally {
            behindProxy.server().close();
        }
    }

    @Test
    void fieldsSelectAttributes() throws Exception {
        JsonNode a = http.json("/api/v1/metadata/nested/complex?fields=metadata").at("/data/attributes");
        assertTrue(a.get("structure").isNull());
        assertEquals("{}", a.get("metadata").toString());
        assertTrue(http.json("/api/v1/metadata/nested?omit_links=true").at("/data/links").isNull());
    }

    @Test
    void dataSourcesOnRequest() throws Exception {
        JsonNode ds = http.json("/api/v1/metadata/flat_array?include_data_sources=true").at("/data/attributes/data_sources/0");
        assertEquals("application/x-zarr", ds.get("mimetype").asText());
        assertTrue(ds.at("/assets/0/is_directory").asBoolean());
        assertTrue(ds.at("/assets/0/data_uri").asText().matches("(file|s3)://.*flat_array/?"), ds.at("/assets/0/data_uri").asText());
    }

    @Test
    void badQueryValuesAre400NotServerErrors() throws Exception {
        assertEquals(400, http.get("/api/v1/metadata/?fields=bogus").statusCode());
        assertEquals(400, http.get("/api/v1/metadata/?omit_links=maybe").statusCode());
        assertEquals(400, http.get("/api/v1/metadata/?max_depth=9").statusCode());
        assertEquals(400, http.get("/api/v1/metadata/?select_metadata=foo%5B").statusCode(), "a malformed JMESPath expression");
    }

    @Test
    void unknownRoutesAndMethods() throws Exception {
        assertEquals(404, http.get("/api/v1/nonsense/x").statusCode());
        assertEquals(404, http.get("/api/v2/").statusCode());
        assertEquals(405, http.send("DELETE", "/api/v1/search/", null).statusCode());
    }
}
