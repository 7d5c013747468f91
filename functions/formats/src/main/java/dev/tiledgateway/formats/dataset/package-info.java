/**
 * xarray datasets as tables: {@link dev.tiledgateway.formats.dataset.WideTables} turns a
 * {@link dev.tiledgateway.core.container.DatasetPayload} into the pandas-indexed "wide table" upstream Tiled writes
 * ({@code dataset.to_dataframe()}), and {@link dev.tiledgateway.formats.dataset.DatasetSerializers} offers it for the
 * {@code xarray_dataset} spec through the {@code table} serializers ({@link dev.tiledgateway.formats.dataset.TableBackedSerializer},
 * which the sparse serializers use too).
 */
package dev.tiledgateway.formats.dataset;
