package dev.tiledgateway.core.path;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How a URL path names a node: percent-decoded UTF-8 keys, and nothing that could name another node. */
class NodePathTest {

    @Test
    void segmentsArePercentDecodedAsUtf8() {
        assertEquals(List.of("nested", "\u00e9t\u00e9", "a b", "x+y"), NodePath.parseUrl("/nested/%C3%A9t%C3%A9/a%20b/x+y").parts());
        assertEquals(List.of("\u00e9t\u00e9", "\uD83D\uDE00"), NodePath.parseUrl("\u00e9t\u00e9/\uD83D\uDE00").parts(), "raw UTF-8 as sent");
        assertEquals(List.of("a", "b"), NodePath.parseUrl("//a///b/").parts());
    }

    @Test
    void anEncodedSlashIsRefusedRatherThanSplitOrDropped() {
        for (String raw : new String[] {"nested%2Fimages", "nested%2fimages", "a/b%2F"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodePath.parseUrl(raw), raw);
            assertEquals("A node key cannot contain '/' (an encoded %2F in the path)", e.getMessage());
        }
    }

    @Test
    void malformedEscapesAndBytesThatAreNotUtf8AreRefused() {
        for (String raw : new String[] {"%zz", "a%", "a%2", "%e9t%e9", "%C3", "%FF%FE"}) {
            assertThrows(IllegalArgumentException.class, () -> NodePath.parseUrl(raw), raw);
        }
    }
}
