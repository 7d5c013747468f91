package dev.tiledgateway.formats.dataset;

import dev.tiledgateway.core.container.DatasetPayload;
import dev.tiledgateway.core.serialize.Serializer;
import dev.tiledgateway.core.serialize.SerializerProvider;

import java.util.List;

/**
 * The {@code xarray_dataset} spec's table formats (spec §3.8, §7), in upstream's order: the wide table as Arrow file
 * (what the client's wide-table read asks for), Parquet, CSV (also as {@code text/comma-separated-values} and
 * {@code text/plain}), HTML, xlsx and column-oriented JSON, all written by the {@code table} serializers from
 * {@link WideTables#fromDataset}. Being registered for the spec, they win over the container's own formats.
 * NetCDF and HDF5, which upstream also offers, are not.
 */
public final class DatasetSerializers implements SerializerProvider {

    public static final String SPEC = "xarray_dataset";

    @Override
    public List<Serializer> serializers() {
        return List.of(
                serializer("application/vnd.apache.arrow.file", "application/vnd.apache.arrow.file"),
                serializer("application/x-parquet", "application/x-parquet"),
                serializer("text/csv", "text/csv"),
                serializer("text/comma-separated-values", "text/csv"),
                serializer("text/plain", "text/plain"),
                serializer("text/html", "text/html"),
                serializer("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                serializer("application/json", "application/json"));
    }

    private static Serializer serializer(String mediaType, String tableMediaType) {
        return new TableBackedSerializer<>(SPEC, mediaType, tableMediaType, DatasetPayload.class, WideTables::fromDataset);
    }
}
