package dev.tiledgateway.core.serialize;

import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.error.TiledException;

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

    /** Chooses the serializer for {@code node} from {@code ?format=} and the Accept header. */
    public Serializer negotiate(Node node, Optional<String> format, Optional<String> accept) {
        String family = node.family().wire();
        List<String> candidates = new ArrayList<>();
        if (format.isPresent() && !format.get().isBlank()) {
            for (String f : format.get().split(",")) candidates.add(resolveAlias(f.trim()));
        } else if (accept.isPresent() && !accept.get().isBlank()) {
            for (String a : accept.get().split(",")) {
                String t = a.strip();
                int semi = t.indexOf(';');
                candidates.add(semi < 0 ? t : t.substring(0, semi).strip());
            }
        } else {
            candidates.add(DEFAULTS.getOrDefault(family, "application/octet-stream"));
        }
        for (String c : candidates) {
            String mt = c;
            if (mt.equals("*/*")) mt = DEFAULTS.getOrDefault(family, "application/json");
            else if (mt.equals("image/*") && family.equals("array")) mt = "image/png";
            for (Spec spec : node.specs()) {
                Serializer s = byKey.getOrDefault(spec.name(), Map.of()).get(mt);
                if (s != null) return s;
            }
            Serializer s = byKey.getOrDefault(family, Map.of()).get(mt);
            if (s != null) return s;
        }
        Set<String> offered = new LinkedHashSet<>();
        for (Spec spec : node.specs()) offered.addAll(byKey.getOrDefault(spec.name(), Map.of()).keySet());
        offered.addAll(byKey.getOrDefault(family, Map.of()).keySet());
        throw TiledException.notAcceptable("None of the requested formats " + candidates + " is supported for this node. Supported: "
                + String.join(", ", offered));
    }

    private static String resolveAlias(String f) {
        String t = EXTENSIONS.get(f.toLowerCase(java.util.Locale.ROOT));
        return t != null ? t : f;
    }
}
