package dev.tiledgateway.indexer.plan;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What an object key belongs to, from its name alone: the node it can change. Every event about the
 * objects of one target re-reads the target whole, so the order in which its objects arrive does not matter
 * (a chunk's event re-reads only that chunk's version: see {@link ZarrChunk}).
 */
public sealed interface Target {

    /** A Zarr array or group under {@code prefix}: its metadata documents (not its chunks) change it. */
    record Zarr(String prefix) implements Target {}

    /**
     * A Zarr chunk (or shard): its array was registered from its metadata, and a chunk written or removed
     * changes only the array's data, so its event refreshes the fingerprint of the array that holds it.
     * Which array that is (the nearest folder above with array metadata) only the store can say.
     */
    record ZarrChunk(String key) implements Target {}

    /** A folder of Parquet part files read as one table, one partition per part. */
    record PartitionedTable(String prefix) implements Target {}

    /** One object read on its own: Parquet, CSV or TIFF, recognised by content. */
    record File(String key) implements Target {}

    /** Never registered; {@code routine} for the objects every upload has many of (chunks), which summaries only count. */
    record Ignored(String reason, boolean routine) implements Target {}

    /** Parts of a partitioned table: dask's part.0.parquet, Spark's part-00000-....parquet. */
    Pattern PART = Pattern.compile("part[-._]?[0-9]+.*\\.(parquet|pq)", Pattern.CASE_INSENSITIVE);

    /** The target of a store key that {@link KeyLayout#ignoredBecause} let through. */
    static Target of(String key) {
        String name = KeyLayout.name(key);
        String folder = KeyLayout.parentPrefix(key);
        if (ZarrKeys.METADATA.contains(name)) {
            return folder.isEmpty() ? new Ignored("Zarr metadata at the top of the store (the root node is not replaced)", false) : new Zarr(folder);
        }
        if (name.equals(ZarrKeys.CONSOLIDATED)) return new Ignored("consolidated Zarr metadata (the indexer reads each node's own)", true);
        if (ZarrKeys.looksLikeChunk(name)) return new ZarrChunk(key);
        String lower = name.toLowerCase(Locale.ROOT);
        if ((lower.endsWith(".parquet") || lower.endsWith(".pq")) && !folder.isEmpty()) {
            String folderName = KeyLayout.name(folder).toLowerCase(Locale.ROOT);
            if (folderName.endsWith(".parquet") || folderName.endsWith(".pq") || PART.matcher(name).matches()) return new PartitionedTable(folder);
        }
        return new File(key);
    }
}
