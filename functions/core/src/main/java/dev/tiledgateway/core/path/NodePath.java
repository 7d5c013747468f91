package dev.tiledgateway.core.path;

import dev.tiledgateway.core.http.PercentEncoding;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The address of a node: its keys from the root down; the root has none. */
public record NodePath(List<String> parts) implements Comparable<NodePath> {

    public static final NodePath ROOT = new NodePath(List.of());

    public NodePath {
        parts = List.copyOf(parts);
        for (String p : parts) {
            if (p.isEmpty() || p.indexOf('/') >= 0) throw new IllegalArgumentException("invalid node key: '" + p + "'");
        }
    }

    /**
     * Parses a slash-joined path as it appears in a URL: empty segments are dropped, segments percent-decoded
     * as UTF-8 ('+' is a plus). A malformed escape, bytes that are not UTF-8, or a key holding '/' (an
     * encoded {@code %2F}: no key can hold it, so it never names another node) are an
     * {@link IllegalArgumentException}.
     */
    public static NodePath parseUrl(String raw) {
        List<String> parts = new ArrayList<>();
        for (String seg : raw.split("/")) {
            if (seg.isEmpty()) continue;
            String key = percentDecode(seg);
            if (key.indexOf('/') >= 0) throw new IllegalArgumentException("A node key cannot contain '/' (an encoded %2F in the path)");
            parts.add(key);
        }
        return new NodePath(parts);
    }

    private static String percentDecode(String seg) {
        if (seg.indexOf('%') < 0) return seg;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(seg.length());
        for (int i = 0; i < seg.length(); ) {
            if (seg.charAt(i) == '%') {
                int hi = i + 2 < seg.length() ? Character.digit(seg.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(seg.charAt(i + 2), 16);
                if (lo < 0) throw new IllegalArgumentException("Malformed percent-encoding in the path");
                bytes.write(hi * 16 + lo);
                i += 3;
            } else {
                int cp = seg.codePointAt(i);
                bytes.writeBytes(Character.toString(cp).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("The path is not percent-encoded UTF-8");
        }
    }

    /** Parses a slash-joined path of plain keys (no percent-decoding); empty segments are dropped. */
    public static NodePath of(String slashJoined) {
        List<String> parts = new ArrayList<>();
        for (String seg : slashJoined.split("/")) if (!seg.isEmpty()) parts.add(seg);
        return new NodePath(parts);
    }

    public boolean isRoot() { return parts.isEmpty(); }

    /** The last key, or "" for the root (Tiled's resource id). */
    public String key() { return parts.isEmpty() ? "" : parts.get(parts.size() - 1); }

    public NodePath parent() {
        if (parts.isEmpty()) throw new IllegalStateException("the root has no parent");
        return new NodePath(parts.subList(0, parts.size() - 1));
    }

    public NodePath child(String key) {
        List<String> p = new ArrayList<>(parts);
        p.add(key);
        return new NodePath(p);
    }

    public int depth() { return parts.size(); }

    /** Keys joined by '/', "" for the root. */
    public String joined() { return String.join("/", parts); }

    /** Keys joined by '/', each percent-encoded for use in a URL path. */
    public String urlEncoded() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) b.append('/');
            b.append(encodeSegment(parts.get(i)));
        }
        return b.toString();
    }

    /** RFC 3986's unreserved characters stay as they are. */
    private static String encodeSegment(String s) { return PercentEncoding.encode(s, "-._~"); }

    @Override
    public int compareTo(NodePath o) { return joined().compareTo(o.joined()); }

    @Override
    public String toString() { return "/" + joined(); }
}
