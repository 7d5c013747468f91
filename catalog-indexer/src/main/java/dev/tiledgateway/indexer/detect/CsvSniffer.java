package dev.tiledgateway.indexer.detect;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether the first bytes of an object are CSV: UTF-8 text without NUL bytes whose first lines
 * split (RFC 4180 quoting) into the same number of fields by one of the delimiters the CSV reader
 * sniffs ({@code , ; tab |}), or, named {@code .csv}, into one field each (a one-column table). Without a
 * {@code .csv} name the bar is higher: at least two columns and two lines, since any one-column text would
 * otherwise pass.
 */
final class CsvSniffer {

    private static final char[] DELIMITERS = {',', ';', '\t', '|'};
    private static final int LINES = 20;

    private CsvSniffer() {}

    /** Empty if the text looks like CSV; else why not. {@code complete}: the bytes are the whole object. */
    static Optional<String> whyNot(byte[] head, boolean complete, boolean named) {
        for (byte b : head) if (b == 0) return Optional.of("is binary (contains NUL bytes)");
        String text = decode(head, complete);
        if (text == null) return Optional.of("is not UTF-8 text");
        List<String> lines = new ArrayList<>();
        for (String l : text.split("\r?\n", -1)) {
            if (lines.size() == LINES) break;
            lines.add(l);
        }
        if (!complete && lines.size() > 1 && lines.size() < LINES) lines.remove(lines.size() - 1); // cut mid-line
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
        if (lines.isEmpty()) return Optional.of("has no lines");
        for (char d : DELIMITERS) {
            int n = fields(lines.get(0), d);
            if (n < 2) continue;
            boolean consistent = true;
            for (String l : lines) if (fields(l, d) != n) consistent = false;
            if (consistent && (named || lines.size() >= 2)) return Optional.empty();
        }
        if (named) {
            // A one-column table (no delimiter anywhere: "a\n5\n"), as pandas and Tiled read it.
            boolean oneColumn = true;
            for (String l : lines) for (char d : DELIMITERS) if (fields(l, d) != 1) oneColumn = false;
            if (oneColumn) return Optional.empty();
            return Optional.of("its first lines do not split into the same number of fields");
        }
        return Optional.of("is not delimited text with two or more columns");
    }

    /** Number of fields of one line, quotes respected (a quoted field spanning lines counts as one line here). */
    private static int fields(String line, char delimiter) {
        int n = 1;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') quoted = !quoted;
            else if (c == delimiter && !quoted) n++;
        }
        return n;
    }

    private static String decode(byte[] bytes, boolean complete) {
        int len = bytes.length;
        if (!complete) {
            // Drop a UTF-8 sequence cut at the end of the sample.
            int i = len - 1;
            while (i >= 0 && i >= len - 4 && (bytes[i] & 0xC0) == 0x80) i--;
            if (i >= 0 && (bytes[i] & 0x80) != 0) len = i;
        }
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, len));
            return cb.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
