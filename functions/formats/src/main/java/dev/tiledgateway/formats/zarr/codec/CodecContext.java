package dev.tiledgateway.formats.zarr.codec;

/** What a codec factory knows of the chunks it will see: element size and chunk shape at its stage. */
public record CodecContext(int itemsize, int[] chunkShape) {

    public CodecContext {
        chunkShape = chunkShape.clone();
    }

    @Override
    public int[] chunkShape() { return chunkShape.clone(); }

    public CodecContext withShape(int[] shape) { return new CodecContext(itemsize, shape); }
}
