package dev.tiledgateway.core.http;

import java.nio.charset.StandardCharsets;

/** Percent-encoding of UTF-8 text, keeping ASCII letters, digits and a given set of other characters. */
public final class PercentEncoding {

    private PercentEncoding() {}

    public static String encode(String s, String alsoKept) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || alsoKept.indexOf(c) >= 0) b.append((char) c);
            else b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
        }
        return b.toString();
    }
}
