package dev.tiledgateway.core.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

/**
 * A node's metadata and specs as they were before one update ({@link Catalog#updateMetadata}): numbered from 1 per
 * node in the order of the updates, never reused (a deleted revision leaves a gap), and stamped with the update's time.
 */
public record Revision(long number, ObjectNode metadata, List<Spec> specs, Instant timeUpdated) {
    public Revision {
        specs = specs == null ? List.of() : List.copyOf(specs);
    }
}
