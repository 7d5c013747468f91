package dev.tiledgateway.core.query;

import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;

/** {@code structure_family}: the child's structure family is {@code family}. */
public record StructureFamilyQuery(StructureFamily family) implements Query {
    @Override public String name() { return "structure_family"; }
    @Override public boolean matches(Node child) { return child.family() == family; }
}
