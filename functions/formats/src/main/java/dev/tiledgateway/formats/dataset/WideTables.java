package dev.tiledgateway.formats.dataset;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.container.DatasetLayout;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An xarray dataset's "wide table" (spec §3.8) as a {@link TablePayload}, laid out as upstream writes
 * {@code pyarrow.Table.from_pandas(dataset.to_dataframe(), preserve_index=True)} (see {@link DatasetLayout}): one row per
 * point of the product of the dimensions, the variables that are not index coordinates as columns in order, each
 * broadcast over the dimensions it lacks, then one column per dimension, and {@code pandas} schema metadata naming
 * those as the index (a MultiIndex when there are several), so {@code read_pandas().reset_index()} gives every
 * variable back as a column. A dimension without a coordinate of its own (pandas' RangeIndex) becomes an int64 column
 * of positions 0..n-1, as pyarrow materialises it. With no dimension at all the table has one row (xarray refuses such
 * a dataset); with only an unnamed one there is no index column and the metadata is what {@code preserve_index=False}
 * writes.
 */
public final class WideTables {

    private WideTables() {}

    /** The dataset as a table; the caller owns (and closes) the result. */
    public static TablePayload fromDataset(DatasetPayload dataset) {
        DatasetLayout layout;
        try {
            layout = dataset.layout();
        } catch (IllegalArgumentException e) {
            throw TiledException.notAcceptable("These variables do not make one table: " + e.getMessage());
        }
        if (layout.rows() > Integer.MAX_VALUE - 8) throw TiledException.notAcceptable("Too many rows for one table: " + layout.rows());
        int rows = (int) layout.rows();
        Map<String, DatasetPayload.Variable> byName = new LinkedHashMap<>();
        for (DatasetPayload.Variable v : dataset.variables()) byName.put(v.name(), v);
        List<String> index = layout.indexLevels();

        ObjectNode pandas = Json.object();
        ArrayNode indexColumns = pandas.putArray("index_columns");
        index.forEach(indexColumns::add);
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
            List<String> order = new ArrayList<>(layout.columns());
            order.addAll(index);
            for (String name : order) {
                String pandasType, numpyType;
                DatasetPayload.Variable v = layout.isIndexCoordinate(name) || !index.contains(name) ? byName.get(name) : null;
                if (v == null) {
                    vectors.add(ArrowColumns.range(name, rows, layout.positionOfRow(name), allocator));
                    pandasType = numpyType = "int64";
                } else {
                    ArrowColumns.Column c = ArrowColumns.column(name, v.data().dataType());
                    vectors.add(ArrowColumns.vector(name, v.data(), rows, layout.elementOfRow(name), allocator));
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
            return TablePayloads.of(schema, index, vectors, rows, allocator);
        } catch (RuntimeException e) {
            vectors.forEach(FieldVector::close);
            allocator.close();
            throw e;
        }
    }
}
