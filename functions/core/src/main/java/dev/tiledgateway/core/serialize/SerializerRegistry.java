package dev.tiledgateway.core.serialize;

import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.http.Accept;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Media types by family and spec, and Tiled's negotiation (spec §2.5): {@code format=} (media type or alias)
 * wins over {@code Accept}; spec names are consulted before the structure family; 406 lists what is offered.
 */
public final class SerializerRegistry {

    private static final Map<String, String> DEFAULTS = Map.of(
            "array", "application/octet-stream",
            "sparse", "application/vnd.apache.arrow.file",
            "table", "application/vnd.apache.arrow.file",
            "awkward", "application/zip",
            "ragged", "application/json",
            "container", "application/x-hdf5",
            "bytes", "application/octet-stream");

    private static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("csv", "text/csv"), Map.entry("json", "application/json"), Map.entry("png", "image/png"),
            Map.entry("tif", "image/tiff"), Map.entry("tiff", "image/tiff"), Map.entry("html", "text/html"),
            Map.entry("htm", "text/html"), Map.entry("txt", "text/plain"), Map.entry("text", "text/plain"),
            Map.entry("xls", "application/vnd.ms-excel"),
            Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            Map.entry("zip", "application/zip"), Map.entry("arrow", "application/vnd.apache.arrow.file"),
            Map.entry("feather", "application/vnd.apache.arrow.file"), Map.entry("parquet", "application/x-parquet"),
            Map.entry("nc", "application/x-netcdf"), Map.entry("h5", "application/x-hdf5"), Map.entry("hdf5", "application/x-hdf5"),
            Map.entry("msgpack", "application/x-msgpack"), Map.entry("bin", "application/octet-stream"));

    /** key (family or spec) -> media type -> serializer, in registration order. */
    private final Map<String, Map<String, Serializer>> byKey = new LinkedHashMap<>();

    public SerializerRegistry(List<Serializer> serializers) {
        for (Serializer s : serializers) {
            for (String k : s.servesFor()) byKey.computeIfAbsent(k, x -> new LinkedHashMap<>()).putIfAbsent(s.mediaType(), s);
        }
    }

    public static SerializerRegistry discover() {
        List<Serializer> all = new ArrayList<>();
        ServiceLoader.load(SerializerProvider.class).forEach(p -> all.addAll(p.serializers()));
        return new SerializerRegistry(all);
    }

    /** The about document's {@code formats}: key -> media types. */
    public Map<String, List<String>> formats() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        byKey.forEach((k, v) -> m.put(k, List.copyOf(v.keySet())));
        return m;
    }

    /** The about document's {@code aliases}: key -> media type -> extensions. */
    public Map<String, Map<String, List<String>>> aliases() {
        Map<String, Map<String, List<String>>> m = new LinkedHashMap<>();
        byKey.forEach((k, v) -> {
            Map<String, List<String>> a = new LinkedHashMap<>();
            v.forEach((mt, s) -> {
                Set<String> ext = new LinkedHashSet<>(s.aliases());
                EXTENSIONS.forEach((e, t) -> { if (t.equals(mt)) ext.add(e); });
                if (!ext.isEmpty()) a.put(mt, List.copyOf(ext));
            });
            m.put(k, a);
        });
        return m;
    }

    /** The serializer registered for a family or spec {@code key} and a media type, if any. */
    public Optional<Serializer> find(String key, String mediaType) {
        return Optional.ofNullable(byKey.getOrDefault(key, Map.of()).get(mediaType));
    }

    /**
     * Chooses the serializer for {@code node} from {@code ?format=} (a comma-separated list of media types or
     * aliases, tried in order) or else the Accept header (by weight, then header order). {@code *}{@code /*} and an
     * absent Accept mean the node's default: its family's (Tiled's) if this node can be written in it, else the first
     * format offered for it. {@code type/*} means the default when that is of the type (for arrays {@code image/*}
     * means PNG, as in Tiled), else the first format of that type offered. A format the header weighs 0 is never
     * chosen. 406 lists what is offered.
     */
    public Serializer negotiate(Node node, Optional<String> format, Optional<String> accept) {
        List<String> offered = offered(node);
        List<Accept.Item> wanted;
        if (format.isPresent() && !format.get().isBlank()) {
            wanted = new ArrayList<>();
            for (String f : format.get().split(",")) {
                if (f.isBlank()) continue;
                wanted.add(new Accept.Item(resolveAlias(f.strip()), 1, wanted.size()));
            }
        } else if (accept.isPresent() && !accept.get().isBlank()) {
            wanted = Accept.parse(accept.get());
        } else {
            wanted = List.of(new Accept.Item("*/*", 1, 0));
        }
        for (Accept.Item w : Accept.byPreference(wanted)) {
            String mt = w.isRange() ? fromRange(node, offered, w, wanted) : w.value();
            if (mt == null) continue;
            Serializer s = serializerFor(node, mt);
            if (s != null) return s;
        }
        List<String> requested = wanted.stream().map(w -> w.q() == 1 ? w.value() : w.value() + ";q=" + w.q()).toList();
        throw TiledException.notAcceptable("None of the requested formats " + requested + " is supported for this node. Supported: "
                + String.join(", ", offered));
    }

    /** The media types {@code node} can be written in: its specs' first, then its family's, each once. */
    public List<String> offered(Node node) {
        Set<String> offered = new LinkedHashSet<>();
        for (Spec spec : node.specs()) offered.addAll(byKey.getOrDefault(spec.name(), Map.of()).keySet());
        offered.addAll(byKey.getOrDefault(node.family().wire(), Map.of()).keySet());
        return List.copyOf(offered);
    }

    /** What a media range stands for on this node, or null: none of the offered types it covers is wanted. */
    private static String fromRange(Node node, List<String> offered, Accept.Item range, List<Accept.Item> wanted) {
        String family = node.family().wire();
        String preferred = DEFAULTS.get(family);
        if (preferred == null || !offered.contains(preferred)) preferred = offered.isEmpty() ? null : offered.get(0);
        if (family.equals("array") && range.value().equals("image/*") && offered.contains("image/png")) preferred = "image/png";
        if (preferred != null && range.matches(preferred) && Accept.quality(wanted, preferred) > 0) return preferred;
        for (String mt : offered) if (range.matches(mt) && Accept.quality(wanted, mt) > 0) return mt;
        return null;
    }

    private Serializer serializerFor(Node node, String mediaType) {
        for (Spec spec : node.specs()) {
            Serializer s = byKey.getOrDefault(spec.name(), Map.of()).get(mediaType);
            if (s != null) return s;
        }
        return byKey.getOrDefault(node.family().wire(), Map.of()).get(mediaType);
    }

    private static String resolveAlias(String f) {
        String t = EXTENSIONS.get(f.toLowerCase(java.util.Locale.ROOT));
        return t != null ? t : f;
    }
}
