package dev.tiledgateway.core.write;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** The registry of formats the gateway writes data in, by data-source mimetype (the readers' counterpart). */
public final class DataWriters {

    /** What an array is stored as when its creator names no mimetype (Tiled's default too). */
    public static final String DEFAULT_ARRAY = "application/x-zarr";
    /** What a table is stored as when its creator names no mimetype. */
    public static final String DEFAULT_TABLE = "application/x-parquet";

    private final Map<String, ArrayWriter> arrays = new LinkedHashMap<>();
    private final Map<String, TableWriter> tables = new LinkedHashMap<>();

    public DataWriters(List<ArrayWriter> arrayWriters, List<TableWriter> tableWriters) {
        for (ArrayWriter w : arrayWriters) for (String m : w.mimetypes()) arrays.putIfAbsent(m, w);
        for (TableWriter w : tableWriters) for (String m : w.mimetypes()) tables.putIfAbsent(m, w);
    }

    /** Every writer on the class path, registered through ServiceLoader. */
    public static DataWriters discover() {
        List<ArrayWriter> a = new ArrayList<>();
        ServiceLoader.load(ArrayWriter.class).forEach(a::add);
        List<TableWriter> t = new ArrayList<>();
        ServiceLoader.load(TableWriter.class).forEach(t::add);
        return new DataWriters(a, t);
    }

    public Optional<ArrayWriter> array(String mimetype) { return Optional.ofNullable(arrays.get(mimetype)); }

    public Optional<TableWriter> table(String mimetype) { return Optional.ofNullable(tables.get(mimetype)); }

    public List<String> arrayMimetypes() { return List.copyOf(arrays.keySet()); }

    public List<String> tableMimetypes() { return List.copyOf(tables.keySet()); }
}
