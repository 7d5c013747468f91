package dev.tiledgateway.core.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reading Accept and Accept-Encoding values: ranges, weights, and sloppy input. */
class AcceptTest {

    @Test
    void theMostSpecificRangeGivesTheWeight() {
        List<Accept.Item> items = Accept.parse("text/*;q=0.3, text/csv;q=0.7, */*;q=0.1, text/html;level=1");
        assertEquals(0.7, Accept.quality(items, "text/csv"));
        assertEquals(0.3, Accept.quality(items, "text/plain"));
        assertEquals(0.1, Accept.quality(items, "image/png"));
        assertEquals(1.0, Accept.quality(items, "text/html"));
        assertEquals(0.0, Accept.quality(Accept.parse("text/csv"), "text/html"));
    }

    @Test
    void preferenceIsByWeightThenHeaderOrderWithoutRefusals() {
        List<String> order = Accept.byPreference(Accept.parse("a/b;q=0.5, c/d, e/f;q=0, g/h;q=0.5, i/j")).stream().map(Accept.Item::value).toList();
        assertEquals(List.of("c/d", "i/j", "a/b", "g/h"), order);
    }

    @Test
    void malformedWeightsAndEmptyItemsAreForgiven() {
        List<Accept.Item> items = Accept.parse(" ,application/JSON; q=abc,, image/png;q=7 ;");
        assertEquals(List.of("application/json", "image/png"), items.stream().map(Accept.Item::value).toList());
        assertEquals(1.0, items.get(0).q());
        assertEquals(1.0, items.get(1).q());
    }

    @Test
    void codingsByNameOrStar() {
        assertEquals(0.0, Accept.quality(Accept.parse("gzip;q=0, *"), "gzip"));
        assertEquals(1.0, Accept.quality(Accept.parse("gzip;q=0, *"), "zstd"));
        assertEquals(0.0, Accept.quality(Accept.parse("br"), "gzip"));
    }
}
