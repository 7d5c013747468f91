package dev.tiledgateway.core.path;

import java.net.URLDecoder;
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

    /** Parses a slash-joined path as it appears in a URL: empty segments are dropped, segments percent-decoded. */
    public static NodePath parseUrl(String raw) {
        List<String> parts = new ArrayList<>();
        for (String seg : raw.split("/")) {
            if (seg.isEmpty()) continue;
            String key = URLDecoder.decode(seg.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (key.isEmpty() || key.indexOf('/') >= 0) continue;
            parts.add(key);
        }
        return new NodePath(parts);
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

    private static String encodeSegment(String s) {
        StringBuilder b = new StringBuilder();
        for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
            int u = c & 0xff;
            if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || "-._~".indexOf(u) >= 0) b.append((char) u);
            else b.append('%').append(Character.toUpperCase(Character.forDigit(u >> 4, 16))).append(Character.toUpperCase(Character.forDigit(u & 15, 16)));
        }
        return b.toString();
    }

    @Override
    public int compareTo(NodePath o) { return joined().compareTo(o.joined()); }

    @Override
    public String toString() { return "/" + joined(); }
}
