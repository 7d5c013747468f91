package dev.tiledgateway.core.write;

import dev.tiledgateway.core.store.BlobStore;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;

/**
 * Where the data written through the API lives in the object store: {@code _managed/<id>/...} at the top of the
 * store, beside the gateway's {@code _results/} and {@code catalog-spill/}, never inside data the gateway only
 * reads. Every created node gets an id of its own, so a key deleted and created again never meets the objects of
 * its predecessor; an array keeps each whole-array write under a version of its own ({@code _managed/<id>/<version>/}),
 * switched to in one catalog write.
 */
public final class ManagedArea {

    /** The prefix of every managed object (the indexer ignores it). */
    public static final String PREFIX = "_managed/";

    private ManagedArea() {}

    /** A fresh node area, {@code _managed/<id>/}. */
    public static String newNode() { return PREFIX + UUID.randomUUID() + "/"; }

    /**
     * A fresh version folder inside a node's area, {@code v-<creation time>-<random>/}: the time (milliseconds, 12 hex
     * digits, so names sort by it) tells {@link #retire} which folders may still be in the making.
     */
    public static String newVersion(String nodeArea) {
        return nodeArea + "v-" + String.format("%012x", System.currentTimeMillis()) + "-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    /**
     * How much older than the version a write replaced a folder must be before that write removes it: a bound on the
     * clock skew between writers, so a version another writer is still filling (named after it read the node, hence
     * later than anything it replaces) is never taken for an old one.
     */
    public static final Duration SKEW = Duration.ofSeconds(30);

    /**
     * After a commit switched a node from version {@code replaced} to {@code current}: removes the versions before
     * {@code replaced} (readers that opened {@code replaced} finish on it). Only folders named before
     * {@code replaced} by more than {@link #SKEW} go, never a newer one: that may be another write in progress, which
     * can only commit if nothing committed since it read the node, and then nothing removed it. Folders of an
     * older naming (no time) count as oldest.
     */
    public static void retire(BlobStore store, String nodeArea, String current, String replaced) throws IOException {
        long before = createdAt(replaced) - SKEW.toMillis();
        for (String k : store.list(nodeArea)) {
            if (k.startsWith(current) || k.startsWith(replaced)) continue;
            int slash = k.indexOf('/', nodeArea.length());
            String folder = slash < 0 ? k : k.substring(0, slash + 1);
            if (createdAt(folder) < before) store.delete(k);
        }
    }

    /** The creation time of a version folder named by {@link #newVersion}; 0 for any other name. */
    static long createdAt(String versionFolder) {
        String name = versionFolder.endsWith("/") ? versionFolder.substring(0, versionFolder.length() - 1) : versionFolder;
        name = name.substring(name.lastIndexOf('/') + 1);
        if (!name.startsWith("v-") || name.length() < 15 || name.charAt(14) != '-') return 0;
        try {
            return Long.parseLong(name.substring(2, 14), 16);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The node area ({@code _managed/<id>/}) an asset key lies in. */
    public static String nodeArea(String assetKey) {
        if (!assetKey.startsWith(PREFIX)) throw new IllegalArgumentException("not a managed key: " + assetKey);
        int slash = assetKey.indexOf('/', PREFIX.length());
        return slash < 0 ? assetKey + "/" : assetKey.substring(0, slash + 1);
    }

    /** A fingerprint never used before: every write gives the node's data a new identity (ETags, cached results). */
    public static String freshFingerprint() { return "written-" + UUID.randomUUID(); }
}
