package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Listing as the client does it (spec §1.3, §3.3, §9): keys, counts, pages, next links, reverse order. */
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
}
