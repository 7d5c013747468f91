package dev.tiledgateway.formats.sparse;

import dev.tiledgateway.core.serialize.Serializer;
import dev.tiledgateway.core.serialize.SerializerProvider;
import dev.tiledgateway.core.sparse.SparsePayload;
import dev.tiledgateway.formats.dataset.TableBackedSerializer;

import java.util.List;

/**
 * The {@code sparse} formats that need Arrow (spec §7), in upstream's order: xlsx, the Arrow file (the family's
 * default, which the client reads), Parquet and HTML, each the {@code dim0..,data} table of {@link SparseTables}
 * written by the {@code table} serializer. JSON and CSV of the same table are core's
 * ({@link dev.tiledgateway.core.sparse.SparseSerializers}).
 */
public final class SparseTableSerializers implements SerializerProvider {

    public static final String FAMILY = "sparse";

    @Override
    public List<Serializer> serializers() {
        return List.of(
                serializer("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                serializer("application/vnd.apache.arrow.file"),
                serializer("application/x-parquet"),
                serializer("text/html"));
    }

    private static Serializer serializer(String mediaType) {
        return new TableBackedSerializer<>(FAMILY, mediaType, mediaType, SparsePayload.class, SparseTables::toTable);
    }
}
