package dev.tiledgateway.core.route;

import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.http.QueryParams;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Which attributes of a node resource a request asked for ({@code fields=}). */
public record Fields(Set<Field> set) {

    public enum Field { METADATA, STRUCTURE_FAMILY, STRUCTURE, COUNT, SORTING, SPECS, DATA_SOURCES, ACCESS_BLOB }

    public static final Fields ALL = new Fields(EnumSet.allOf(Field.class));

    /** Absent -> everything; a single empty value -> keys only; otherwise the named ones. */
    public static Fields parse(QueryParams q) {
        if (!q.has("fields")) return ALL;
        List<String> values = q.all("fields");
        EnumSet<Field> s = EnumSet.noneOf(Field.class);
        for (String v : values) {
            if (v.isEmpty()) continue;
            try {
                s.add(Field.valueOf(v.toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw TiledException.badRequest("Unknown field '" + v + "'; expected one of metadata, structure_family, structure, count, sorting, specs, data_sources, access_blob");
            }
        }
        return new Fields(s);
    }

    public boolean keysOnly() { return set.isEmpty(); }

    public boolean has(Field f) { return set.contains(f); }

    public boolean onlyCount() { return set.equals(EnumSet.of(Field.COUNT)); }
}
