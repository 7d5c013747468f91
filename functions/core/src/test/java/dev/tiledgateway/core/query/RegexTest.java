package dev.tiledgateway.core.query;

import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Regex semantics, and that a hostile pattern is refused instead of holding the thread. */
class RegexTest {

    private static Node child(String value) {
        return Node.container(NodePath.of("c"), Json.object().put("name", value), List.of());
    }

    @Test
    void searchesRatherThanMatchesWhole() {
        assertTrue(new Regex("name", "u.a", true).matches(child("Cu-Fe uXa")));
        assertFalse(new Regex("name", "^u", true).matches(child("Cu")));
        assertTrue(new Regex("name", "^cu$", false).matches(child("CU")));
        assertTrue(new Regex("name", "ÉTÉ", false).matches(child("été")), "case-insensitive beyond ASCII");
        assertFalse(new Regex("name", "x", true).matches(Node.container(NodePath.of("c"), Json.object().put("name", 1), List.of())), "only strings");
    }

    @Test
    void theClassicNestedQuantifierAnswersWithinTheBound() {
        // JDK 9+ memoizes group loops, so (a+)+$ no longer backtracks exponentially; it must still answer, not hang.
        assertFalse(new Regex("name", "(a+)+$", true).matches(child("a".repeat(5000) + "b")));
    }

    @Test
    void catastrophicBacktrackingIsA400NotAHang() {
        // A back-reference defeats the JDK's memoization: this takes exponential time in the length of the a's
        // (seconds at 25, ages at 5000) when read without a bound.
        String text = "a".repeat(5000) + "b";
        Regex evil = new Regex("name", "((a+)+)\\2$", true);
        TiledException e = assertThrows(TiledException.class, () -> evil.matches(child(text)));
        assertEquals(400, e.status());
        assertTrue(e.detail().contains("too many steps"), e.detail());
        Regex polynomial = new Regex("name", "(.*a){20}", true);
        assertEquals(400, assertThrows(TiledException.class, () -> polynomial.matches(child("a".repeat(19) + "x".repeat(200)))).status());
    }

    @Test
    void ordinaryPatternsOnLongValuesStayWithinTheBound() {
        String text = "x".repeat(2000) + "foo";
        assertTrue(new Regex("name", ".*foo", true).matches(child(text)), "a leading .* is quadratic, and allowed on values this long");
        assertTrue(new Regex("name", "[a-z]+o$", true).matches(child(text)));
    }

    @Test
    void aSearchSharesOneBudgetAcrossChildren() {
        Regex quadratic = new Regex("name", ".*y", true);
        Node big = child("x".repeat(2000));
        try (Regex.Budget ignored = Regex.budget()) {
            TiledException e = assertThrows(TiledException.class, () -> {
                for (int i = 0; i < 1000; i++) quadratic.matches(big);
            });
            assertEquals(400, e.status());
        }
        assertFalse(quadratic.matches(big), "outside a search only the per-match bound applies");
    }

    @Test
    void deepRecursionInTheMatcherIsA400() {
        // (a|b)* recurses once per character in java.util.regex.
        Regex alternation = new Regex("name", "(a|b)*c", true);
        String text = "ab".repeat(200_000);
        TiledException e = assertThrows(TiledException.class, () -> alternation.matches(child(text)));
        assertEquals(400, e.status());
    }

    @Test
    void patternsAreCheckedWhenMade() {
        assertThrows(IllegalArgumentException.class, () -> new Regex("name", "(", true));
        assertThrows(IllegalArgumentException.class, () -> new Regex("name", "a".repeat(Regex.MAX_PATTERN_CHARS + 1), true));
        assertThrows(IllegalArgumentException.class, () -> new Regex("a..b", "x", true));
    }
}
