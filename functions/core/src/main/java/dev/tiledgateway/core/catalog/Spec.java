package dev.tiledgateway.core.catalog;

/** A named, optionally versioned convention a node follows (e.g. {@code xarray_dataset}). */
public record Spec(String name, String version) {
    public Spec {
        if (name == null || name.isEmpty() || name.length() > 255) throw new IllegalArgumentException("spec name must have 1..255 characters");
    }
}
