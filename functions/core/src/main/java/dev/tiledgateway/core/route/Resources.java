package dev.tiledgateway.core.route;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.route.Fields.Field;

import java.util.List;

/** Renders catalog nodes as Tiled's JSON:API-style resources (spec §4), with absolute links. */
public final class Resources {

    /** Listing order advertised by catalog containers: creation order, which the client sends as no sort. */
    public static final List<SortKey> DEFAULT_SORTING = List.of(new SortKey("", 1));

    private final Catalog catalog;
    private final BlobStore store;

    public Resources(Catalog catalog, BlobStore store) {
        this.catalog = catalog;
        this.store = store;
    }

    /** A node's data source as Tiled shows it, its assets' keys as the store's data URIs. */
    static ObjectNode dataSource(Node node, BlobStore store) {
        ObjectNode d = Json.object();
        d.putNull("id");
        d.put("structure_family", node.family().wire());
        d.set("structure", node.structure());
        d.put("mimetype", node.dataSource().mimetype());
        d.putObject("parameters");
        d.putObject("properties");
        ArrayNode assets = d.putArray("assets");
        for (Asset as : node.dataSource().assets()) {
            ObjectNode ao = assets.addObject();
            ao.put("data_uri", store.uriOf(as.key()).toString());
            ao.put("is_directory", as.directory());
            ao.put("parameter", as.parameter());
            ao.putNull("num");
            ao.putNull("id");
        }
        d.put("management", node.dataSource().managementName());
        return d;
    }

    /**
     * Options a request may set on every resource it gets back; {@code maxDepth} caps inlined contents,
     * {@code select} ({@code select_metadata}) replaces each metadata by what it selects (null: metadata as stored).
     */
    public record Options(Fields fields, boolean omitLinks, boolean includeDataSources, int maxDepth, MetadataSelector select) {
        Options deeper() { return new Options(fields, omitLinks, includeDataSources, maxDepth - 1, select); }
    }

    /** Containers with this spec carry their children inline, as upstream's xarray adapters do. */
    public static final String INLINE_SPEC = "xarray_dataset";
    static final int MAX_INLINED = 500;

    public ObjectNode resource(Call call, Node node, Options opt) {
        ObjectNode r = Json.object();
        NodePath path = node.path();
        r.put("id", path.key());
        ObjectNode a = r.putObject("attributes");
        ArrayNode anc = a.putArray("ancestors");
        for (int i = 0; i < path.depth() - 1; i++) anc.add(path.parts().get(i));
        Fields f = opt.fields();
        if (f.keysOnly()) {
            for (String k : List.of("structure_family", "specs", "metadata", "structure", "access_blob", "sorting", "data_sources")) a.putNull(k);
            ObjectNode links = r.putObject("links");
            links.put("self", call.link("metadata", path));
            r.putNull("meta");
            return r;
        }
        if (f.has(Field.STRUCTURE_FAMILY) || node.isContainer()) a.put("structure_family", node.family().wire());
        else a.putNull("structure_family");
        if (f.has(Field.SPECS)) {
            ArrayNode specs = a.putArray("specs");
            for (Spec s : node.specs()) {
                ObjectNode so = specs.addObject();
                so.put("name", s.name());
                if (s.version() == null) so.putNull("version");
                else so.put("version", s.version());
            }
        } else a.putNull("specs");
        if (f.has(Field.METADATA) && opt.select() != null) a.set("metadata", opt.select().select(node.metadata()));
        else if (f.has(Field.METADATA)) a.set("metadata", node.metadata() == null ? Json.object() : node.metadata());
        else a.putNull("metadata");
        if (node.isContainer()) {
            if (f.has(Field.STRUCTURE) || f.has(Field.COUNT)) {
                ObjectNode s = a.putObject("structure");
                long count = node.knownChildren() >= 0 ? node.knownChildren() : catalog.countChildren(path);
                if (node.hasSpec(INLINE_SPEC) && count <= MAX_INLINED && opt.maxDepth() > 0) {
                    ObjectNode contents = s.putObject("contents");
                    for (Node child : catalog.children(path, List.of(), 0, MAX_INLINED))
                        contents.set(child.path().key(), resource(call, child, opt.deeper()));
                } else {
                    s.putNull("contents");
                }
                s.put("count", count);
            } else a.putNull("structure");
        } else if (f.has(Field.STRUCTURE)) a.set("structure", node.structure());
        else a.putNull("structure");
        a.putNull("access_blob");
        if (node.isContainer() && f.has(Field.SORTING)) {
            ArrayNode s = a.putArray("sorting");
            for (SortKey k : node.sorting() == null ? DEFAULT_SORTING : node.sorting()) {
                ObjectNode so = s.addObject();
                so.put("key", k.key());
                so.put("direction", k.direction());
            }
        } else a.putNull("sorting");
        if (opt.includeDataSources() && node.dataSource() != null) {
            a.putArray("data_sources").add(dataSource(node, store));
        } else a.putNull("data_sources");
        if (opt.omitLinks()) r.putNull("links");
        else r.set("links", links(call, node));
        r.putNull("meta");
        return r;
    }

    static ObjectNode links(Call call, Node node) {
        ObjectNode l = Json.object();
        NodePath p = node.path();
        l.put("self", call.link("metadata", p));
        switch (node.family()) {
            case CONTAINER -> {
                l.put("search", call.link("search", p));
                l.put("full", call.link("container/full", p));
            }
            case ARRAY, SPARSE -> {
                l.put("full", call.link("array/full", p));
                int ndim = node.structure() != null && node.structure().has("shape") ? node.structure().get("shape").size() : 0;
                StringBuilder b = new StringBuilder(call.link("array/block", p)).append("?block=");
                for (int i = 0; i < ndim; i++) b.append(i == 0 ? "" : ",").append('{').append(i).append('}');
                l.put("block", b.toString());
            }
            case TABLE -> {
                l.put("full", call.link("table/full", p));
                l.put("partition", call.link("table/partition", p) + "?partition={index}");
            }
            case AWKWARD -> {
                l.put("buffers", call.link("awkward/buffers", p));
                l.put("full", call.link("awkward/full", p));
            }
            case RAGGED -> {
                l.put("full", call.link("ragged/full", p));
                l.put("block", call.link("ragged/block", p) + "?block={0}");
            }
            case BYTES -> { }
        }
        return l;
    }
}
