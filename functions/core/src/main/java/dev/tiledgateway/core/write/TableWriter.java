package dev.tiledgateway.core.write;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.store.BlobStore;

import java.io.IOException;
import java.util.Set;

/**
 * Stores table partitions the gateway writes itself, in some storage format (by data-source mimetype), one object
 * per partition, which a registered {@link dev.tiledgateway.core.table.TableReader} of the same mimetype reads.
 */
public interface TableWriter {

    Set<String> mimetypes();

    /** The suffix of a partition's object key (e.g. {@code .parquet}). */
    String suffix();

    /**
     * Checks a table structure sent to create a node (its Arrow schema readable, its columns those of the schema);
     * empty when it can be stored, else why not (a 4xx detail).
     */
    java.util.Optional<String> refusal(JsonNode structure);

    /** Stores an empty partition of the declared structure at {@code key}, so the table reads before it is written. */
    void writeEmpty(BlobStore store, String key, JsonNode structure) throws IOException;

    /**
     * Stores one partition from an Arrow IPC file at {@code key} in one atomic put, keeping its pandas metadata and
     * index columns so it reads back as the same DataFrame.
     *
     * @throws dev.tiledgateway.core.error.TiledException 4xx when the body is not an Arrow file or its columns are
     *         not the declared ones
     */
    void writePartition(BlobStore store, String key, JsonNode structure, byte[] arrowFile) throws IOException;

    /**
     * Whether this format's partitions take appended rows ({@code PATCH /table/partition}): then a partition is the
     * objects the node lists under {@link #partitionFolder} in order, the first an empty one holding the schema, each
     * later one written by {@link #writePartition} for one append.
     */
    default boolean appendable() { return false; }

    /** The folder of partition {@code partition}'s objects in a node's area (appendable formats). */
    static String partitionFolder(String area, int partition) { return area + "partition-%05d/".formatted(partition); }

    /**
     * Appendable formats: empty when the rows stored at {@code newKey} can follow those at {@code firstKey} (the
     * table's first append) in one read, the same columns, index columns and types; else why not (a 4xx detail).
     */
    default java.util.Optional<String> appendRefusal(BlobStore store, String firstKey, String newKey) throws IOException {
        return java.util.Optional.empty();
    }
}
