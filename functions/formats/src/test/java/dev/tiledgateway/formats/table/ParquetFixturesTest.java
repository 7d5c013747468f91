package dev.tiledgateway.formats.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.array.ArrayPayload;
import dev.tiledgateway.core.catalog.DataSource;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every Parquet fixture written by pyarrow/pandas reads back as pyarrow read it: columns, types, values, partitions, column arrays. */
class ParquetFixturesTest {

    static Stream<Arguments> fixtures() {
        return Stream.of(
                Arguments.of("types.parquet", "types.json", TableFixtures.file("types.parquet")),
                Arguments.of("more_types.parquet", "more_types.json", TableFixtures.file("more_types.parquet")),
                Arguments.of("no_arrow_schema.parquet", "no_arrow_schema.json", TableFixtures.file("no_arrow_schema.parquet")),
                Arguments.of("int96.parquet", "int96.json", TableFixtures.file("int96.parquet")),
                Arguments.of("codec_none.parquet", "codec.json", TableFixtures.file("codec_none.parquet")),
                Arguments.of("codec_snappy.parquet", "codec.json", TableFixtures.file("codec_snappy.parquet")),
                Arguments.of("codec_gzip.parquet", "codec.json", TableFixtures.file("codec_gzip.parquet")),
                Arguments.of("codec_zstd.parquet", "codec.json", TableFixtures.file("codec_zstd.parquet")),
                Arguments.of("codec_pagev2.parquet", "codec.json", TableFixtures.file("codec_pagev2.parquet")),
                Arguments.of("row_groups.parquet", "row_groups.json", TableFixtures.file("row_groups.parquet")),
                Arguments.of("pandas_index.parquet", "pandas_index.json", TableFixtures.file("pandas_index.parquet")),
                Arguments.of("pandas_unnamed_index.parquet", "pandas_unnamed_index.json", TableFixtures.file("pandas_unnamed_index.parquet")),
                Arguments.of("pandas_range.parquet", "pandas_range.json", TableFixtures.file("pandas_range.parquet")),
                Arguments.of("export.parquet", "export.json", TableFixtures.file("export.parquet")),
                Arguments.of("parts/", "parts.json", TableFixtures.folder("parts")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void columnsAndPartitionsAreWhatPyarrowReports(String name, String json, DataSource source) throws Exception {
        JsonNode expected = TableFixtures.expected(json);
        ArrowTableSource table = TableFixtures.open(source);
        assertEquals(strings(expected.get("columns")), table.columns());
        assertEquals(expected.get("partitions").size(), table.npartitions());
        List<String> fields = new ArrayList<>(table.columns());
        fields.addAll(strings(expected.get("index_columns")));
        assertEquals(fields, table.arrowSchema().getFields().stream().map(Field::getName).toList());
        for (Field f : table.arrowSchema().getFields())
            assertEquals(expected.get("arrow_types").get(f.getName()).asText(), PyArrowTypes.name(f), f.getName());
        for (int i = 0; i < table.npartitions(); i++) {
            JsonNode part = expected.get("partitions").get(i);
            try (TablePayload p = table.readPartition(i, List.of())) {
                assertEquals(part.get("num_rows").asInt(), p.rowCount());
                assertEquals(fields, p.root().getSchema().getFields().stream().map(Field::getName).toList());
                for (String c : fields) ExpectedValues.assertColumn(part.get("values").get(c), p, c, 0);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void readAllConcatenatesThePartitions(String name, String json, DataSource source) throws Exception {
        JsonNode expected = TableFixtures.expected(json);
        ArrowTableSource table = TableFixtures.open(source);
        try (TablePayload p = table.readAll(List.of())) {
            int offset = 0;
            for (JsonNode part : expected.get("partitions")) {
                for (String c : table.columns()) ExpectedValues.assertColumn(part.get("values").get(c), p, c, offset);
                offset += part.get("num_rows").asInt();
            }
            assertEquals(offset, p.rowCount());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void columnsAsArraysMatchUpstreamTiled(String name, String json, DataSource source) throws Exception {
        JsonNode expected = TableFixtures.expected(json);
        ArrowTableSource table = TableFixtures.open(source);
        for (Map.Entry<String, JsonNode> e : expected.get("arrays").properties()) {
            ArrayPayload a = table.readColumn(e.getKey());
            String dtype = e.getValue().get("dtype").asText();
            assertEquals(dtype, ((dev.tiledgateway.core.structure.DataType.Builtin) a.dataType()).numpyString()
                    .replace("|b1", "|b1"), e.getKey());
            assertEquals(e.getValue().get("shape").get(0).asLong(), a.shape()[0], e.getKey());
            assertArrayEquals(Base64.getDecoder().decode(e.getValue().get("bytes").asText()), a.bytes(), e.getKey());
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
