package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Listing and searching as the client does it (spec §1.3, §3.3, §3.4, §8, §9): keys, counts, pages, next links,
 * reverse order on the demo tree; then, on {@link SearchFixture}'s tree, every request the real client sent for
 * its queries ({@code client-requests/queries.txt}, verbatim) with the answer each must get, next links through
 * filtered results, distinct, select_metadata, the about document's query list, a query type added by a plug-in,
 * and the bad inputs, each a 4xx with a detail.
 */
class SearchHttpTest {

    private static final List<String> ROOT_KEYS = List.of("scalars", "nested", "tables", "structured_data", "flat_array", "low_entropy", "high_entropy", "dynamic");

    private final Http http = DemoServer.http();

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        for (JsonNode d : page.get("data")) out.add(d.get("id").asText());
        return out;
    }

    @Test
    void reprRequestGivesTheFirstPageAndTheCount() throws Exception {
        JsonNode p = http.json("/api/v1/search/?page%5Boffset%5D=0&fields=");
        assertEquals(ROOT_KEYS, ids(p));
        assertEquals(8, p.at("/meta/count").asInt());
        assertTrue(p.at("/links/next").isNull());
        JsonNode first = p.get("data").get(0);
        assertTrue(first.at("/attributes/structure_family").isNull());
        assertEquals(http.origin() + "/api/v1/metadata/scalars", first.at("/links/self").asText());
        assertEquals("[]", first.at("/attributes/ancestors").toString());
    }

    @Test
    void lenAsksForTheCountOnly() throws Exception {
        JsonNode p = http.json("/api/v1/search/nested/images?fields=count");
        assertEquals(4, p.at("/meta/count").asInt());
        assertEquals(0, p.get("data").size());
    }

    @Test
    void iterationFollowsNextLinksToTheEnd() throws Exception {
        List<String> seen = new ArrayList<>();
        String url = "/api/v1/search/?page%5Blimit%5D=2&fields=";
        int pages = 0;
        while (url != null) {
            JsonNode p = http.json(url);
            seen.addAll(ids(p));
            JsonNode next = p.at("/links/next");
            url = next.isNull() ? null : next.asText().replace("[", "%5B").replace("]", "%5D") + "&fields=";
            assertTrue(++pages < 10, "next links must end");
        }
        assertEquals(ROOT_KEYS, seen);
        assertEquals(4, pages);
    }

    @Test
    void linksUseLiteralBrackets() throws Exception {
        JsonNode p = http.json("/api/v1/search/?page%5Boffset%5D=2&page%5Blimit%5D=2&fields=");
        assertEquals(http.origin() + "/api/v1/search/?page[offset]=2&page[limit]=2", p.at("/links/self").asText());
        assertEquals(http.origin() + "/api/v1/search/?page[limit]=2", p.at("/links/first").asText());
        assertEquals(http.origin() + "/api/v1/search/?page[offset]=4&page[limit]=2", p.at("/links/next").asText());
    }

    @Test
    void headSlicesAndValues() throws Exception {
        assertEquals(ROOT_KEYS.subList(0, 5), ids(http.json("/api/v1/search/?page%5Boffset%5D=0&page%5Blimit%5D=5&fields=")));
        JsonNode values = http.json("/api/v1/search/?page%5Boffset%5D=1&page%5Blimit%5D=2");
        assertEquals(List.of("nested", "tables"), ids(values));
        assertEquals("container", values.at("/data/0/attributes/structure_family").asText());
        assertEquals(6, values.at("/data/0/attributes/structure/count").asInt());
    }

    @Test
    void reverseOrderForTailAndLast() throws Exception {
        assertEquals(List.of("dynamic", "high_entropy", "low_entropy"), ids(http.json("/api/v1/search/?page%5Boffset%5D=0&page%5Blimit%5D=3&fields=&sort=-")));
        assertEquals(List.of("dynamic"), ids(http.json("/api/v1/search/?page%5Blimit%5D=1&fields=&sort=-_")));
        assertEquals(ROOT_KEYS, ids(http.json("/api/v1/search/?fields=&sort=_")));
    }

    @Test
    void sortByKey() throws Exception {
        assertEquals(List.of("big_image", "medium_image", "small_image", "tiny_image"), ids(http.json("/api/v1/search/nested/images?fields=&sort=id")));
    }

    @Test
    void limitsAreClampedAndZeroIsEmpty() throws Exception {
        JsonNode big = http.json("/api/v1/search/?page%5Blimit%5D=100000&fields=");
        assertEquals(8, big.get("data").size());
        assertTrue(big.at("/links/self").asText().endsWith("page[limit]=300"));
        JsonNode zero = http.json("/api/v1/search/?page%5Blimit%5D=0");
        assertEquals(0, zero.get("data").size());
        assertEquals(8, zero.at("/meta/count").asInt());
        assertTrue(zero.at("/links/next").isNull());
        JsonNode past = http.json("/api/v1/search/?page%5Boffset%5D=50");
        assertEquals(0, past.get("data").size());
        assertTrue(past.at("/links/next").isNull());
    }

    @Test
    void mistakesAre400Or404() throws Exception {
        assertEquals(400, http.get("/api/v1/search/?page%5Boffset%5D=-1").statusCode());
        assertEquals(400, http.get("/api/v1/search/?page%5Blimit%5D=ten").statusCode());
        assertEquals(400, http.get("/api/v1/search/?sort=a&sort=a").statusCode());
        assertEquals(400, http.get("/api/v1/search/?sort=-&sort=id").statusCode());
        assertEquals(400, http.get("/api/v1/search/?sort=%24bad").statusCode());
        assertEquals(400, http.get("/api/v1/search/?filter%5Bnope%5D%5Bcondition%5D%5Btext%5D=x").statusCode());
        assertEquals(404, http.get("/api/v1/search/flat_array").statusCode());
        assertEquals(404, http.get("/api/v1/search/nope").statusCode());
    }

    // ---- queries, on the search fixture's tree

    private final Http q = SearchFixture.http();

    private static final String RED = "filter%5Beq%5D%5Bcondition%5D%5Bkey%5D=color&filter%5Beq%5D%5Bcondition%5D%5Bvalue%5D=%22red%22";

    /** A response's body as JSON, decoded from MessagePack (by msgpack-java) when that is what came. */
    private static JsonNode body(HttpResponse<byte[]> r) throws IOException {
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (type.equals("application/x-msgpack")) {
            try (MessageUnpacker u = MessagePack.newDefaultUnpacker(r.body())) {
                return Json.parse(u.unpackValue().toJson());
            }
        }
        if (type.equals("application/json")) return Json.parse(r.body());
        return null;
    }

    /** One recorded request and what came back. */
    private record Answer(RecordedRequests.Request request, int status, JsonNode body) {
        boolean isSearch() { return request.pathAndQuery().startsWith("/api/v1/search/"); }
        boolean countOnly() { return request.pathAndQuery().contains("fields=count"); }
    }

    /** Each search of the call answers 200 with this count, and their pages together hold these ids in order. */
    private static Consumer<List<Answer>> listing(int count, String... ids) {
        return answers -> {
            List<String> seen = new ArrayList<>();
            for (Answer a : answers) {
                assertEquals(200, a.status(), a.request() + " " + a.body());
                if (!a.isSearch()) continue;
                assertEquals(count, a.body().at("/meta/count").asInt(), "count of " + a.request());
                if (a.countOnly()) assertEquals(0, a.body().get("data").size());
                else seen.addAll(ids(a.body()));
            }
            assertEquals(List.of(ids), seen);
        };
    }

    private static Consumer<List<Answer>> refused(int status, String detailStart) {
        return answers -> {
            for (Answer a : answers) {
                assertEquals(status, a.status(), a.request().toString());
                assertTrue(a.body().get("detail").asText().startsWith(detailStart), a.body().toString());
            }
        };
    }

    /** value (as JSON text) -> count (null when not counted), from a distinct list. */
    private static Map<String, Long> counted(JsonNode list) {
        Map<String, Long> m = new LinkedHashMap<>();
        Long before = null;
        for (JsonNode v : list) {
            Long c = v.get("count").isNull() ? null : v.get("count").asLong();
            if (before != null && c != null) assertTrue(before >= c, "most frequent first: " + list);
            before = c;
            m.put(v.get("value").toString(), c);
        }
        return m;
    }

    private static Map<String, Long> map(Object... valueCount) {
        Map<String, Long> m = new HashMap<>();
        for (int i = 0; i < valueCount.length; i += 2) m.put((String) valueCount[i], valueCount[i + 1] == null ? null : ((Number) valueCount[i + 1]).longValue());
        return m;
    }

    /** The last answer of the call: 200, its body checked. */
    private static Consumer<List<Answer>> last(Consumer<JsonNode> check) {
        return answers -> {
            for (Answer a : answers) assertEquals(200, a.status(), a.request() + " " + a.body());
            check.accept(answers.get(answers.size() - 1).body());
        };
    }

    /** Every item of every search page carries {@code {"selected": null}} as its metadata ({@code select_metadata=false}). */
    private static Consumer<List<Answer>> selectedNothing(int count, String... ids) {
        return listing(count, ids).andThen(answers -> {
            for (Answer a : answers) for (JsonNode item : a.body().get("data")) assertEquals("{\"selected\":null}", item.at("/attributes/metadata").toString());
        });
    }

    /** What each recorded client call must get on the fixture's tree, by its Python line. */
    private static Map<String, Consumer<List<Answer>>> expectations() {
        Map<String, Consumer<List<Answer>>> e = new LinkedHashMap<>();
        String all = "nested,a,b,t,g,e,r2";
        e.put("list(c.search(Key(\"color\") == \"red\"))", listing(3, "nested", "a", "r2"));
        e.put("list(c.search(Key(\"x\") != 1))", listing(5, "nested", "a", "b", "g", "r2"));
        e.put("list(c.search(Key(\"x\") > 1.5))", listing(2, "nested", "r2"));
        e.put("list(c.search(Key(\"x\") < 1.5))", listing(2, "b", "t"));
        e.put("list(c.search(Key(\"x\") >= 1.5))", listing(3, "nested", "a", "r2"));
        e.put("list(c.search(Key(\"x\") <= 1.5))", listing(3, "a", "b", "t"));
        e.put("list(c.search(FullText(\"dog cat\")))", listing(2, "nested", "b"));
        e.put("list(c.search(Regex(\"name\", \"^a.*\", case_sensitive=False)))", listing(4, "a", "b", "t", "g"));
        e.put("list(c.search(Regex(\"name\", \"^a.*\")))", listing(3, "a", "t", "g"));
        e.put("list(c.search(Eq(\"sample.name\", \"α β\")))", listing(1, "nested"));
        e.put("list(c.search(NotEq(\"sample.name\", \"α β\")))", listing(2, "t", "r2"));
        e.put("list(c.search(Comparison(\"lt\", \"n\", 3)))", listing(1, "a"));
        e.put("list(c.search(Comparison(\"gt\", \"n\", 3)))", listing(3, "nested", "b", "r2"));
        e.put("list(c.search(Contains(\"tags\", \"x\")))", listing(2, "nested", "a"));
        e.put("list(c.search(In(\"color\", [\"red\", \"blue\"])))", listing(5, "nested", "a", "b", "t", "r2"));
        e.put("list(c.search(NotIn(\"color\", [\"red\", \"blue\"])))", listing(1, "g"));
        e.put("list(c.search(KeyPresent(\"a.b\")))", listing(1, "nested"));
        e.put("list(c.search(KeyPresent(\"a\", exists=False)))", listing(3, "g", "e", "r2"));
        e.put("list(c.search(Like(\"name\", \"a%_b\")))", listing(2, "t", "g"));
        e.put("list(c.search(SpecsQuery([\"xarray_dataset\"], exclude=[\"foo\"])))", listing(1, "g"));
        e.put("list(c.search(SpecsQuery([\"xarray_dataset\"])))", listing(2, "g", "r2"));
        e.put("list(c.search(SpecQuery(\"xarray_dataset\")))", listing(2, "g", "r2"));
        e.put("list(c.search(StructureFamilyQuery(\"array\")))", listing(4, "a", "b", "g", "e"));
        e.put("list(c.search(KeysFilter([\"a\", \"b\"])))", listing(2, "a", "b"));
        e.put("list(c.search(Key(\"flag\") == True))", listing(1, "a"));
        e.put("list(c.search(Key(\"x\") == None))", listing(1, "g"));
        e.put("list(c.search(Key(\"x\") == 1.0))", listing(1, "t"));
        e.put("list(c.search(Key(\"d\") == {\"a\": [1, 2], \"b\": \"c,d\"}))", listing(1, "a"));
        e.put("list(c.search(Key(\"s\") == \"a&b=c+d/e?f#g%h\"))", listing(1, "b"));
        e.put("list(c.search(FullText(\"a,b\")))", listing(2, "b", "g"));
        e.put("list(c.search(In(\"color\", [])))", listing(0));
        e.put("list(c.search(AccessBlobFilter(\"bill\", [\"t1\", \"t2\"])))", refused(400, "Unknown query type 'access_blob_filter'"));
        e.put("list(c.search(AccessBlobFilter(None, [\"t1\"])))", refused(400, "Unknown query type 'access_blob_filter'"));
        e.put("list(c.search(Key(\"a\") == 1).search(Key(\"b\") == \"x\"))", listing(2, "a", "b"));
        e.put("list(c.search(Key(\"a\") == 1).search(Key(\"b\") == \"x\").search(Key(\"c\") == 2))", listing(1, "a"));
        e.put("list(c.search(Key(\"a\") == 1).search(Key(\"x\") > 2))", listing(0));
        e.put("list(c.search(Key(\"x\") > 1).search(Key(\"x\") < 5))", listing(3, "nested", "a", "r2"));
        e.put("list(c.search(Key(\"a\") == 1).search(FullText(\"dog\")).search(StructureFamilyQuery(\"array\")))", listing(1, "b"));
        e.put("list(c.search(Key(\"color\") == \"red\").sort((\"color\", 1), (\"n\", -1)))", listing(3, "nested", "r2", "a"));
        e.put("list(c.sort((\"color\", 1), (\"n\", -1)))", listing(7, "b", "t", "g", "nested", "r2", "a", "e"));
        e.put("[k for k in c.search(Key(\"color\") == \"red\")]", listing(3, "nested", "a", "r2"));
        e.put("[k for k in c.search(Key(\"color\") == \"red\").sort((\"color\", 1), (\"n\", -1))]", listing(3, "nested", "r2", "a"));
        e.put("c.search(Key(\"color\") == \"red\").sort((\"color\", 1), (\"n\", -1)).keys().last()", listing(3, "a"));
        e.put("c.sort((\"color\", 1), (\"n\", -1)).keys().last()", listing(7, "a"));
        e.put("c.sort((\"_\", 1)).keys().last()", listing(7, "r2"));
        e.put("c.search(Key(\"color\") == \"red\")[\"nested\"]", listing(1, "nested"));
        e.put("c.search(Key(\"color\") == \"red\")[\"nested\", \"x\"]", listing(1, "nested"));
        e.put("c.search(Key(\"color\") == \"red\").sort((\"color\", 1), (\"n\", -1))[\"nested\"]", listing(1, "nested"));
        e.put("len(c.search(Key(\"color\") == \"red\"))", listing(3));
        e.put("repr(c.search(Key(\"color\") == \"red\"))", listing(3, "nested", "a", "r2"));
        e.put("c.search(Key(\"color\") == \"red\").keys()[:3]", listing(3, "nested", "a", "r2"));
        e.put("c.search(Key(\"color\") == \"red\").keys()[2:5]", listing(3, "r2"));
        e.put("c.search(Key(\"color\") == \"red\").keys().first()", listing(3, "nested"));
        e.put("c.search(Key(\"color\") == \"red\").keys().last()", listing(3, "r2"));
        e.put("c.search(Key(\"color\") == \"red\").keys()[-1:-4:-1]", listing(3, "r2", "a", "nested"));
        e.put("c.search(Key(\"color\") == \"red\").keys().tail(3)", listing(3, "r2", "a", "nested"));
        e.put("len(c.search(Key(\"color\") == \"red\").keys())", listing(3));
        e.put("list(c.search(Key(\"color\") == \"red\").keys().page_size(3))", listing(3, "nested", "a", "r2"));
        e.put("list(c.search(Key(\"color\") == \"red\").items())", listing(3, "nested", "a", "r2"));
        e.put("c.search(Key(\"color\") == \"red\").values().first()", listing(3, "nested"));
        e.put("c.search(Key(\"color\") == \"red\").values().last()", listing(3, "r2"));
        e.put("c.new_variation(include_data_sources=True).search(Key(\"color\") == \"red\")[\"nested\"]", listing(1, "nested"));
        e.put("c.distinct(\"color\")", last(d -> {
            assertEquals(map("\"red\"", null, "\"blue\"", null, "\"green\"", null), counted(d.at("/metadata/color")));
            assertTrue(d.get("structure_families").isNull());
            assertTrue(d.get("specs").isNull());
        }));
        e.put("c.distinct(\"color\", \"sample.name\", structure_families=True, specs=True, counts=True)", last(d -> {
            assertEquals(List.of("\"red\"", "\"blue\"", "\"green\""), List.copyOf(counted(d.at("/metadata/color")).keySet()), "counts 3, 2, 1: in that order");
            assertEquals(map("\"red\"", 3, "\"blue\"", 2, "\"green\"", 1), counted(d.at("/metadata/color")));
            assertEquals(map("\"α β\"", 1, "\"Cu\"", 1, "\"αβ\"", 1), counted(d.at("/metadata/sample.name")));
            assertEquals(map("\"array\"", 4, "\"container\"", 2, "\"table\"", 1), counted(d.get("structure_families")));
            assertEquals(map("[]", 5, "[{\"name\":\"xarray_dataset\",\"version\":null}]", 1,
                    "[{\"name\":\"xarray_dataset\",\"version\":null},{\"name\":\"foo\",\"version\":null}]", 1), counted(d.get("specs")));
        }));
        e.put("c.distinct(structure_families=True)", last(d -> {
            assertTrue(d.get("metadata").isNull(), "no metadata keys asked: null");
            assertEquals(map("\"array\"", null, "\"container\"", null, "\"table\"", null), counted(d.get("structure_families")));
            assertTrue(d.get("specs").isNull());
        }));
        e.put("c.search(Key(\"color\") == \"red\").distinct(\"color\", \"sample.name\", structure_families=True, specs=True, counts=True)", last(d -> {
            assertEquals(map("\"red\"", 3), counted(d.at("/metadata/color")));
            assertEquals(map("\"α β\"", 1, "\"αβ\"", 1), counted(d.at("/metadata/sample.name")));
            assertEquals(map("\"container\"", 2, "\"array\"", 1), counted(d.get("structure_families")));
            assertEquals(map("[]", 2, "[{\"name\":\"xarray_dataset\",\"version\":null},{\"name\":\"foo\",\"version\":null}]", 1), counted(d.get("specs")));
        }));
        e.put("c.search(Key(\"color\") == \"red\").sort((\"color\", 1)).distinct(\"color\")",
                last(d -> assertEquals(map("\"red\"", null), counted(d.at("/metadata/color")))));
        e.put("c[\"nested\"].distinct(\"color\", counts=True)", last(d -> assertEquals(map("\"red\"", 1), counted(d.at("/metadata/color")))));
        e.put("CompositeClient(...).get_contents()", selectedNothing(7, all.split(",")));
        e.put("CompositeClient(...).get_contents(include_metadata=True)", listing(7, all.split(",")));
        e.put("CompositeClient(...).search(Key(\"color\") == \"red\").get_contents()", selectedNothing(3, "nested", "a", "r2"));
        e.put("len(c)", listing(7));
        e.put("list(c)", listing(7, all.split(",")));
        e.put("c.keys().last()", listing(7, "r2"));
        e.put("c.keys()[-1:-4:-1]", listing(7, "r2", "e", "g"));
        e.put("list(c.keys().page_size(3))", listing(7, all.split(",")));
        e.put("list(c.items())", listing(7, all.split(",")));
        e.put("list(c[\"nested\"])", listing(2, "x", "long"));
        return e;
    }

    private List<Answer> send(RecordedRequests.Call call) throws IOException, InterruptedException {
        List<Answer> answers = new ArrayList<>();
        for (RecordedRequests.Request r : call.requests()) {
            HttpResponse<byte[]> resp = q.send(r.method(), r.pathAndQuery(), null, "Accept", r.accept() == null ? "*/*" : r.accept());
            answers.add(new Answer(r, resp.statusCode(), body(resp)));
        }
        return answers;
    }

    @Test
    void everyRecordedClientCallGetsTheAnswerOfItsQueries() throws Exception {
        Map<String, Consumer<List<Answer>>> expected = expectations();
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (RecordedRequests.Call call : RecordedRequests.load()) {
            List<Answer> answers = send(call);
            for (Answer a : answers) if (a.status() >= 500) failures.add(call.python() + ": " + a.status() + " for " + a.request());
            Consumer<List<Answer>> check = expected.get(call.python());
            boolean queries = call.requests().stream().anyMatch(r -> r.pathAndQuery().matches(".*(filter%5B|/distinct/|select_metadata|sort=).*"));
            if (check == null) {
                if (queries) failures.add(call.python() + ": recorded with queries but has no expectation here");
                for (Answer a : answers) if (a.status() != 200) failures.add(call.python() + ": " + a.status() + " for " + a.request());
                continue;
            }
            try {
                check.accept(answers);
                checked++;
            } catch (AssertionError e) {
                failures.add(call.python() + ": " + e.getMessage());
            }
        }
        assertEquals(List.of(), failures);
        assertEquals(expected.size(), checked, "every expectation met a recorded call");
    }

    @Test
    void searchAndDistinctAnswerInMessagePackWhenAsked() throws Exception {
        HttpResponse<byte[]> s = q.get("/api/v1/search/?fields=&" + RED, "Accept", "application/x-msgpack");
        assertEquals("application/x-msgpack", s.headers().firstValue("Content-Type").orElse(""));
        assertEquals(List.of("nested", "a", "r2"), ids(body(s)));
        HttpResponse<byte[]> d = q.get("/api/v1/distinct/?metadata=color&counts=true", "Accept", "application/x-msgpack");
        assertEquals("application/x-msgpack", d.headers().firstValue("Content-Type").orElse(""));
        assertEquals(3, body(d).at("/metadata/color/0/count").asInt());
        assertEquals("application/json", q.get("/api/v1/distinct/?metadata=color").headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void nextLinksFollowedAsGivenPageThroughTheFilteredSortedResults() throws Exception {
        String url = "/api/v1/search/?page%5Blimit%5D=2&fields=&" + RED + "&sort=-n";
        List<String> seen = new ArrayList<>();
        int pages = 0;
        while (url != null) {
            JsonNode p = q.json(url);
            assertEquals(3, p.at("/meta/count").asInt());
            seen.addAll(ids(p));
            JsonNode next = p.at("/links/next");
            // Followed without adding anything: the link itself carries the filters and the sort.
            url = next.isNull() ? null : next.asText();
            assertTrue(++pages < 5, "next links must end");
        }
        assertEquals(List.of("nested", "r2", "a"), seen);
        assertEquals(2, pages);
        JsonNode first = q.json("/api/v1/search/?page%5Blimit%5D=2&" + RED);
        assertEquals(q.origin() + "/api/v1/search/?page[offset]=2&page[limit]=2&filter[eq][condition][key]=color&filter[eq][condition][value]=%22red%22",
                first.at("/links/next").asText());
    }

    @Test
    void countsAreExactForFilteredSearches() throws Exception {
        JsonNode zero = q.json("/api/v1/search/?page%5Blimit%5D=0&" + RED);
        assertEquals(3, zero.at("/meta/count").asInt());
        assertEquals(0, zero.get("data").size());
        assertTrue(zero.at("/links/next").isNull());
        JsonNode past = q.json("/api/v1/search/?page%5Boffset%5D=10&" + RED);
        assertEquals(3, past.at("/meta/count").asInt());
        assertEquals(0, past.get("data").size());
        JsonNode nested = q.json("/api/v1/search/nested?fields=count&filter%5Bkeypresent%5D%5Bcondition%5D%5Bkey%5D=blob");
        assertEquals(1, nested.at("/meta/count").asInt());
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    @Test
    void selectMetadataReplacesMetadataWithWhatItSelects() throws Exception {
        assertEquals("{\"selected\":\"red\"}", q.json("/api/v1/metadata/a?select_metadata=color").at("/data/attributes/metadata").toString());
        assertEquals("{\"selected\":{\"c\":\"red\",\"first\":1}}",
                q.json("/api/v1/metadata/a?select_metadata=" + enc("{c: color, first: d.a[0]}")).at("/data/attributes/metadata").toString());
        assertEquals("{\"selected\":[\"x\"]}", q.json("/api/v1/metadata/a?select_metadata=" + enc("tags[*]")).at("/data/attributes/metadata").toString());
        assertEquals("{\"selected\":null}", q.json("/api/v1/metadata/e?select_metadata=color").at("/data/attributes/metadata").toString());
        JsonNode page = q.json("/api/v1/search/?select_metadata=" + enc("sample.name") + "&" + RED);
        List<String> selected = new ArrayList<>();
        for (JsonNode item : page.get("data")) selected.add(item.at("/attributes/metadata/selected").toString());
        assertEquals(List.of("\"α β\"", "null", "\"αβ\""), selected);
        JsonNode keysOnly = q.json("/api/v1/search/?fields=&select_metadata=color");
        assertTrue(keysOnly.at("/data/0/attributes/metadata").isNull(), "metadata not asked for stays null");
        JsonNode withoutMetadata = q.json("/api/v1/metadata/a?fields=structure_family&select_metadata=color");
        assertTrue(withoutMetadata.at("/data/attributes/metadata").isNull());
    }

    @Test
    void theAboutDocumentListsExactlyTheQueriesAnswered() throws Exception {
        List<String> names = new ArrayList<>();
        q.json("/api/v1/").get("queries").forEach(n -> names.add(n.asText()));
        assertEquals(List.of("fulltext", "lookup", "keys_filter", "regex", "eq", "noteq", "comparison", "contains", "in", "notin",
                "keypresent", "like", "specs", "structure_family", "key_prefix"), names, "the built-ins, then the test plug-in; no access_blob_filter");
    }

    @Test
    void aQueryTypeFromAPluginIsAnsweredWithoutTouchingTheRouter() throws Exception {
        assertEquals(List.of("r2"), ids(q.json("/api/v1/search/?fields=&filter%5Bkey_prefix%5D%5Bcondition%5D%5Bprefix%5D=r")));
        assertEquals(List.of("nested"), ids(q.json("/api/v1/search/?fields=&filter%5Bkey_prefix%5D%5Bcondition%5D%5Bprefix%5D=n&" + RED)));
        assertEquals(400, q.get("/api/v1/search/?filter%5Bkey_prefix%5D%5Bcondition%5D%5Bprefix%5D=").statusCode());
        JsonNode d = q.json("/api/v1/distinct/?metadata=color&counts=true&filter%5Bkey_prefix%5D%5Bcondition%5D%5Bprefix%5D=a");
        assertEquals(1, d.at("/metadata/color/0/count").asInt());
    }

    private static String f(String query, String field, String value) {
        return "filter%5B" + query + "%5D%5Bcondition%5D%5B" + field + "%5D=" + enc(value);
    }

    @Test
    void badInputsAre4xxWithADetailNeverServerErrors() throws Exception {
        StringBuilder longList = new StringBuilder("[");
        for (int i = 0; i <= 1000; i++) longList.append(i == 0 ? "" : ",").append(i);
        StringBuilder manyFilters = new StringBuilder();
        for (int i = 0; i <= 50; i++) manyFilters.append('&').append(f("fulltext", "text", "w" + i));
        Map<String, Integer> cases = new LinkedHashMap<>();
        cases.put("/api/v1/search/?" + f("nope", "x", "1"), 400);
        cases.put("/api/v1/search/?filter%5Beq%5D=1", 400);
        cases.put("/api/v1/search/?" + f("eq", "key", "color") + "&" + f("eq", "value", "red"), 400);
        cases.put("/api/v1/search/?" + f("eq", "key", "color"), 400);
        cases.put("/api/v1/search/?" + f("eq", "key", "color") + "&" + f("eq", "key", "n") + "&" + f("eq", "value", "1"), 400);
        cases.put("/api/v1/search/?" + f("eq", "key", "") + "&" + f("eq", "value", "1"), 400);
        cases.put("/api/v1/search/?" + f("eq", "key", "a..b") + "&" + f("eq", "value", "1"), 400);
        cases.put("/api/v1/search/?" + f("eq", "key", "a") + "&" + f("eq", "value", "1") + "&" + f("eq", "bogus", "1"), 400);
        cases.put("/api/v1/search/?" + f("in", "key", "n") + "&" + f("in", "value", "3"), 400);
        cases.put("/api/v1/search/?" + f("in", "key", "n") + "&" + f("in", "value", longList + "]"), 400);
        cases.put("/api/v1/search/?" + f("like", "key", "name") + "&" + f("like", "pattern", "a%"), 400);
        cases.put("/api/v1/search/?" + f("fulltext", "text", " ,; "), 400);
        cases.put("/api/v1/search/?" + manyFilters.substring(1), 400);
        cases.put("/api/v1/search/?" + f("regex", "key", "name") + "&" + f("regex", "pattern", "(unclosed"), 400);
        cases.put("/api/v1/search/nested?" + f("regex", "key", "blob") + "&" + f("regex", "pattern", "((a+)+)\\2$"), 400);
        cases.put("/api/v1/search/?" + f("comparison", "operator", "eq") + "&" + f("comparison", "key", "n") + "&" + f("comparison", "value", "1"), 422);
        cases.put("/api/v1/search/?" + f("structure_family", "value", "dataframe"), 422);
        cases.put("/api/v1/search/?" + f("regex", "key", "name") + "&" + f("regex", "pattern", "a") + "&" + f("regex", "case_sensitive", "maybe"), 422);
        cases.put("/api/v1/search/?" + f("keypresent", "key", "a") + "&" + f("keypresent", "exists", "2"), 422);
        cases.put("/api/v1/search/?select_metadata=" + enc("foo["), 400);
        cases.put("/api/v1/metadata/a?select_metadata=" + enc("abs(color)"), 400);
        cases.put("/api/v1/metadata/a?select_metadata=" + enc("[@,@][] | [@,@][] | [@,@][] | [@,@][] | [@,@][] | [@,@][] | [@,@][] | [@,@][] | [@,@][]"
                + " | [@,@][] | [@,@][] | [@,@][] | [@,@][] | [@,@][] | [@,@][] | [@,@][] | [@,@][] | [@,@][] | [@,@][] | [@,@][] | [@,@][] | [@,@][]"
                + " | [@,@][] | [@,@][] | [@,@][]"), 400);
        cases.put("/api/v1/metadata/a?select_metadata=" + enc("[@,@]" + " | [@,@]".repeat(40)), 400); // 2^41 copies, shared until written out
        cases.put("/api/v1/metadata/a?select_metadata=x&select_metadata=y", 400);
        cases.put("/api/v1/distinct/?metadata=color&counts=maybe", 422);
        cases.put("/api/v1/distinct/?metadata=", 400);
        cases.put("/api/v1/distinct/?metadata=a..b", 400);
        cases.put("/api/v1/distinct/?" + f("nope", "x", "1"), 400);
        cases.put("/api/v1/distinct/a?metadata=color", 405);
        cases.put("/api/v1/distinct/nope?metadata=color", 404);
        cases.put("/api/v1/search/a?" + RED, 404);
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Integer> c : cases.entrySet()) {
            HttpResponse<byte[]> r = q.get(c.getKey());
            String type = r.headers().firstValue("Content-Type").orElse("");
            JsonNode detail = type.equals("application/json") ? Json.parse(r.body()).get("detail") : null;
            if (r.statusCode() != c.getValue() || detail == null || !detail.isTextual() || detail.asText().isEmpty())
                failures.add(c.getKey() + " -> " + r.statusCode() + " " + type + " " + new String(r.body(), StandardCharsets.UTF_8));
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void theDetailsSayWhatIsWrong() throws Exception {
        String unknown = Http.detailOf(q.get("/api/v1/search/?" + f("nope", "x", "1"))).asText();
        assertTrue(unknown.startsWith("Unknown query type 'nope'") && unknown.contains("fulltext"), unknown);
        String json = Http.detailOf(q.get("/api/v1/search/?" + f("eq", "key", "color") + "&" + f("eq", "value", "red"))).asText();
        assertTrue(json.contains("must be JSON"), json);
        String select = Http.detailOf(q.get("/api/v1/metadata/a?select_metadata=" + enc("foo["))).asText();
        assertTrue(select.startsWith("Malformed 'select_metadata' parameter raised JMESPathError"), select);
        String regex = Http.detailOf(q.get("/api/v1/search/nested?" + f("regex", "key", "blob") + "&" + f("regex", "pattern", "((a+)+)\\2$"))).asText();
        assertTrue(regex.contains("too many steps"), regex);
        assertFalse(regex.contains("aaaaaaaaaa"), "the detail does not echo the stored value");
    }
}
