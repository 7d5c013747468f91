package dev.tiledgateway.core.write;

import dev.tiledgateway.core.sparse.CooDecoder;

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
    private final Map<String, CooDecoder> coo = new LinkedHashMap<>();

    public DataWriters(List<ArrayWriter> arrayWriters, List<TableWriter> tableWriters) {
        this(arrayWriters, tableWriters, List.of());
    }

    public DataWriters(List<ArrayWriter> arrayWriters, List<TableWriter> tableWriters, List<CooDecoder> cooDecoders) {
        for (ArrayWriter w : arrayWriters) for (String m : w.mimetypes()) arrays.putIfAbsent(m, w);
        for (TableWriter w : tableWriters) for (String m : w.mimetypes()) tables.putIfAbsent(m, w);
        for (CooDecoder d : cooDecoders) coo.putIfAbsent(d.mediaType(), d);
    }

    /** Every writer on the class path, registered through ServiceLoader. */
    public static DataWriters discover() {
        List<ArrayWriter> a = new ArrayList<>();
        ServiceLoader.load(ArrayWriter.class).forEach(a::add);
        List<TableWriter> t = new ArrayList<>();
        ServiceLoader.load(TableWriter.class).forEach(t::add);
        List<CooDecoder> c = new ArrayList<>();
        ServiceLoader.load(CooDecoder.class).forEach(c::add);
        return new DataWriters(a, t, c);
    }

    /** The reader of sparse uploads sent as {@code mediaType}, if any. */
    public Optional<CooDecoder> coo(String mediaType) { return Optional.ofNullable(coo.get(mediaType)); }

    public List<String> cooMediaTypes() { return List.copyOf(coo.keySet()); }

    public Optional<ArrayWriter> array(String mimetype) { return Optional.ofNullable(arrays.get(mimetype)); }

    public Optional<TableWriter> table(String mimetype) { return Optional.ofNullable(tables.get(mimetype)); }

    public List<String> arrayMimetypes() { return List.copyOf(arrays.keySet()); }

    public List<String> tableMimetypes() { return List.copyOf(tables.keySet()); }
}
