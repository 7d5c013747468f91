package dev.tiledgateway.formats.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.embedded.store.FileBlobStore;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CSV files read as pandas.read_csv(sep=None) reads them: delimiter, header, column types and values. */
class CsvTableTest {

    @ParameterizedTest
    @ValueSource(strings = {"simple.csv", "semicolon.csv", "tabs.tsv", "noheader.csv", "quoted.csv", "crlf.csv"})
    void readsLikePandas(String name) throws Exception {
        JsonNode expected = TableFixtures.expected("csv.json").get(name);
        ArrowTableSource t = new CsvTableReader().open(TableFixtures.store(), source("csv/" + name));
        assertEquals(1, t.npartitions());
        List<String> columns = new ArrayList<>();
        expected.get("columns").forEach(c -> columns.add(c.asText()));
        assertEquals(columns, t.columns());
        try (TablePayload p = t.readPartition(0, List.of())) {
            for (int i = 0; i < columns.size(); i++) {
                String c = columns.get(i);
                assertEquals(expected.get("dtypes").get(i).asText(), pandasDtype(p.root().getVector(c).getField().getType()), c);
                ExpectedValues.assertColumn(expected.get("values").get(c), p, c, 0);
            }
        }
    }

    @Test
    void emptyFieldsAreNullAndDecideNothing(@TempDir Path dir) throws Exception {
        try (TablePayload p = csv(dir, "a,b,c\n1,,x\n,2.5,\nNA,3,y\n").readAll(List.of())) {
            assertEquals("int64", pandasDtype(p.root().getVector("a").getField().getType()));
            assertTrue(p.root().getVector("a").isNull(1) && p.root().getVector("a").isNull(2));
            assertEquals("float64", pandasDtype(p.root().getVector("b").getField().getType()));
            assertTrue(p.root().getVector("c").isNull(1));
        }
    }

    @Test
    void repeatedAndBlankHeadersAreRenamedAsPandasDoes(@TempDir Path dir) throws Exception {
        assertEquals(List.of("a", "a.1", "Unnamed: 2"), csv(dir, "a,a,\n1,2,3\n").columns());
    }

    @Test
    void underscoreColumnsAreNotListed(@TempDir Path dir) throws Exception {
        assertEquals(List.of("a"), csv(dir, "a,_b\n1,2\n").columns());
    }

    @Test
    void tooManyFieldsIsCorruptData(@TempDir Path dir) {
        assertThrows(CorruptDataException.class, () -> csv(dir, "a,b\n1,2,3\n"));
    }

    @Test
    void notUtf8IsCorruptData(@TempDir Path dir) throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        store.put("x.csv", new byte[] {'a', '\n', (byte) 0xff, (byte) 0xfe, '\n'});
        assertThrows(CorruptDataException.class, () -> new CsvTableReader().open(store, source("x.csv")));
    }

    @Test
    void onlyPartitionZeroExists(@TempDir Path dir) throws Exception {
        assertEquals(400, assertThrows(TiledException.class, () -> csv(dir, "a\n1\n").readPartition(1, List.of())).status());
    }

    @Test
    void stringColumnAsArrayIsUtf32(@TempDir Path dir) throws Exception {
        var a = csv(dir, "s\nab\n\u00e9\n").readColumn("s");
        assertEquals("<U2", ((dev.tiledgateway.core.structure.DataType.Builtin) a.dataType()).numpyString());
        assertEquals(16, a.bytes().length);
        assertEquals('a', a.bytes()[0]);
        assertEquals((byte) 0xe9, a.bytes()[8]);
    }

    static ArrowTableSource csv(Path dir, String text) throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        store.put("t.csv", text.getBytes(StandardCharsets.UTF_8));
        return new CsvTableReader().open(store, source("t.csv"));
    }

    static DataSource source(String key) {
        return new DataSource(CsvTableReader.MIMETYPE, List.of(new Asset(key, false, "data_uri")));
    }

    private static String pandasDtype(ArrowType t) {
        return Map.<Class<?>, String>of(ArrowType.Int.class, "int64", ArrowType.FloatingPoint.class, "float64",
                ArrowType.Bool.class, "bool", ArrowType.Utf8.class, "object").get(t.getClass());
    }
}
