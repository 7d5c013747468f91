package dev.tiledgateway.core.write;

import dev.tiledgateway.core.error.TiledException;

/**
 * The bounds every write is held to before any work: Lambda takes at most 6 MB per invocation, event included, and
 * API Gateway hands it binary bodies base64-encoded, so no request body may be larger than about 4.5 MB, and data larger than one body is written block by block (arrays) or partition by partition (tables).
 * Structures that could never be written that way, or whose chunk grid is absurd, are refused when the node is created.
 */
public final class WriteLimits {

    /**
     * The largest request body the gateway accepts, here and behind API Gateway + Lambda: 4,500,000 bytes, what fits
     * Lambda's 6 MB invocation payload once base64 has grown it by a third (the same figure as the response ceiling).
     */
    public static final int MAX_BODY_BYTES = 4_500_000;
    /** The most chunks one written array may have. */
    public static final long MAX_CHUNKS = 1_000_000;
    /** The most dimensions of a written array (numpy's own limit is 64). */
    public static final int MAX_NDIM = 32;

    /**
     * The most stored chunks a {@code PATCH /array/full} copies into the array's new version (the chunks it does not
     * touch); each is one store-side copy request, so this bounds a patch's requests, not its bytes.
     */
    public static final int MAX_PATCH_COPIES = 10_000;
    /** The most partitions of a written table (an empty object is stored for each when it is created). */
    public static final int MAX_PARTITIONS = 1_000;

    private WriteLimits() {}

    /** What a body over the limit is told: how to write the data in pieces that fit. */
    public static String tooLargeDetail(long bytes) {
        return "The request body" + (bytes >= 0 ? " (" + bytes + " bytes)" : "") + " exceeds the " + MAX_BODY_BYTES + "-byte (4.5 MB) limit"
                + " of one request. Write large data in pieces: an array block by block (PUT /array/block; with the Python client,"
                + " write_array of a dask array with chunks under 4.5 MB, or ArrayClient.write_block / patch), a table partition"
                + " by partition (PUT /table/partition; write_table of a dask DataFrame with small partitions).";
    }

    /** 413 unless {@code body} fits in one request. */
    public static void checkBody(byte[] body) {
        if (body.length > MAX_BODY_BYTES) throw TiledException.tooLarge(tooLargeDetail(body.length));
    }
}
