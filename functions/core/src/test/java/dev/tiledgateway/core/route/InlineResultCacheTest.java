package dev.tiledgateway.core.route;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class InlineResultCacheTest {

    @Test
    void keepsBodiesByEtagAndCountsHits() {
        InlineResultCache c = new InlineResultCache(1000, 10, 500);
        byte[] a = {1, 2, 3};
        c.put("a", a);
        assertSame(a, c.get("a"));
        assertNull(c.get("b"));
        assertEquals(1, c.hits());
        assertEquals(1, c.misses());
        c.put("a", new byte[] {4});
        assertArrayEquals(new byte[] {4}, c.get("a"), "a newer body under the same ETag replaces the old");
        assertEquals(1, c.bytes());
    }

    @Test
    void staysWithinItsBytesDroppingTheLeastRecentlyUsed() {
        InlineResultCache c = new InlineResultCache(300, 100, 300);
        c.put("a", new byte[100]);
        c.put("b", new byte[100]);
        c.put("c", new byte[100]);
        c.get("a"); // a is now the most recently used
        c.put("d", new byte[100]);
        assertNull(c.get("b"), "the least recently used body goes first");
        assertEquals(300, c.bytes());
        assertEquals(3, c.size());
        c.put("e", new byte[250]);
        assertEquals(250, c.bytes());
        assertEquals(1, c.size());
    }

    @Test
    void staysWithinItsEntries() {
        InlineResultCache c = new InlineResultCache(1 << 20, 4, 1 << 20);
        for (int i = 0; i < 50; i++) c.put("k" + i, new byte[10]);
        assertEquals(4, c.size());
        assertEquals(40, c.bytes());
        assertNull(c.get("k45"));
        assertEquals(10, c.get("k49").length);
    }

    @Test
    void neverKeepsABodyOverTheEntryLimit() {
        InlineResultCache c = new InlineResultCache(1000, 10, 100);
        c.put("small", new byte[100]);
        c.put("big", new byte[101]);
        assertNull(c.get("big"));
        assertEquals(100, c.bytes());
        InlineResultCache none = new InlineResultCache(0, 0, 0);
        none.put("x", new byte[0]);
        assertEquals(0, none.size());
    }
}
