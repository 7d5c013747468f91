package dev.tiledgateway.formats.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.serialize.Serializer;
import dev.tiledgateway.core.serialize.SerializerRegistry;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.compare.VectorEqualsVisitor;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The table serializers: registration, the Arrow file read back by Arrow Java, CSV byte for byte as pandas writes it. */
class TableSerializersTest {

    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    static Serializer serializer(String mediaType) {
        return new TableSerializers().serializers().stream().filter(s -> s.mediaType().equals(mediaType)).findFirst().orElseThrow();
    }

    static byte[] serialize(String mediaType, String fixture) throws Exception {
        try (TablePayload p = TableFixtures.open(TableFixtures.file(fixture)).readAll(List.of())) {
            return serializer(mediaType).serialize(p);
        }
    }

    @Test
    void discoveredForTheTableFamily() {
        Map<String, List<String>> formats = SerializerRegistry.discover().formats();
        assertEquals(List.of("application/vnd.apache.arrow.file", "application/x-parquet", "text/csv", "text/x-comma-separated-values",
                "text/plain", "application/vnd.ms-excel", "text/html", XLSX, "application/json"), formats.get("table"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"types.parquet", "pandas_index.parquet", "row_groups.parquet", "export.parquet"})
    void arrowFileReadsBackWithArrowJava(String fixture) throws Exception {
        byte[] bytes = serialize("application/vnd.apache.arrow.file", fixture);
        assertEquals("ARROW1", new String(bytes, 0, 6, StandardCharsets.US_ASCII));
        assertEquals("ARROW1", new String(bytes, bytes.length - 6, 6, StandardCharsets.US_ASCII));
        try (TablePayload p = TableFixtures.open(TableFixtures.file(fixture)).readAll(List.of());
             RootAllocator a = new RootAllocator();
             ArrowFileReader r = new ArrowFileReader(new ByteArrayReadableSeekableByteChannel(bytes), a)) {
            assertTrue(r.loadNextBatch());
            VectorSchemaRoot back = r.getVectorSchemaRoot();
            assertEquals(p.root().getSchema(), back.getSchema());
            assertEquals(p.rowCount(), back.getRowCount());
            for (var v : p.root().getFieldVectors())
                assertTrue(VectorEqualsVisitor.vectorEquals(v, back.getVector(v.getName())), v.getName());
            for (long id : p.dictionaries().getDictionaryIds())
                assertEquals(p.dictionaries().lookup(id).getVector().toString(), r.getDictionaryVectors().get(id).getVector().toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"types.parquet", "pandas_index.parquet", "row_groups.parquet", "export.parquet"})
    void everyFormatStreamsTheBytesItSerializes(String fixture) throws Exception {
        for (Serializer s : new TableSerializers().serializers()) {
            try (TablePayload p = TableFixtures.open(TableFixtures.file(fixture)).readAll(List.of())) {
                java.io.ByteArrayOutputStream streamed = new java.io.ByteArrayOutputStream();
                s.write(p, streamed);
                byte[] whole = s.serialize(p);
                if (s.mediaType().equals(XLSX)) assertEquals(whole.length, streamed.size(), s.mediaType()); // zip entries carry times
                else assertArrayEquals(whole, streamed.toByteArray(), s.mediaType());
            }
        }
    }

    @Test
    void csvIsWhatPandasWrites() throws Exception {
        byte[] expected = Files.readAllBytes(TableFixtures.ROOT.resolve("export.csv"));
        assertEquals(new String(expected, StandardCharsets.UTF_8), new String(serialize("text/csv", "export.parquet"), StandardCharsets.UTF_8));
    }

    @Test
    void csvLeavesOutTheIndex() throws Exception {
        assertEquals("a,b\n1.5,x\n2.5,y\n3.5,z\n", new String(serialize("text/plain", "pandas_index.parquet"), StandardCharsets.UTF_8));
    }

    @Test
    void jsonHasOneListPerColumnWithNullsAndIsoTimestamps() throws Exception {
        JsonNode j = Json.parse(serialize("application/json", "types.parquet"));
        assertEquals(24, j.size());
        assertEquals("[0.1,-1.0E-300,null,null,1.0E16,null,12345.678]", j.get("f64").toString());
        assertEquals("[\"1970-01-01T00:00:00.000000007\",\"2020-09-13T12:26:40.000000007\",\"1969-12-31T00:00:00.000000007\",null,"
                + "\"2100-01-01T00:00:00.000000007\",\"1970-01-01T00:00:01.000000007\",\"2023-11-14T22:13:20.000000007\"]", j.get("ts_ns").toString());
        assertEquals("\"2020-09-13T08:26:40.000007-04:00\"", j.get("ts_us_ny").get(1).toString());
        assertEquals("\"1970-01-01T00:00:00.000000007+00:00\"", j.get("ts_ns_utc").get(0).toString());
        assertEquals("[\"red\",\"green\",null,\"red\",\"blue\",\"green\",\"red\"]", j.get("cat").toString());
        assertEquals("18446744073709551615", j.get("u64").get(2).toString());
        assertEquals("\"9999-12-31\"", j.get("day").get(5).toString());
        assertEquals("1.23", j.get("dec").get(0).toString());
    }

    @Test
    void htmlIsAPandasStyleTable() throws Exception {
        String html = new String(serialize("text/html", "pandas_index.parquet"), StandardCharsets.UTF_8);
        assertTrue(html.startsWith("<table border=\"1\" class=\"dataframe\">\n  <thead>\n    <tr style=\"text-align: right;\">\n      <th>a</th>"), html);
        assertTrue(html.contains("      <td>1.5</td>\n      <td>x</td>\n"), html);
        assertTrue(!html.contains("k1"), "no index");
        String types = new String(serialize("text/html", "types.parquet"), StandardCharsets.UTF_8);
        assertTrue(types.contains("<td>tab\tcomma,quote&quot;</td>") && types.contains("<td>NaT</td>") && types.contains("<td>None</td>"));
    }

    @Test
    void xlsxIsAZipOfTheWorkbookParts() throws Exception {
        byte[] x = serialize(XLSX, "export.parquet");
        List<String> names = new java.util.ArrayList<>();
        try (ZipInputStream z = new ZipInputStream(new java.io.ByteArrayInputStream(x))) {
            for (var e = z.getNextEntry(); e != null; e = z.getNextEntry()) names.add(e.getName());
        }
        assertEquals(List.of("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                "xl/worksheets/sheet1.xml"), names);
        assertArrayEquals(x, serialize(XLSX, "export.parquet"), "deterministic");
    }

    @Test
    void otherPayloadsAreNotAcceptable() {
        assertEquals(406, assertThrows(TiledException.class, () -> serializer("text/csv").serialize("not a table")).status());
    }

    @Test
    void columnLettersRunPastZ() {
        assertEquals(List.of("A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"),
                Arrays.stream(new int[] {0, 25, 26, 51, 52, 701, 702}).mapToObj(XlsxWriter::column).toList());
    }
}
