package dev.tiledgateway.formats;

import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.structure.ArrayStructure;
import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.core.write.ArrayLayouts;
import dev.tiledgateway.core.write.ArrayWriter;
import dev.tiledgateway.formats.zarr.V2Compressor;
import dev.tiledgateway.formats.zarr.ZarrV2Writer;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes the arrays created through the API as Zarr v2 (zstd chunks, '.' separated keys, fill value zero), which
 * {@link ZarrArrayReader} serves and zarr-python opens; dimension names go to {@code _ARRAY_DIMENSIONS} as xarray
 * writes them.
 */
public final class ZarrArrayWriter implements ArrayWriter {

    private static final V2Compressor COMPRESSOR = V2Compressor.zstd(3);

    @Override
    public Set<String> mimetypes() { return Set.of(ZarrArrayReader.MIMETYPE); }

    @Override
    public Optional<String> refusal(ArrayStructure s) {
        try {
            // Everything create() checks, on a store that keeps nothing.
            ZarrV2Writer.create(new Discarding(), "", s.dataType(), s.shape(), ArrayLayouts.chunkShape(s), COMPRESSOR, zero(s.dataType()), Map.of());
            return Optional.empty();
        } catch (IllegalArgumentException | IOException e) {
            return Optional.of("The array cannot be stored as Zarr: " + e.getMessage());
        }
    }

    @Override
    public void writeMetadata(BlobStore store, String prefix, ArrayStructure s) throws IOException {
        Map<String, ?> attributes = s.dims() == null ? Map.of() : Map.of("_ARRAY_DIMENSIONS", s.dims());
        ZarrV2Writer.create(store, prefix, s.dataType(), s.shape(), ArrayLayouts.chunkShape(s), COMPRESSOR, zero(s.dataType()), attributes);
    }

    @Override
    public void writeChunk(BlobStore store, String prefix, ArrayStructure s, long[] chunkIndex, byte[] chunk) throws IOException {
        ZarrV2Writer.reopen(store, prefix, s.dataType(), s.shape(), ArrayLayouts.chunkShape(s), COMPRESSOR).writeChunk(chunkIndex, chunk);
    }

    @Override
    public String chunkKey(String prefix, ArrayStructure s, long[] chunkIndex) {
        return ZarrV2Writer.reopen(new Discarding(), prefix, s.dataType(), s.shape(), ArrayLayouts.chunkShape(s), V2Compressor.none()).chunkKey(chunkIndex);
    }

    /** The fill value of chunks never written: zero, in the form Zarr's metadata takes for the type. */
    private static Object zero(DataType t) {
        if (!(t instanceof DataType.Builtin b)) return new byte[t.itemsize()];
        return switch (b.kind()) {
            case 'b' -> Boolean.FALSE;
            case 'f' -> 0.0;
            case 'c' -> new double[] {0, 0};
            case 'U' -> "";
            case 'S', 'V' -> new byte[b.itemsize()];
            default -> 0L;
        };
    }

    /** A store that accepts and forgets every object (for checks that must not store anything). */
    private static final class Discarding implements BlobStore {
        @Override public Optional<byte[]> get(String key) { return Optional.empty(); }
        @Override public Optional<byte[]> getRange(String key, long offset, long length) { return Optional.empty(); }
        @Override public Optional<Long> size(String key) { return Optional.empty(); }
        @Override public void put(String key, byte[] bytes) { }
        @Override public void delete(String key) { }
        @Override public java.util.List<String> list(String prefix) { return java.util.List.of(); }
        @Override public Optional<java.net.URI> presignGet(String key, java.time.Duration ttl) { return Optional.empty(); }
    }
}
