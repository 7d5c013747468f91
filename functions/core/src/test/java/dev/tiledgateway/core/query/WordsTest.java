package dev.tiledgateway.core.query;

import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Full-text words: normalization, folding, marks, scripts. */
class WordsTest {

    @Test
    void wordsAreRunsOfLettersAndDigitsFolded() {
        assertEquals(Set.of("hello", "world", "42"), Words.of("Hello, WORLD! 42"));
        assertEquals(List.of("sample", "name", "cu", "fe"), List.copyOf(Words.of("sample_name: Cu-Fe")));
    }

    @Test
    void accentsNeverSplitAWordAndBothFormsAgree() {
        String composed = "caf\u00e9";
        String decomposed = "cafe\u0301";
        assertEquals(Set.of(composed), Words.of(decomposed));
        assertEquals(Words.of(composed), Words.of(decomposed));
        assertEquals(Set.of("cafe"), Words.of("cafe"), "an accent is part of the word: cafe is not café");
    }

    @Test
    void foldingIsPerCodePointAndLocaleFree() {
        assertEquals(Words.of("σοφος"), Words.of("ΣΟΦΟΣ"));
        assertEquals(Words.of("σοφοσ"), Words.of("σοφος"), "final sigma folds to sigma");
        assertEquals(Set.of("i"), Words.of("I"));
        assertEquals(Set.of("straße"), Words.of("STRAßE"));
        assertEquals(Set.of("abc"), Words.of("ＡＢＣ"), "full-width letters are their ASCII forms (NFKC)");
    }

    @Test
    void cjkRunsAreOneWord() {
        assertEquals(Set.of("東京大学"), Words.of("東京大学"));
        assertEquals(Set.of("東京", "大学"), Words.of("東京 大学"));
    }

    @Test
    void metadataWordsComeFromStringValuesAtAnyDepth() throws Exception {
        var md = Json.parse("{\"Title\": \"Dog\", \"n\": 5, \"deep\": {\"list\": [\"Red fox\", {\"x\": \"cat\"}]}}");
        assertEquals(Set.of("dog", "red", "fox", "cat"), Words.of(md));
    }
}
