package dev.tiledgateway.indexer.plan;

import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.indexer.IndexerSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How object keys map to node paths, and which keys are never registered.
 *
 * <p>A folder is a container, a file or a Zarr/Parquet folder a node whose key is its name without a
 * known format suffix: {@code runs/scan1.zarr/.zarray} is the array {@code runs/scan1}, {@code runs/t.csv}
 * the table {@code runs/t}. Upstream Tiled's {@code register} strips every suffix ({@code strip_suffixes});
 * here only the suffixes of formats the indexer reads are stripped, so folders named like dates or versions
 * ({@code 2024.05.01/}, {@code run.3/}) keep their names and do not collapse into one. The mapping is a
 * function of each name alone, so every event about one object agrees on its node.
 */
public final class KeyLayout {

    /** Stripped from a name to make its node key; compared without case. */
    static final List<String> FORMAT_SUFFIXES = List.of(".zarr", ".parquet", ".pq", ".csv", ".tiff", ".tif");

    private final IndexerSettings settings;

    public KeyLayout(IndexerSettings settings) { this.settings = settings; }

    public IndexerSettings settings() { return settings; }

    /** The store key of an event's object key, or empty when it lies outside the configured bucket and prefix. */
    public Optional<String> storeKey(String bucket, String objectKey) {
        if (settings.bucket() != null && bucket != null && !settings.bucket().equals(bucket)) return Optional.empty();
        if (!objectKey.startsWith(settings.keyPrefix())) return Optional.empty();
        String k = objectKey.substring(settings.keyPrefix().length());
        return k.isEmpty() ? Optional.empty() : Optional.of(k);
    }

    /** The object key of a store key (inverse of {@link #storeKey}). */
    public String objectKey(String storeKey) { return settings.keyPrefix() + storeKey; }

    /** Why a store key is never registered (hidden names, the gateway's own objects), or empty if it may be. */
    public Optional<String> ignoredBecause(String storeKey) {
        for (String p : settings.ignoredPrefixes()) if (storeKey.startsWith(p)) return Optional.of("under the ignored prefix " + p);
        String[] parts = storeKey.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            boolean last = i == parts.length - 1;
            if (p.isEmpty()) return Optional.of(last ? "a folder marker, not an object" : "an empty path segment");
            if (last && ZarrKeys.isMetadata(p)) continue;
            if (p.startsWith(".") || p.startsWith("_")) return Optional.of("hidden name '" + p + "' (starts with '.' or '_')");
        }
        return Optional.empty();
    }

    /** The node key of a file or folder name. */
    public static String nodeKey(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String s : FORMAT_SUFFIXES) {
            if (lower.endsWith(s) && lower.length() > s.length()) return name.substring(0, name.length() - s.length());
        }
        return name;
    }

    /** The node of the folder {@code prefix} ("" or ending with '/'). */
    public NodePath folderPath(String prefix) {
        NodePath p = settings.root();
        for (String seg : prefix.split("/")) if (!seg.isEmpty()) p = p.child(nodeKey(seg));
        return p;
    }

    /** The node of the file {@code key}. */
    public NodePath filePath(String key) {
        int slash = key.lastIndexOf('/');
        return folderPath(key.substring(0, slash + 1)).child(nodeKey(key.substring(slash + 1)));
    }

    /** The folders above {@code path} down from (excluding) the configured root, outermost first, with their prefixes. */
    public List<Folder> foldersAbove(String prefix) {
        List<Folder> out = new ArrayList<>();
        String[] segs = prefix.split("/");
        StringBuilder p = new StringBuilder();
        NodePath path = settings.root();
        for (String seg : segs) {
            if (seg.isEmpty()) continue;
            p.append(seg).append('/');
            path = path.child(nodeKey(seg));
            out.add(new Folder(path, p.toString()));
        }
        return out;
    }

    /** A folder of the store and the container it becomes. */
    public record Folder(NodePath path, String prefix) {}

    /** The folder prefix holding {@code key} ("" at the top). */
    public static String parentPrefix(String key) {
        String k = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
        return k.substring(0, k.lastIndexOf('/') + 1);
    }

    /** The last segment of a key or folder prefix. */
    public static String name(String keyOrPrefix) {
        String k = keyOrPrefix.endsWith("/") ? keyOrPrefix.substring(0, keyOrPrefix.length() - 1) : keyOrPrefix;
        return k.substring(k.lastIndexOf('/') + 1);
    }
}
