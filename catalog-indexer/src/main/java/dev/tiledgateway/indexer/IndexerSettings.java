package dev.tiledgateway.indexer;

import dev.tiledgateway.core.path.NodePath;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which events the indexer acts on and where their nodes go.
 *
 * @param bucket          events about other buckets are ignored; null accepts any (a local folder has none)
 * @param keyPrefix       the object store's prefix inside the bucket: keys outside it are ignored, and it is
 *                        stripped from event keys to give store keys ("" for none, else ending with '/')
 * @param root            the container under which the store's folders appear (the catalog root by default)
 * @param ignoredPrefixes store-key prefixes never registered: the gateway's own objects (spilled catalog
 *                        documents); names starting with '.' or '_' are always ignored
 * @param maxCsvBytes     larger CSV objects are not registered (reading one means parsing it whole)
 */
public record IndexerSettings(String bucket, String keyPrefix, NodePath root, List<String> ignoredPrefixes, long maxCsvBytes) {

    public static final String BUCKET = "TILED_GATEWAY_BUCKET";
    public static final String PREFIX = "TILED_GATEWAY_PREFIX";
    /** Node path (slash-joined) of the container the bucket is registered under; default the root. */
    public static final String ROOT = "TILED_GATEWAY_INDEX_ROOT";
    /** Comma-separated extra store-key prefixes to ignore. */
    public static final String IGNORE = "TILED_GATEWAY_INDEX_IGNORE";

    /** The catalog's spill objects and the API's materialised results (exports may look like CSV) are never data. */
    public static final List<String> DEFAULT_IGNORED = List.of("catalog-spill/", "_results/", "_managed/");
    public static final long DEFAULT_MAX_CSV_BYTES = 64L << 20;

    public IndexerSettings {
        keyPrefix = keyPrefix == null ? "" : keyPrefix;
        while (keyPrefix.startsWith("/")) keyPrefix = keyPrefix.substring(1);
        if (!keyPrefix.isEmpty() && !keyPrefix.endsWith("/")) keyPrefix = keyPrefix + "/";
        root = root == null ? NodePath.ROOT : root;
        ignoredPrefixes = List.copyOf(ignoredPrefixes == null ? DEFAULT_IGNORED : ignoredPrefixes);
    }

    /** Any bucket, no prefix, registered under the catalog root. */
    public static IndexerSettings defaults() {
        return new IndexerSettings(null, "", NodePath.ROOT, DEFAULT_IGNORED, DEFAULT_MAX_CSV_BYTES);
    }

    public static IndexerSettings fromEnvironment(Map<String, String> env) {
        List<String> ignored = new ArrayList<>(DEFAULT_IGNORED);
        for (String p : env.getOrDefault(IGNORE, "").split(",")) if (!p.isBlank()) ignored.add(p.strip());
        String bucket = env.get(BUCKET);
        return new IndexerSettings(bucket == null || bucket.isBlank() ? null : bucket.strip(), env.getOrDefault(PREFIX, ""),
                NodePath.of(env.getOrDefault(ROOT, "")), ignored, DEFAULT_MAX_CSV_BYTES);
    }

    public IndexerSettings withRoot(NodePath r) { return new IndexerSettings(bucket, keyPrefix, r, ignoredPrefixes, maxCsvBytes); }
}
