package dev.tiledgateway.formats.table;

import dev.tiledgateway.core.array.CorruptDataException;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** CSV text split into rows of fields: RFC 4180 quoting, LF or CRLF, the delimiter sniffed from the first lines. */
final class CsvText {

    private static final char[] DELIMITERS = {',', ';', '\t', '|'};
    private static final int SNIFF_LINES = 20;

    private CsvText() {}

    static String decode(byte[] bytes) throws CorruptDataException {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return s.startsWith("\uFEFF") ? s.substring(1) : s;
        } catch (CharacterCodingException e) {
            throw new CorruptDataException("CSV object is not UTF-8 text", e);
        }
    }

    /** The delimiter that splits the first lines into the same number (above one) of fields most often; ',' by default. */
    static char sniff(String text) {
        char best = ',';
        int bestScore = 0;
        for (char d : DELIMITERS) {
            List<List<String>> rows = parse(text, d, SNIFF_LINES);
            if (rows.isEmpty()) continue;
            int width = rows.getFirst().size();
            int score = 0;
            for (List<String> r : rows) if (r.size() == width && width > 1) score++;
            if (score > bestScore) {
                best = d;
                bestScore = score;
            }
        }
        return best;
    }

    /** At most {@code limit} non-blank rows (all when negative). */
    static List<List<String>> parse(String text, char delimiter, int limit) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false, wasQuoted = false;
        int i = 0, n = text.length();
        while (i < n && (limit < 0 || rows.size() < limit)) {
            char c = text.charAt(i++);
            if (quoted) {
                if (c != '"') field.append(c);
                else if (i < n && text.charAt(i) == '"') { field.append('"'); i++; }
                else quoted = false;
            } else if (c == '"' && field.isEmpty() && !wasQuoted) {
                quoted = wasQuoted = true;
            } else if (c == delimiter) {
                row.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i < n && text.charAt(i) == '\n') i++;
                endRow(rows, row, field, wasQuoted);
                row = new ArrayList<>();
                wasQuoted = false;
            } else {
                field.append(c);
            }
        }
        if (limit < 0 || rows.size() < limit) endRow(rows, row, field, wasQuoted);
        return rows;
    }

    private static void endRow(List<List<String>> rows, List<String> row, StringBuilder field, boolean wasQuoted) {
        if (row.isEmpty() && field.isEmpty() && !wasQuoted) return; // blank line
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
    }
}
