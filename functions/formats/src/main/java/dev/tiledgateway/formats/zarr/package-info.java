/** Zarr v2 and v3 arrays and groups over a BlobStore: {@link dev.tiledgateway.formats.zarr.ZarrArray}, a v2 writer. */
package dev.tiledgateway.formats.zarr;
