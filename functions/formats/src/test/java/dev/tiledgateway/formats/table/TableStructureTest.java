package dev.tiledgateway.formats.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.testkit.interop.Interop;
import dev.tiledgateway.testkit.interop.Python;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The table structure JSON, and an arrow_schema that pyarrow.ipc.read_schema accepts. */
class TableStructureTest {

    static final List<String> FIXTURES = List.of("types.parquet", "more_types.parquet", "no_arrow_schema.parquet", "codec_zstd.parquet", "row_groups.parquet",
            "pandas_index.parquet", "pandas_unnamed_index.parquet", "pandas_range.parquet", "export.parquet");

    @Test
    void structureHasTheFourMembers() throws Exception {
        ObjectNode s = TableStructures.structureJson(TableFixtures.open(TableFixtures.folder("parts")));
        assertEquals(List.of("arrow_schema", "npartitions", "columns", "resizable"), names(s.fieldNames()));
        assertEquals(3, s.get("npartitions").asInt());
        assertEquals("[\"part\",\"v\",\"s\"]", s.get("columns").toString());
        assertFalse(s.get("resizable").asBoolean());
        assertTrue(s.get("arrow_schema").asText().startsWith("data:application/vnd.apache.arrow.file;base64,"));
    }

    @Test
    void arrowSchemaIsAnEncapsulatedSchemaMessage() throws Exception {
        Schema schema = TableFixtures.open(TableFixtures.file("types.parquet")).arrowSchema();
        String uri = ArrowSchemas.arrowSchemaDataUri(schema);
        byte[] raw = Base64.getDecoder().decode(uri.substring(ArrowSchemas.DATA_URI_PREFIX.length()));
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xFFFFFFFF, b.getInt(0), "continuation marker");
        assertEquals(raw.length - 8, b.getInt(4), "metadata length covers the padded flatbuffer");
        assertEquals(0, raw.length % 8);
        assertEquals(schema, Schema.deserializeMessage(ByteBuffer.wrap(raw)));
    }

    @Test
    void hiddenColumnsAreLeftOutOfSchemaAndColumns() throws Exception {
        ArrowTableSource t = TableFixtures.open(TableFixtures.file("types.parquet"));
        assertFalse(t.columns().contains("_hidden"));
        assertTrue(t.arrowSchema().getFields().stream().map(Field::getName).noneMatch(n -> n.startsWith("_")));
    }

    @Test
    @Interop
    void pyarrowReadsTheSchemaAndBuildsAnEmptyFrame(@TempDir Path dir) throws Exception {
        Python python = Python.standard().require("pyarrow", "pandas");
        StringBuilder lines = new StringBuilder();
        for (String f : FIXTURES) {
            lines.append(TableFixtures.ROOT.resolve(f)).append('\t')
                    .append(ArrowSchemas.arrowSchemaDataUri(TableFixtures.open(TableFixtures.file(f)).arrowSchema())).append('\n');
        }
        Files.writeString(dir.resolve("schemas.tsv"), lines);
        python.check(dir, CHECK, dir.resolve("schemas.tsv").toString());
    }

    static final String CHECK = """
            import base64, sys
            import pyarrow as pa, pyarrow.parquet as pq
            prefix = "data:application/vnd.apache.arrow.file;base64,"
            for line in open(sys.argv[1]):
                path, uri = line.rstrip("\\n").split("\\t")
                assert uri.startswith(prefix), uri[:60]
                got = pa.ipc.read_schema(pa.py_buffer(base64.b64decode(uri[len(prefix):])))
                want = pq.read_schema(path)
                want = pa.schema([f for f in want if not f.name.startswith("_") or f.name.startswith("__index_level_")],
                                 metadata=want.metadata)
                assert got.names == want.names, (path, got.names, want.names)
                assert got.types == want.types, (path, got.types, want.types)
                assert (got.metadata or {}).get(b"pandas") == (want.metadata or {}).get(b"pandas"), path
                got.empty_table().to_pandas()  # what the client builds as dask meta
            print("ok")
            """;

    private static List<String> names(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
