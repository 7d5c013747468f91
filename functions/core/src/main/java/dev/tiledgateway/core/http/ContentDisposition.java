package dev.tiledgateway.core.http;

import dev.tiledgateway.core.error.TiledException;

import java.nio.charset.StandardCharsets;

/** The {@code Content-Disposition} of a download whose file name the client chose (RFC 6266). */
public final class ContentDisposition {

    private ContentDisposition() {}

    /**
     * {@code attachment} with {@code filename}: an ASCII fallback in {@code filename="..."}, and the exact name
     * in {@code filename*=UTF-8''...} when it is not plain ASCII. Control characters (CR and LF above all,
     * which would end the header) are a 400: no name needs them.
     */
    public static String attachment(String filename) {
        StringBuilder fallback = new StringBuilder();
        boolean ascii = true;
        for (int i = 0; i < filename.length(); ) {
            int cp = filename.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) throw TiledException.badRequest("filename may not contain control characters");
            if (cp >= 0x80) {
                ascii = false;
                fallback.append('_');
            } else if (cp == '"' || cp == '\\') {
                fallback.append('_');
            } else {
                fallback.append((char) cp);
            }
        }
        String header = "attachment; filename=\"" + fallback + "\"";
        return ascii ? header : header + "; filename*=UTF-8''" + encode(filename);
    }

    /** RFC 5987 value characters kept, every other byte of the UTF-8 percent-encoded. */
    private static String encode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0) b.append((char) c);
            else b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
        }
        return b.toString();
    }
}
