package dev.tiledgateway.core.route;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.path.NodePath;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What specs demand of the nodes that carry them (spec §3.11, Tiled's built-in validator), checked before anything is
 * stored: a node that breaks a rule is a 400 naming the spec, as upstream words it ("failed validation for the
 * composite spec: ..."). The one rule is {@code composite}'s: only a container may carry it, none of its children may
 * be a container, and its children's keys and its tables' column names together name each thing once (a composite
 * container reads as one flat namespace). It is checked when a composite container is created or given the spec, and,
 * beyond upstream, when a child is created under one, so the namespace cannot be broken one child at a time.
 *
 * <p>Not atomic with the write that follows: two children created at once under one composite container may both
 * pass and still collide. A composite container may hold at most {@value #MAX_COMPOSITE_ITEMS} children (each check
 * lists them).
 */
final class SpecRules {

    static final String COMPOSITE = "composite";
    static final int MAX_COMPOSITE_ITEMS = 1_000;

    private SpecRules() {}

    /** Checks {@code node}, about to be created under {@code parent}. */
    static void checkCreation(Catalog catalog, Node parent, Node node) {
        if (node.hasSpec(COMPOSITE) && !node.isContainer())
            throw failed("Composite spec can be assigned only to containers, not to " + node.family().wire() + ".");
        if (!parent.hasSpec(COMPOSITE)) return;
        if (node.isContainer()) throw failed("Nested containers are not allowed in a composite container (" + parent.path().joined() + ").");
        List<String> names = flatNames(catalog, parent.path());
        names.addAll(namesOf(node));
        checkUnique(names);
    }

    /** Checks {@code specs}, about to replace the specs of {@code node}. */
    static void checkSpecs(Catalog catalog, Node node, List<Spec> specs) {
        if (specs.stream().noneMatch(s -> s.name().equals(COMPOSITE))) return;
        if (!node.isContainer()) throw failed("Composite spec can be assigned only to containers, not to " + node.family().wire() + ".");
        checkUnique(flatNames(catalog, node.path()));
    }

    /** The keys of the children of a composite container and the columns of its tables; a 400 for a nested container. */
    private static List<String> flatNames(Catalog catalog, NodePath container) {
        List<Node> children = catalog.children(container, List.of(), 0, MAX_COMPOSITE_ITEMS + 1);
        if (children.size() > MAX_COMPOSITE_ITEMS)
            throw failed("A composite container holds at most " + MAX_COMPOSITE_ITEMS + " items; " + container.joined() + " has more.");
        List<String> names = new ArrayList<>();
        for (Node child : children) {
            if (child.isContainer()) throw failed("Nested containers are not allowed in a composite container (" + child.path().joined() + ").");
            names.addAll(namesOf(child));
        }
        return names;
    }

    private static List<String> namesOf(Node node) {
        List<String> names = new ArrayList<>();
        names.add(node.path().key());
        if (node.family() == StructureFamily.TABLE && node.structure() != null)
            for (JsonNode c : node.structure().path("columns")) names.add(c.asText());
        return names;
    }

    private static void checkUnique(List<String> names) {
        Set<String> seen = new HashSet<>();
        Set<String> repeated = new LinkedHashSet<>();
        for (String n : names) if (!seen.add(n)) repeated.add(n);
        if (!repeated.isEmpty())
            throw failed("Names of table columns and other items in a composite container must be unique and not conflict with each other."
                    + " Found conflicting names: " + repeated + ".");
    }

    private static TiledException failed(String why) {
        return TiledException.badRequest("failed validation for the " + COMPOSITE + " spec:\n" + why);
    }
}
