package dev.tiledgateway.formats.table;

import dev.tiledgateway.core.serialize.Serializer;
import dev.tiledgateway.core.serialize.SerializerProvider;

import java.util.List;

/** The {@code table} serializers (spec §7), in upstream's order; registered through ServiceLoader. */
public final class TableSerializers implements SerializerProvider {

    @Override
    public List<Serializer> serializers() {
        return List.of(new ArrowFileSerializer(), new ParquetSerializer(),
                new CsvSerializer("text/csv", List.of("csv")),
                new CsvSerializer("text/x-comma-separated-values", List.of()),
                new CsvSerializer("text/plain", List.of("txt", "text")),
                new CsvSerializer("application/vnd.ms-excel", List.of("xls")),
                new HtmlSerializer(), new XlsxSerializer(), new JsonSerializer());
    }
}
