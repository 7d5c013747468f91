package dev.tiledgateway.core.http;

import dev.tiledgateway.core.error.TiledException;


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
        return ascii ? header : header + "; filename*=UTF-8''" + PercentEncoding.encode(filename, "!#$&+-.^_`|~"); // RFC 5987 attr-chars
    }

}
