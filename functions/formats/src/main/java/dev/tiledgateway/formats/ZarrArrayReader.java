package dev.tiledgateway.formats;

import dev.tiledgateway.core.array.ChunkedArray;
import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.format.ArrayReader;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.formats.zarr.ZarrArray;

import java.io.IOException;
import java.util.Set;

/** Registers Zarr (v2 and v3) as the array format for data sources of mimetype {@code application/x-zarr}. */
public final class ZarrArrayReader implements ArrayReader {

    public static final String MIMETYPE = "application/x-zarr";

    @Override
    public Set<String> mimetypes() { return Set.of(MIMETYPE); }

    @Override
    public ChunkedArray open(BlobStore store, DataSource source) throws IOException {
        try {
            return ZarrArray.open(store, source.asset("data_uri").key());
        } catch (IllegalArgumentException e) {
            // Unsupported codec or dtype, or no array where the catalog says one is: not the client's retryable fault.
            throw new CorruptDataException("cannot open the Zarr array at '" + source.asset("data_uri").key() + "': " + e.getMessage(), e);
        }
    }
}
