package dev.tiledgateway.indexer.plan;

import java.util.Set;
import java.util.regex.Pattern;

/** The object names of a Zarr store: metadata documents (v2, v3) and chunks. */
final class ZarrKeys {

    /** A Zarr node is (re-)registered when one of these arrives or goes. */
    static final Set<String> METADATA = Set.of(".zarray", ".zgroup", ".zattrs", "zarr.json");
    /** zarr-python's consolidated metadata: a cache of the above that the indexer does not need. */
    static final String CONSOLIDATED = ".zmetadata";

    /** Chunk keys: v2 "0.1.2" (or "0/1/2", whose last name is "2"), v3 "c/0/1/2" or "c.0.1.2", shards alike. */
    private static final Pattern CHUNK = Pattern.compile("(c[./])?[0-9]+([./][0-9]+)*");

    private ZarrKeys() {}

    static boolean isMetadata(String name) { return METADATA.contains(name) || name.equals(CONSOLIDATED); }

    static boolean looksLikeChunk(String name) { return CHUNK.matcher(name).matches() || name.equals("c"); }
}
