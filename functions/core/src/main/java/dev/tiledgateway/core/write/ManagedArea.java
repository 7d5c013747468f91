package dev.tiledgateway.core.write;

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

    /** A fresh version folder inside a node's area. */
    public static String newVersion(String nodeArea) { return nodeArea + "v-" + UUID.randomUUID().toString().substring(0, 13) + "/"; }

    /** The node area ({@code _managed/<id>/}) an asset key lies in. */
    public static String nodeArea(String assetKey) {
        if (!assetKey.startsWith(PREFIX)) throw new IllegalArgumentException("not a managed key: " + assetKey);
        int slash = assetKey.indexOf('/', PREFIX.length());
        return slash < 0 ? assetKey + "/" : assetKey.substring(0, slash + 1);
    }

    /** A fingerprint never used before: every write gives the node's data a new identity (ETags, cached results). */
    public static String freshFingerprint() { return "written-" + UUID.randomUUID(); }
}
