package dev.tiledgateway.core.catalog;

/** Tiled's structure families: what kind of data a node holds. */
public enum StructureFamily {
    ARRAY, AWKWARD, BYTES, CONTAINER, RAGGED, SPARSE, TABLE;

    public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

    public static StructureFamily fromWire(String s) {
        try {
            return valueOf(s.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown structure family: " + s);
        }
    }
}
