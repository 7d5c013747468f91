package dev.tiledgateway.core.array;

import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.structure.DataType;

/**
 * A selection of an array that is written as it is read ({@link ArraySlicer#stream}) rather than held whole: the
 * payload of a large raw ({@code application/octet-stream}) read. {@code bytes} writes exactly the C-order bytes an
 * {@link ArrayPayload} of the same selection holds.
 */
public record StreamedArray(DataType dataType, long[] shape, BlobStore.Content bytes) {}
