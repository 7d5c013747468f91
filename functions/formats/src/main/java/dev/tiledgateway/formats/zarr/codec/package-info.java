/** Zarr codecs, one class each, registered by name in {@link dev.tiledgateway.formats.zarr.codec.CodecRegistry}. */
package dev.tiledgateway.formats.zarr.codec;
