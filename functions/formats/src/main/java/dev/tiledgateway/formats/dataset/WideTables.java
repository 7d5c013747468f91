package dev.tiledgateway.formats.dataset;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.container.DatasetPayload;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.formats.table.TablePayload;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An xarray dataset's "wide table" (spec §3.8) as a {@link TablePayload}, laid out as upstream writes
 * {@code pyarrow.Table.from_pandas(dataset.to_dataframe(), preserve_index=True)}: the variables that are not index
 * coordinates, in order, then one column per index name, and {@code pandas} schema metadata naming those as the
 * index, so {@code read_pandas().reset_index()} gives every variable back as a column. An index name with no
 * variable of its own (a dimension without a coordinate: pandas' RangeIndex) becomes an int64 column 0..n-1, as
 * pyarrow materialises it. 0-d variables are repeated on every row (xarray broadcasts them); with no 1-d variable
 * the table has one row. With no index names there is no index column and the metadata is what
 * {@code preserve_index=False} writes.
 */
public final class WideTables {

    private WideTables() {}

    /** The dataset as a table; the caller owns (and closes) the result. */
    public static TablePayload fromDataset(DatasetPayload dataset) {
        Map<String, DatasetPayload.Variable> byName = new LinkedHashMap<>();
        for (DatasetPayload.Variable v : dataset.variables()) {
            if (byName.putIfAbsent(v.name(), v) != null) throw new IllegalArgumentException("two variables named " + v.name());
            if (v.data().shape().length > 1)
                throw TiledException.notAcceptable("Variable " + v.name() + " is " + v.data().shape().length
                        + "-dimensional; a table holds only 1-d and 0-d variables");
        }
        Set<String> index = new HashSet<>(dataset.indexNames());
        if (index.size() != dataset.indexNames().size()) throw new IllegalArgumentException("repeated index names " + dataset.indexNames());
        int rows = rows(dataset);

        ObjectNode pandas = Json.object();
        ArrayNode indexColumns = pandas.putArray("index_columns");
        dataset.indexNames().forEach(indexColumns::add);
        ArrayNode columnIndexes = pandas.putArray("column_indexes");
        if (!index.isEmpty()) {
            // what pyarrow records for a DataFrame's column labels (plain strings) whenever it stores an index
            ObjectNode labels = columnIndexes.addObject().putNull("name").putNull("field_name").put("pandas_type", "unicode")
                    .put("numpy_type", "object");
            labels.putObject("metadata").put("encoding", "UTF-8");
        }
        ArrayNode columns = pandas.putArray("columns");

        BufferAllocator allocator = TablePayloads.newAllocator();
        List<FieldVector> vectors = new ArrayList<>();
        try {
            List<String> order = new ArrayList<>();
            for (DatasetPayload.Variable v : dataset.variables()) if (!index.contains(v.name())) order.add(v.name());
            order.addAll(dataset.indexNames());
            for (String name : order) {
                DatasetPayload.Variable v = byName.get(name);
                String pandasType, numpyType;
                if (v == null) {
                    vectors.add(ArrowColumns.range(name, rows, allocator));
                    pandasType = numpyType = "int64";
                } else {
                    ArrowColumns.Column c = ArrowColumns.column(name, v.data().dataType());
                    vectors.add(ArrowColumns.vector(name, v.data(), rows, allocator));
                    pandasType = c.pandasType();
                    numpyType = c.numpyType();
                }
                columns.addObject().put("name", name).put("field_name", name).put("pandas_type", pandasType)
                        .put("numpy_type", numpyType).putNull("metadata");
            }
            pandas.putObject("attributes");
            pandas.putObject("creator").put("library", "tiled-gateway");
            List<Field> fields = vectors.stream().map(FieldVector::getField).toList();
            Schema schema = new Schema(fields, Map.of("pandas", new String(Json.bytes(pandas), StandardCharsets.UTF_8)));
            return TablePayloads.of(schema, dataset.indexNames(), vectors, rows, allocator);
        } catch (RuntimeException e) {
            vectors.forEach(FieldVector::close);
            allocator.close();
            throw e;
        }
    }

    private static int rows(DatasetPayload dataset) {
        long rows = -1;
        for (DatasetPayload.Variable v : dataset.variables()) {
            if (v.data().shape().length == 0) continue;
            long n = v.data().count();
            if (rows >= 0 && n != rows)
                throw TiledException.notAcceptable("Variables of different lengths (" + rows + " and " + n + " for " + v.name()
                        + ") do not make one table");
            rows = n;
        }
        if (rows < 0) rows = dataset.variables().isEmpty() ? 0 : 1;
        if (rows > Integer.MAX_VALUE - 8) throw TiledException.notAcceptable("Too many rows for one table: " + rows);
        return (int) rows;
    }
}
