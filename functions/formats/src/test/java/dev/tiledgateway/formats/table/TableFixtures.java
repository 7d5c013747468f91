package dev.tiledgateway.formats.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.embedded.store.FileBlobStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** The fixtures written by src/test/fixtures/make_table_fixtures.py and what pyarrow reported about them. */
final class TableFixtures {

    static final Path ROOT;

    static {
        try {
            ROOT = Path.of(TableFixtures.class.getResource("/table/types.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private TableFixtures() {}

    static FileBlobStore store() { return new FileBlobStore(ROOT); }

    static JsonNode expected(String name) {
        try {
            return new ObjectMapper().readTree(ROOT.resolve(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DataSource file(String key) {
        return new DataSource(ParquetTableReader.MIMETYPE, List.of(new Asset(key, false, "data_uri")));
    }

    static DataSource folder(String key) {
        return new DataSource(ParquetTableReader.MIMETYPE, List.of(new Asset(key, true, "data_uri")));
    }

    static ArrowTableSource open(DataSource source) throws IOException {
        return new ParquetTableReader().open(store(), source);
    }
}
