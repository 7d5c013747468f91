package dev.tiledgateway.core.write;

import dev.tiledgateway.core.sparse.CooDecoder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/** The registry of formats the gateway writes data in, by data-source mimetype (the readers' counterpart). */
public final class DataWriters {

    /** What an array is stored as when its creator names no mimetype (Tiled's default too). */
    public static final String DEFAULT_ARRAY = "application/x-zarr";
    /** What a table is stored as when its creator names no mimetype. */
    public static final String DEFAULT_TABLE = "application/x-parquet";

    /** The writers by mimetype (media type for the decoders), each map in registration order. */
    private record Registered(Map<String, ArrayWriter> arrays, Map<String, TableWriter> tables, Map<String, CooDecoder> coo) {}

    /** Builds {@link #registered} on first use (discovery loads the Parquet, Arrow and Zarr writers' classes). */
    private final Supplier<Registered> source;
    private volatile Registered registered;

    public DataWriters(List<ArrayWriter> arrayWriters, List<TableWriter> tableWriters) {
        this(arrayWriters, tableWriters, List.of());
    }

    public DataWriters(List<ArrayWriter> arrayWriters, List<TableWriter> tableWriters, List<CooDecoder> cooDecoders) {
        this.registered = register(arrayWriters, tableWriters, cooDecoders);
        this.source = null;
    }

    private DataWriters(Supplier<Registered> source) { this.source = source; }

    private static Registered register(List<ArrayWriter> arrayWriters, List<TableWriter> tableWriters, List<CooDecoder> cooDecoders) {
        Map<String, ArrayWriter> arrays = new LinkedHashMap<>();
        Map<String, TableWriter> tables = new LinkedHashMap<>();
        Map<String, CooDecoder> coo = new LinkedHashMap<>();
        for (ArrayWriter w : arrayWriters) for (String m : w.mimetypes()) arrays.putIfAbsent(m, w);
        for (TableWriter w : tableWriters) for (String m : w.mimetypes()) tables.putIfAbsent(m, w);
        for (CooDecoder d : cooDecoders) coo.putIfAbsent(d.mediaType(), d);
        return new Registered(arrays, tables, coo);
    }

    /**
     * Every writer on the class path, registered through ServiceLoader. Looked up on the first write: a function
     * that only reads never loads the writers' classes (its cold start is shorter by them).
     */
    public static DataWriters discover() {
        return new DataWriters(() -> {
            List<ArrayWriter> a = new ArrayList<>();
            ServiceLoader.load(ArrayWriter.class).forEach(a::add);
            List<TableWriter> t = new ArrayList<>();
            ServiceLoader.load(TableWriter.class).forEach(t::add);
            List<CooDecoder> c = new ArrayList<>();
            ServiceLoader.load(CooDecoder.class).forEach(c::add);
            return register(a, t, c);
        });
    }

    private Registered registered() {
        Registered r = registered;
        if (r == null) {
            synchronized (this) {
                r = registered;
                if (r == null) registered = r = source.get();
            }
        }
        return r;
    }

    /** The reader of sparse uploads sent as {@code mediaType}, if any. */
    public Optional<CooDecoder> coo(String mediaType) { return Optional.ofNullable(registered().coo().get(mediaType)); }

    public List<String> cooMediaTypes() { return List.copyOf(registered().coo().keySet()); }

    public Optional<ArrayWriter> array(String mimetype) { return Optional.ofNullable(registered().arrays().get(mimetype)); }

    public Optional<TableWriter> table(String mimetype) { return Optional.ofNullable(registered().tables().get(mimetype)); }

    public List<String> arrayMimetypes() { return List.copyOf(registered().arrays().keySet()); }

    public List<String> tableMimetypes() { return List.copyOf(registered().tables().keySet()); }
}
