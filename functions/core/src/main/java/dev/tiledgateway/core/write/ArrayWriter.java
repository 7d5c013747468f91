package dev.tiledgateway.core.write;

import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.structure.ArrayStructure;

import java.io.IOException;
import java.util.Set;

/**
 * Stores array data the gateway writes itself, in some storage format (by data-source mimetype), as a regular grid
 * of chunks under a key prefix that a registered {@link dev.tiledgateway.core.format.ArrayReader} of the same
 * mimetype opens. Found with {@link java.util.ServiceLoader}, like the readers.
 */
public interface ArrayWriter {

    /** Data-source mimetypes this writer produces, e.g. {@code application/x-zarr}. */
    Set<String> mimetypes();

    /**
     * Whether the format can hold arrays of this structure; empty when it can, else why not (a 4xx detail).
     * Called before anything is stored.
     */
    java.util.Optional<String> refusal(ArrayStructure structure);

    /**
     * Writes (or rewrites, to resize) the array's metadata under {@code prefix}: chunks already stored stay, chunks
     * never written read as zeros.
     */
    void writeMetadata(BlobStore store, String prefix, ArrayStructure structure) throws IOException;

    /**
     * Stores one chunk: the full chunk shape ({@code structure.chunks()[d][0]} along each dimension), C order,
     * edge chunks padded; one atomic object put.
     */
    void writeChunk(BlobStore store, String prefix, ArrayStructure structure, long[] chunkIndex, byte[] chunk) throws IOException;

    /** The key of the chunk at {@code chunkIndex} of the array stored under {@code prefix} (present or not). */
    String chunkKey(String prefix, ArrayStructure structure, long[] chunkIndex);
}
