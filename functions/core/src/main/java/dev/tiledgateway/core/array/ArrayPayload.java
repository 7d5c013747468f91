package dev.tiledgateway.core.array;

import dev.tiledgateway.core.structure.DataType;

/** A selection of an array, read: C-order elements in {@code dataType}'s layout, of the given shape. */
public record ArrayPayload(DataType dataType, long[] shape, byte[] bytes) {

    public long count() {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }
}
